import { randomBytes } from "node:crypto";
import express, { type Express, type Request, type Response } from "express";
import { expandRecurrence, wallClock } from "../expandRecurrence";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";

/** An event as Google Calendar API v3 returns it (https://developers.google.com/calendar/api/v3/reference/events). */
export interface GoogleCalendarEvent {
  kind?: "calendar#event";
  id: string;
  status?: "confirmed" | "tentative" | "cancelled";
  /** https://developers.google.com/calendar/api/v3/reference/events: `transparent` shows as free. */
  transparency?: "opaque" | "transparent";
  etag?: string;
  updated?: string;
  created?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: { dateTime?: string; date?: string; timeZone?: string };
  end?: { dateTime?: string; date?: string; timeZone?: string };
  /** `self` marks the calendar's own user; `responseStatus: "declined"` is their refusal. */
  attendees?: { email: string; displayName?: string; responseStatus?: string; self?: boolean }[];
  eventType?: "default" | "outOfOffice" | "focusTime" | "workingLocation";
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: { dateTime?: string; date?: string; timeZone?: string };
  hangoutLink?: string;
  conferenceData?: Record<string, unknown>;
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  iCalUID?: string;
  sequence?: number;
}

interface Stored {
  event: GoogleCalendarEvent;
  /** The calendar's change counter when this event last changed. */
  changed: number;
  /** Instances of a series changed on their own: moved (an event) or cancelled (null). */
  exceptions: Map<string, { event: GoogleCalendarEvent | null; changed: number }>;
}

/** An event, or an instance of a series (then `stored` is the series). */
interface Found {
  stored: Stored;
  instanceId: string | null;
}

interface Calendar {
  account: SandboxAccount;
  /** The account id for the primary calendar, `{account id}/{calendar id}` for another one. */
  key: string;
  /** The calendar's id in calendarList; the primary calendar's is the account's e-mail. */
  id: string;
  summary: string;
  events: Map<string, Stored>;
  counter: number;
  timeZone: string;
  listsInFlight: number;
}

interface SyncState {
  calendarKey: string;
  counter: number;
  timeMin: number;
  timeMax: number;
}

interface Channel {
  id: string;
  resourceId: string;
  token: string | undefined;
  address: string;
  calendarKey: string;
  expiration: number;
  messageNumber: number;
  stopped: boolean;
}

/** Google's error body, with the `errors[]` list the Calendar API adds (https://developers.google.com/calendar/api/guides/errors). */
function calendarError(res: Response, code: number, reason: string, message: string) {
  res.status(code).json({ error: { code, message, errors: [{ domain: "global", reason, message }] } });
}

const base32hex = /^[a-v0-9]{5,1024}$/;
/**
 * How far back `updatedMin` may reach: Google keeps deleted events "for a certain period" without
 * saying how long; the stand-in takes 28 days.
 */
const updatedMinReachMs = 28 * 86_400_000;
const maxInstances = 730;

/**
 * The instance id suffix Google uses: `20261124T090000Z` (the original start in UTC) for a timed
 * occurrence, `20261124` for an all-day one.
 */
function instanceSuffix(start: number, allDay: boolean): string {
  const text = new Date(start).toISOString();
  return allDay ? text.slice(0, 10).replace(/-/g, "") : `${text.slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** `20260324T100000` / `20260324T090000Z` / `20260324` (an EXDATE value) as a wall-clock time in the zone. */
function exdateWallClock(value: string, timeZone: string): string {
  const [, y, mo, d, h = "00", mi = "00", s = "00", z] =
    /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value) ?? [];
  const text = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  return z ? wallClock(Date.parse(`${text}Z`), timeZone) : text;
}

/**
 * The occurrences of a series: its RRULE expanded on the wall clock of `start.timeZone` (Google
 * requires a zone on a recurring event's start), its EXDATEs left out
 * (https://developers.google.com/calendar/api/concepts/events-calendars#recurring_events).
 */
function occurrences(master: GoogleCalendarEvent, from: number, to: number): number[] {
  const allDay = Boolean(master.start?.date);
  const timeZone = allDay ? "UTC" : (master.start?.timeZone ?? "UTC");
  const first = allDay ? Date.parse(`${master.start!.date}T00:00:00Z`) : Date.parse(master.start!.dateTime!);
  const rule = master.recurrence?.find((line) => line.startsWith("RRULE:"));
  if (!rule) return [first];
  const exdates = (master.recurrence ?? [])
    .filter((line) => line.startsWith("EXDATE"))
    .flatMap((line) => line.slice(line.indexOf(":") + 1).split(","))
    .map((value) => exdateWallClock(value.trim(), timeZone));
  return expandRecurrence({
    rule,
    start: wallClock(first, timeZone),
    timeZone,
    from,
    to,
    exdates,
    limit: maxInstances,
  });
}

/**
 * Google Calendar API v3 events and push channels, as the docs describe them:
 * - events.list https://developers.google.com/calendar/api/v3/reference/events/list — pages of at
 *   most `maxResults` (default 250, at most 2500) linked by `nextPageToken`; `nextSyncToken` on the
 *   last page only; with `syncToken`, every change since (cancelled events included) and 400 if
 *   timeMin/timeMax/orderBy/q/updatedMin come with it; a token the server no longer knows answers
 *   410 `fullSyncRequired` (https://developers.google.com/calendar/api/guides/sync). `updatedMin`
 *   keeps the events changed since; one older than the deleted events Google still holds answers 410
 *   `updatedMinTooLongAgo` (https://developers.google.com/calendar/api/guides/errors#410_gone).
 *   Errors are the Calendar API's own body, `{ error: { errors: [{ domain, reason, message }], code,
 *   message } }` (https://developers.google.com/calendar/api/guides/errors).
 * - `singleEvents=true` expands series into instances `{id}_{start}` with `recurringEventId` and
 *   `originalStartTime`; a moved or cancelled instance is an exception of the series
 *   (https://developers.google.com/calendar/api/guides/recurringevents).
 * - events.insert with a client id (base32hex, 5–1024 characters; 409 `duplicate` when taken),
 *   `conferenceDataVersion=1` with `conferenceData.createRequest` for a Meet link; patch with If-Match
 *   (412 `conditionNotMet`); delete (410 `deleted` the second time).
 * - events.watch and channels.stop https://developers.google.com/calendar/api/guides/push — a `sync`
 *   message when the channel opens, then `exists` for each change, with X-Goog-Channel-ID,
 *   X-Goog-Channel-Token, X-Goog-Resource-ID, X-Goog-Resource-State, X-Goog-Message-Number and
 *   X-Goog-Channel-Expiration; nothing after the expiration or a stop.
 */
export function createGoogleCalendarApi(
  app: Express,
  oauth: OAuthAuthority,
  options: { accounts: SandboxAccount[]; now?: () => Date },
) {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const calendars = new Map<string, Calendar>();
  const syncTokens = new Map<string, SyncState>();
  const pages = new Map<
    string,
    { items: GoogleCalendarEvent[]; syncToken: string | null; timeZone: string }
  >();
  const channels = new Map<string, Channel>();
  /** maxListsInFlight: the most events.list calls one calendar had open at once. */
  const stats = { listRequests: 0, maxListsInFlight: 0, inserts: 0, notificationsSent: 0 };
  const control = { dropNotifications: false, failNextList: [] as number[] };

  function calendarOf(account: SandboxAccount): Calendar {
    let calendar = calendars.get(account.id);
    if (!calendar) {
      calendar = {
        account,
        key: account.id,
        id: account.email,
        summary: account.email,
        events: new Map(),
        counter: 1,
        timeZone: "Europe/Paris",
        listsInFlight: 0,
      };
      calendars.set(account.id, calendar);
    }
    return calendar;
  }

  /** `primary`, the account's e-mail, or the id of a calendar added with `addCalendar`. */
  function calendarById(account: SandboxAccount, id: string): Calendar | null {
    if (id === "primary" || id === account.email) return calendarOf(account);
    return calendars.get(`${account.id}/${id}`) ?? null;
  }

  function authorized(req: Request, res: Response): Calendar | null {
    const account = oauth.bearer(req);
    if (!account) {
      calendarError(res, 401, "authError", "Invalid Credentials");
      return null;
    }
    const calendar = calendarById(account, req.params.calendarId as string);
    if (!calendar) calendarError(res, 404, "notFound", "Not Found");
    return calendar;
  }

  function touch(calendar: Calendar, stored: Stored) {
    calendar.counter++;
    stored.changed = calendar.counter;
    const at = new Date(now()).toISOString();
    stored.event.updated = at;
    stored.event.etag = `"${calendar.counter}${randomBytes(3).toString("hex")}"`;
    notify(calendar);
  }

  function notify(calendar: Calendar) {
    for (const channel of channels.values()) {
      if (channel.calendarKey !== calendar.key || channel.stopped || channel.expiration <= now()) continue;
      send(channel, "exists");
    }
  }

  function send(channel: Channel, state: "sync" | "exists") {
    channel.messageNumber++;
    if (control.dropNotifications) return;
    stats.notificationsSent++;
    const headers: Record<string, string> = {
      "x-goog-channel-id": channel.id,
      "x-goog-channel-expiration": new Date(channel.expiration).toUTCString(),
      "x-goog-resource-id": channel.resourceId,
      "x-goog-resource-uri": `https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json`,
      "x-goog-resource-state": state,
      "x-goog-message-number": String(channel.messageNumber),
      ...(channel.token !== undefined && { "x-goog-channel-token": channel.token }),
    };
    void fetch(channel.address, { method: "POST", headers }).catch(() => {});
  }

  /** A series' instances, its exceptions applied, each with the counter it last changed at. */
  function expand(
    stored: Stored,
    from: number,
    to: number,
  ): { event: GoogleCalendarEvent; changed: number }[] {
    const master = stored.event;
    if (!master.recurrence || master.status === "cancelled")
      return [{ event: master, changed: stored.changed }];
    const allDay = Boolean(master.start?.date);
    const startOf = (side: { dateTime?: string; date?: string }) =>
      side.dateTime ? Date.parse(side.dateTime) : Date.parse(`${side.date}T00:00:00Z`);
    const duration = startOf(master.end!) - startOf(master.start!);
    const timeZone = master.start?.timeZone ?? "UTC";
    const when = (at: number) =>
      allDay
        ? { date: new Date(at).toISOString().slice(0, 10) }
        : { dateTime: new Date(at).toISOString(), timeZone };
    const out: { event: GoogleCalendarEvent; changed: number }[] = [];
    for (const at of occurrences(master, from, to)) {
      const id = `${master.id}_${instanceSuffix(at, allDay)}`;
      const exception = stored.exceptions.get(id);
      const original = when(at);
      if (exception) {
        out.push({
          event: exception.event ?? {
            id,
            status: "cancelled",
            recurringEventId: master.id,
            originalStartTime: original,
          },
          changed: Math.max(exception.changed, stored.changed),
        });
        continue;
      }
      const { recurrence: _recurrence, ...rest } = master;
      out.push({
        event: {
          ...rest,
          id,
          recurringEventId: master.id,
          originalStartTime: original,
          start: original,
          end: when(at + duration),
        },
        changed: stored.changed,
      });
    }
    return out;
  }

  function overlaps(event: GoogleCalendarEvent, from: number, to: number): boolean {
    if (!event.start || !event.end) return true;
    const start = Date.parse(event.start.dateTime ?? `${event.start.date}T00:00:00Z`);
    const end = Date.parse(event.end.dateTime ?? `${event.end.date}T00:00:00Z`);
    return start < to && end > from;
  }

  function newToken(state: SyncState): string {
    const token = `CPD${randomBytes(12).toString("base64url")}=`;
    syncTokens.set(token, state);
    return token;
  }

  app.get("/calendar/v3/calendars/:calendarId/events", (req, res) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const failure = control.failNextList.shift();
    if (failure) {
      calendarError(res, failure, failure === 429 ? "rateLimitExceeded" : "backendError", "Injected failure");
      return;
    }
    stats.listRequests++;
    calendar.listsInFlight++;
    stats.maxListsInFlight = Math.max(stats.maxListsInFlight, calendar.listsInFlight);
    // The answer leaves after a moment, so overlapping lists of one calendar can be seen.
    setTimeout(() => {
      calendar.listsInFlight--;
      list(req, res, calendar);
    }, 5);
  });

  function list(req: Request, res: Response, calendar: Calendar) {
    const query = req.query as Record<string, string | undefined>;
    const maxResults = Math.min(Math.max(Number(query.maxResults ?? 250) || 250, 1), 2500);
    if (query.pageToken) {
      const page = pages.get(query.pageToken);
      if (!page) {
        calendarError(res, 400, "invalid", "Invalid page token value.");
        return;
      }
      pages.delete(query.pageToken);
      answerPage(res, page, maxResults);
      return;
    }
    if (query.syncToken && (query.timeMin || query.timeMax || query.orderBy || query.q || query.updatedMin)) {
      calendarError(res, 400, "invalid", "Sync token cannot be used with the requested query parameters.");
      return;
    }
    const updatedMin = query.updatedMin ? Date.parse(query.updatedMin) : null;
    if (updatedMin !== null && !query.syncToken && updatedMin < now() - updatedMinReachMs) {
      calendarError(
        res,
        410,
        "updatedMinTooLongAgo",
        "The requested minimum modification time lies too far in the past.",
      );
      return;
    }
    let state: SyncState;
    let items: GoogleCalendarEvent[];
    if (query.syncToken) {
      const known = syncTokens.get(query.syncToken);
      if (!known || known.calendarKey !== calendar.key) {
        calendarError(
          res,
          410,
          "fullSyncRequired",
          "Sync token is no longer valid, a full sync is required.",
        );
        return;
      }
      state = { ...known, counter: calendar.counter };
      items = [];
      for (const stored of calendar.events.values()) {
        if (query.singleEvents === "true") {
          for (const instance of expand(stored, known.timeMin, known.timeMax))
            if (instance.changed > known.counter) items.push(instance.event);
        } else if (stored.changed > known.counter) items.push(stored.event);
      }
      items = items.map((event) => (event.status === "cancelled" ? cancelledStub(event) : event));
    } else {
      const timeMin = query.timeMin ? Date.parse(query.timeMin) : Number.NEGATIVE_INFINITY;
      const timeMax = query.timeMax ? Date.parse(query.timeMax) : Number.POSITIVE_INFINITY;
      state = { calendarKey: calendar.key, counter: calendar.counter, timeMin, timeMax };
      items = [];
      for (const stored of calendar.events.values()) {
        const expanded =
          query.singleEvents === "true"
            ? expand(stored, timeMin, timeMax)
            : [{ event: stored.event, changed: 0 }];
        for (const { event } of expanded) {
          if (updatedMin !== null && Date.parse(event.updated ?? "") < updatedMin) continue;
          // "Entries deleted since this time will always be included regardless of showDeleted."
          if (event.status === "cancelled" && query.showDeleted !== "true" && updatedMin === null) continue;
          if (overlaps(event, timeMin, timeMax)) items.push(event);
        }
      }
    }
    answerPage(res, { items, syncToken: newToken(state), timeZone: calendar.timeZone }, maxResults);
  }

  function answerPage(
    res: Response,
    page: { items: GoogleCalendarEvent[]; syncToken: string | null; timeZone: string },
    maxResults: number,
  ) {
    const items = page.items.slice(0, maxResults);
    const rest = page.items.slice(maxResults);
    let nextPageToken: string | undefined;
    if (rest.length > 0) {
      nextPageToken = randomBytes(16).toString("base64url");
      pages.set(nextPageToken, { ...page, items: rest });
    }
    res.json({
      kind: "calendar#events",
      etag: `"p${randomBytes(4).toString("hex")}"`,
      summary: "primary",
      updated: new Date(now()).toISOString(),
      timeZone: page.timeZone,
      accessRole: "owner",
      defaultReminders: [],
      items,
      ...(nextPageToken ? { nextPageToken } : { nextSyncToken: page.syncToken }),
    });
  }

  function cancelledStub(event: GoogleCalendarEvent): GoogleCalendarEvent {
    return {
      kind: "calendar#event",
      id: event.id,
      status: "cancelled",
      ...(event.etag && { etag: event.etag }),
      ...(event.recurringEventId && {
        recurringEventId: event.recurringEventId,
        originalStartTime: event.originalStartTime,
      }),
    };
  }

  const json = express.json({ limit: "1mb" });

  function applyConference(event: GoogleCalendarEvent, version: unknown) {
    const request = (event.conferenceData as { createRequest?: { requestId?: string } } | undefined)
      ?.createRequest;
    if (!request) return;
    if (version !== "1") {
      delete event.conferenceData;
      return;
    }
    const code = `${randomBytes(2).toString("hex").slice(0, 3)}-${randomBytes(2).toString("hex")}-${randomBytes(2).toString("hex").slice(0, 3)}`;
    event.hangoutLink = `https://meet.google.com/${code}`;
    event.conferenceData = {
      conferenceId: code,
      conferenceSolution: { key: { type: "hangoutsMeet" }, name: "Google Meet" },
      entryPoints: [{ entryPointType: "video", uri: event.hangoutLink, label: `meet.google.com/${code}` }],
      createRequest: { ...request, status: { statusCode: "success" } },
    };
  }

  app.post("/calendar/v3/calendars/:calendarId/events", json, (req, res) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const body = req.body as GoogleCalendarEvent;
    if (!body.start || !body.end) {
      calendarError(res, 400, "required", "Missing end time.");
      return;
    }
    const id = body.id ?? randomBytes(13).toString("hex");
    if (!base32hex.test(id)) {
      calendarError(res, 400, "invalid", "Invalid resource id value.");
      return;
    }
    if (calendar.events.has(id)) {
      calendarError(res, 409, "duplicate", "The requested identifier already exists.");
      return;
    }
    stats.inserts++;
    const event: GoogleCalendarEvent = {
      ...body,
      kind: "calendar#event",
      id,
      status: body.status ?? "confirmed",
      created: new Date(now()).toISOString(),
      iCalUID: `${id}@google.com`,
      sequence: 0,
    };
    applyConference(event, req.query.conferenceDataVersion);
    const stored: Stored = { event, changed: 0, exceptions: new Map() };
    calendar.events.set(id, stored);
    touch(calendar, stored);
    res.json(event);
  });

  /** The series and instance an id names: `abc` (an event) or `abc_20261124T090000Z` (an instance). */
  function find(calendar: Calendar, id: string): Found | null {
    const direct = calendar.events.get(id);
    if (direct) return { stored: direct, instanceId: null };
    const cut = id.lastIndexOf("_");
    const series = cut > 0 ? calendar.events.get(id.slice(0, cut)) : undefined;
    if (series?.event.recurrence) return { stored: series, instanceId: id };
    return null;
  }

  function currentInstance(stored: Stored, instanceId: string): GoogleCalendarEvent | null {
    const all = expand(stored, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    return all.find(({ event }) => event.id === instanceId)?.event ?? null;
  }

  /** What `find` found as it reads now: an instance with its exception applied, or the event. */
  function currentEvent(found: Found | null): GoogleCalendarEvent | null {
    if (!found) return null;
    return found.instanceId ? currentInstance(found.stored, found.instanceId) : found.stored.event;
  }

  /** Stores an event's new state: an instance as an exception of its series, an event in place. */
  function saveEvent(calendar: Calendar, found: Found, next: GoogleCalendarEvent) {
    if (found.instanceId) {
      calendar.counter++;
      next.etag = `"${calendar.counter}${randomBytes(3).toString("hex")}"`;
      next.updated = new Date(now()).toISOString();
      found.stored.exceptions.set(found.instanceId, { event: next, changed: calendar.counter });
      notify(calendar);
    } else {
      found.stored.event = next;
      touch(calendar, found.stored);
    }
  }

  app.get("/calendar/v3/calendars/:calendarId/events/:eventId", (req, res) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const found = find(calendar, req.params.eventId as string);
    const event = currentEvent(found);
    if (!event) {
      calendarError(res, 404, "notFound", "Not Found");
      return;
    }
    res.json(event);
  });

  const update = (merge: boolean) => (req: Request, res: Response) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const found = find(calendar, req.params.eventId as string);
    const current = currentEvent(found);
    if (!found || !current) {
      calendarError(res, 404, "notFound", "Not Found");
      return;
    }
    if (current.status === "cancelled") {
      calendarError(res, 410, "deleted", "Resource has been deleted");
      return;
    }
    const ifMatch = req.header("if-match");
    if (ifMatch && ifMatch !== current.etag) {
      calendarError(res, 412, "conditionNotMet", "Precondition Failed");
      return;
    }
    const body = req.body as GoogleCalendarEvent;
    const next: GoogleCalendarEvent = {
      ...(merge ? current : { kind: "calendar#event", id: current.id, status: "confirmed" }),
      ...body,
      id: current.id,
      sequence: (current.sequence ?? 0) + 1,
    };
    applyConference(next, req.query.conferenceDataVersion);
    saveEvent(calendar, found, next);
    res.json(next);
  };
  app.patch("/calendar/v3/calendars/:calendarId/events/:eventId", json, update(true));
  app.put("/calendar/v3/calendars/:calendarId/events/:eventId", json, update(false));

  app.delete("/calendar/v3/calendars/:calendarId/events/:eventId", (req, res) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const found = find(calendar, req.params.eventId as string);
    if (!found) {
      calendarError(res, 404, "notFound", "Not Found");
      return;
    }
    const current = currentEvent(found);
    if (!current || current.status === "cancelled") {
      calendarError(res, 410, "deleted", "Resource has been deleted");
      return;
    }
    removeEvent(calendar, found);
    res.status(204).end();
  });

  function removeEvent(calendar: Calendar, found: Found) {
    if (found.instanceId) {
      calendar.counter++;
      found.stored.exceptions.set(found.instanceId, { event: null, changed: calendar.counter });
      notify(calendar);
    } else {
      found.stored.event = { ...found.stored.event, status: "cancelled" };
      touch(calendar, found.stored);
    }
  }

  app.post("/calendar/v3/calendars/:calendarId/events/watch", json, (req, res) => {
    const calendar = authorized(req, res);
    if (!calendar) return;
    const body = req.body as {
      id?: string;
      type?: string;
      address?: string;
      token?: string;
      expiration?: string;
    };
    if (!body.id || body.type !== "web_hook" || !body.address) {
      calendarError(res, 400, "required", "Channel id, type web_hook and address are required.");
      return;
    }
    if (channels.has(body.id)) {
      calendarError(res, 400, "channelIdNotUnique", "Channel id not unique");
      return;
    }
    // Google caps a channel's life (a week for events); a later expiration is cut to it.
    const expiration = Math.min(Number(body.expiration ?? Number.POSITIVE_INFINITY), now() + 7 * 86_400_000);
    const channel: Channel = {
      id: body.id,
      resourceId: randomBytes(12).toString("base64url"),
      token: body.token,
      address: body.address,
      calendarKey: calendar.key,
      expiration,
      messageNumber: 0,
      stopped: false,
    };
    channels.set(channel.id, channel);
    res.json({
      kind: "api#channel",
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: `https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json`,
      ...(channel.token !== undefined && { token: channel.token }),
      expiration: String(channel.expiration),
    });
    send(channel, "sync");
  });

  /**
   * calendarList.list (https://developers.google.com/calendar/api/v3/reference/calendarList/list):
   * the user's calendars, the primary one with `primary: true` and the e-mail as its id; each entry
   * with its `accessRole` (all owner here, so `minAccessRole` keeps them all).
   */
  app.get("/calendar/v3/users/me/calendarList", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      calendarError(res, 401, "authError", "Invalid Credentials");
      return;
    }
    const own = [
      calendarOf(account),
      ...[...calendars.values()].filter((calendar) => calendar.key.startsWith(`${account.id}/`)),
    ];
    res.json({
      kind: "calendar#calendarList",
      etag: `"l${randomBytes(4).toString("hex")}"`,
      nextSyncToken: `L${randomBytes(8).toString("base64url")}`,
      items: own.map((calendar) => ({
        kind: "calendar#calendarListEntry",
        etag: `"${calendar.counter}"`,
        id: calendar.id,
        summary: calendar.summary,
        timeZone: calendar.timeZone,
        accessRole: "owner",
        ...(calendar.key === account.id && { primary: true }),
      })),
    });
  });

  app.post("/calendar/v3/channels/stop", json, (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      calendarError(res, 401, "authError", "Invalid Credentials");
      return;
    }
    const body = req.body as { id?: string; resourceId?: string };
    const channel = channels.get(body.id ?? "");
    if (
      !channel ||
      channel.resourceId !== body.resourceId ||
      (channel.calendarKey !== account.id && !channel.calendarKey.startsWith(`${account.id}/`))
    ) {
      calendarError(res, 404, "notFound", `Channel '${body.id}' not found for project`);
      return;
    }
    channel.stopped = true;
    res.status(204).end();
  });

  return {
    stats,
    control,
    /** A secondary calendar the user made in Google Calendar (ids look like `…@group.calendar.google.com`). */
    addCalendar(accountId: string, calendar: { id: string; summary: string }) {
      const account = calendarAccount(accountId);
      const key = `${account.id}/${calendar.id}`;
      if (!calendars.has(key)) {
        calendars.set(key, {
          account,
          key,
          id: calendar.id,
          summary: calendar.summary,
          events: new Map(),
          counter: 1,
          timeZone: "Europe/Paris",
          listsInFlight: 0,
        });
      }
    },
    /** Live events of one calendar of the account, as a person sees them there. */
    listCalendar(accountId: string, calendarId: string): GoogleCalendarEvent[] {
      const calendar = calendarById(calendarAccount(accountId), calendarId);
      if (!calendar) throw new Error(`no calendar ${calendarId} for ${accountId}`);
      return [...calendar.events.values()]
        .flatMap((stored) =>
          expand(stored, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).map(({ event }) => event),
        )
        .filter((event) => event.status !== "cancelled");
    },
    /** A change the user makes in Google Calendar's own app: creates or replaces an event. */
    put(accountId: string, event: Omit<GoogleCalendarEvent, "id"> & { id?: string }): GoogleCalendarEvent {
      const account = calendarAccount(accountId);
      const calendar = calendarOf(account);
      const id = event.id ?? randomBytes(13).toString("hex");
      const existing = calendar.events.get(id);
      const stored: Stored = existing ?? { event: { id }, changed: 0, exceptions: new Map() };
      stored.event = {
        kind: "calendar#event",
        status: "confirmed",
        created: new Date(now()).toISOString(),
        iCalUID: `${id}@google.com`,
        ...existing?.event,
        ...event,
        id,
        sequence: (existing?.event.sequence ?? -1) + 1,
      } as GoogleCalendarEvent;
      calendar.events.set(id, stored);
      touch(calendar, stored);
      return stored.event;
    },
    /** Changes some fields of an event or of one instance of a series (which moves or retitles it). */
    patch(accountId: string, id: string, change: Partial<GoogleCalendarEvent>): GoogleCalendarEvent {
      const calendar = calendarOf(calendarAccount(accountId));
      const found = find(calendar, id);
      const current = currentEvent(found);
      if (!found || !current) throw new Error(`no event ${id}`);
      const next = { ...current, ...change, id, sequence: (current.sequence ?? 0) + 1 };
      saveEvent(calendar, found, next);
      return next;
    },
    /** An event as stored, a series as its master (with its `recurrence`), or null. */
    get(accountId: string, id: string): GoogleCalendarEvent | null {
      return calendarOf(calendarAccount(accountId)).events.get(id)?.event ?? null;
    },
    /** Deletes an event, or cancels one instance of a series. */
    remove(accountId: string, id: string) {
      const calendar = calendarOf(calendarAccount(accountId));
      const found = find(calendar, id);
      if (!found) throw new Error(`no event ${id}`);
      removeEvent(calendar, found);
    },
    /** Live events of a calendar with series expanded, as a person sees them. */
    list(
      accountId: string,
      from = Number.NEGATIVE_INFINITY,
      to = Number.POSITIVE_INFINITY,
    ): GoogleCalendarEvent[] {
      const calendar = calendarOf(calendarAccount(accountId));
      return [...calendar.events.values()]
        .flatMap((stored) => expand(stored, from, to).map(({ event }) => event))
        .filter((event) => event.status !== "cancelled" && overlaps(event, from, to));
    },
    /** Many events at once, without notifications, for benchmarks. */
    seed(accountId: string, events: GoogleCalendarEvent[]) {
      const calendar = calendarOf(calendarAccount(accountId));
      for (const event of events) {
        calendar.counter++;
        calendar.events.set(event.id, {
          event: {
            kind: "calendar#event",
            status: "confirmed",
            etag: `"${calendar.counter}"`,
            updated: new Date(now()).toISOString(),
            ...event,
          },
          changed: calendar.counter,
          exceptions: new Map(),
        });
      }
    },
    /** Google forgets every sync token: the next incremental list answers 410 (as after an ACL change). */
    expireSyncTokens() {
      syncTokens.clear();
    },
    channels(): (Omit<Channel, "address"> & { address: string })[] {
      return [...channels.values()].map((channel) => ({ ...channel }));
    },
    /** Sends a notification on a channel as Google would, e.g. one arriving for a channel we stopped. */
    ping(channelId: string) {
      const channel = channels.get(channelId);
      if (channel) send(channel, "exists");
    },
    reset() {
      calendars.clear();
      syncTokens.clear();
      pages.clear();
      channels.clear();
      Object.assign(stats, {
        listRequests: 0,
        maxListsInFlight: 0,
        inserts: 0,
        notificationsSent: 0,
      });
      control.dropNotifications = false;
      control.failNextList.length = 0;
    },
  };

  function calendarAccount(accountId: string): SandboxAccount {
    const account = options.accounts.find((candidate) => candidate.id === accountId);
    if (!account) throw new Error(`no sandbox account ${accountId}`);
    return account;
  }
}

export type GoogleCalendarApi = ReturnType<typeof createGoogleCalendarApi>;
