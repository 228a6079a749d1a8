import { randomBytes, randomUUID } from "node:crypto";
import express, { type Express, type Request, type Response } from "express";
import { convert as htmlToText } from "html-to-text";
import { expandRecurrence, wallClock } from "../expandRecurrence";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";
import { graphError } from "./graphError";
import { graphWallClock, ianaZone, instantOf, windowsZone } from "./graphTimeZones";

/** An Outlook event as Graph returns it (https://learn.microsoft.com/graph/api/resources/event). */
export interface GraphCalendarEvent {
  id: string;
  changeKey?: string;
  subject?: string;
  body?: { contentType?: string; content?: string };
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  /** The zone the event was made in, under its Windows name ("Romance Standard Time"). */
  originalStartTimeZone?: string;
  originalEndTimeZone?: string;
  isAllDay?: boolean;
  isCancelled?: boolean;
  location?: { displayName?: string };
  attendees?: {
    emailAddress: { address: string; name?: string };
    status?: { response?: string };
    type?: string;
  }[];
  /** How the time shows in Outlook; `free` and `workingElsewhere` leave it bookable. */
  showAs?: "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
  /** The calendar owner's answer to an invitation. */
  responseStatus?: {
    response?: "none" | "organizer" | "tentativelyAccepted" | "accepted" | "declined" | "notResponded";
  };
  type?: "singleInstance" | "occurrence" | "exception" | "seriesMaster";
  seriesMasterId?: string | null;
  /** A series' pattern and range (https://learn.microsoft.com/graph/api/resources/patternedrecurrence). */
  recurrence?: PatternedRecurrence | null;
  /** An occurrence's start in its series, in UTC. */
  originalStart?: string;
  lastModifiedDateTime?: string;
  createdDateTime?: string;
  transactionId?: string | null;
  onlineMeeting?: { joinUrl?: string } | null;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

/** Graph's patternedRecurrence (https://learn.microsoft.com/graph/api/resources/patternedrecurrence). */
export interface PatternedRecurrence {
  pattern: {
    type: "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly";
    interval?: number;
    daysOfWeek?: string[];
    dayOfMonth?: number;
    month?: number;
    index?: "first" | "second" | "third" | "fourth" | "last";
    firstDayOfWeek?: string;
  };
  range: {
    type: "endDate" | "noEnd" | "numbered";
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
    recurrenceTimeZone?: string;
  };
}

const dayCodes: Record<string, string> = {
  monday: "MO",
  tuesday: "TU",
  wednesday: "WE",
  thursday: "TH",
  friday: "FR",
  saturday: "SA",
  sunday: "SU",
};
const indexNumbers = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** The RRULE a pattern and range mean, for the sandbox's own expansion. */
function ruleOf({ pattern, range }: PatternedRecurrence): string {
  const days = (pattern.daysOfWeek ?? []).map((day) => dayCodes[day.toLowerCase()]).join(",");
  const nth = indexNumbers[pattern.index ?? "first"];
  const parts = [
    {
      daily: "FREQ=DAILY",
      weekly: `FREQ=WEEKLY;BYDAY=${days}`,
      absoluteMonthly: `FREQ=MONTHLY;BYMONTHDAY=${pattern.dayOfMonth}`,
      relativeMonthly: `FREQ=MONTHLY;BYDAY=${nth}${days}`,
      absoluteYearly: `FREQ=YEARLY;BYMONTH=${pattern.month};BYMONTHDAY=${pattern.dayOfMonth}`,
      relativeYearly: `FREQ=YEARLY;BYMONTH=${pattern.month};BYDAY=${nth}${days}`,
    }[pattern.type],
    `INTERVAL=${pattern.interval ?? 1}`,
  ];
  if (range.type === "endDate" && range.endDate) parts.push(`UNTIL=${range.endDate.replace(/-/g, "")}`);
  if (range.type === "numbered") parts.push(`COUNT=${range.numberOfOccurrences}`);
  return parts.join(";");
}

interface Mailbox {
  account: SandboxAccount;
  events: Map<string, { event: GraphCalendarEvent; changed: number }>;
  /** Occurrences of series changed on their own (an event) or deleted (null), by instance id. */
  exceptions: Map<string, { event: GraphCalendarEvent | null; changed: number }>;
  removed: Map<string, number>;
  counter: number;
  inFlight: number;
}

interface Subscription {
  id: string;
  accountId: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  resource: string;
  expirationDateTime: string;
  clientState?: string;
}

/** Outlook subscriptions live at most 4230 minutes (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime). */
export const maxSubscriptionMinutes = 4230;

const graphDateTime = (instant: number) => new Date(instant).toISOString().replace("Z", "0000");

/**
 * Graph's HTML form of a text body: the `<html><head><meta http-equiv…>` page Outlook stores
 * (https://learn.microsoft.com/graph/api/resources/itembody, and the event-get response example).
 */
function htmlBody(text: string): string {
  const escaped = text
    .replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`)
    .replace(/\n/g, "<br>\r\n");
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div>${escaped}</div>\r\n</body>\r\n</html>\r\n`;
}

/**
 * Microsoft Graph calendars, as the docs describe them:
 * - `GET /me/calendarView/delta` https://learn.microsoft.com/graph/delta-query-events — a window
 *   (startDateTime, endDateTime) on the first call; pages of `Prefer: odata.maxpagesize` linked by
 *   `@odata.nextLink`, the last with `@odata.deltaLink`; later rounds give changes only, deletions as
 *   `{ id, "@removed": { reason: "deleted" } }`; a delta token the service dropped answers 410.
 * - `Prefer: IdType="ImmutableId"` https://learn.microsoft.com/graph/outlook-immutable-id — without
 *   it, ids are the default (mutable) form, counted in `stats.mutableIdRequests`.
 * - `POST /me/events` https://learn.microsoft.com/graph/api/user-post-events — a repeated
 *   `transactionId` answers the event made the first time; PATCH with If-Match (412 otherwise).
 * - subscriptions https://learn.microsoft.com/graph/api/subscription-post-subscriptions — the
 *   validation request (`?validationToken=`) must be echoed as text/plain with 200 within 10 seconds;
 *   `expirationDateTime` at most 4230 minutes ahead; notifications carry clientState; lifecycle
 *   notifications (reauthorizationRequired, subscriptionRemoved, missed) go to lifecycleNotificationUrl
 *   (https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
 * - throttling https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits — more than
 *   4 concurrent requests to one mailbox answer 429 with Retry-After.
 * - time zones and bodies as read (https://learn.microsoft.com/graph/api/event-get, "Prefer:
 *   outlook.timezone" and "Prefer: outlook.body-content-type"): `start`/`end` in UTC unless a zone is
 *   preferred, then on that zone's wall clock under the name asked; all-day events midnight to
 *   midnight of their own dates whatever the zone; `originalStartTimeZone` a Windows name
 *   (https://learn.microsoft.com/graph/api/resources/event); bodies HTML unless text is preferred.
 */
export function createGraphCalendarApi(
  app: Express,
  oauth: OAuthAuthority,
  options: { accounts: SandboxAccount[]; now?: () => Date },
) {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const mailboxes = new Map<string, Mailbox>();
  const deltaTokens = new Map<string, { accountId: string; counter: number; from: number; to: number }>();
  const skipTokens = new Map<string, { items: unknown[]; deltaToken: string }>();
  const subscriptions = new Map<string, Subscription>();
  const stats = {
    deltaRequests: 0,
    inserts: 0,
    maxConcurrent: 0,
    throttled: 0,
    mutableIdRequests: 0,
    notificationsSent: 0,
    validations: 0,
  };
  const control = { dropNotifications: false, throttleNext: [] as number[], delayMs: 2 };

  function mailboxOf(account: SandboxAccount): Mailbox {
    let mailbox = mailboxes.get(account.id);
    if (!mailbox) {
      mailbox = {
        account,
        events: new Map(),
        exceptions: new Map(),
        removed: new Map(),
        counter: 1,
        inFlight: 0,
      };
      mailboxes.set(account.id, mailbox);
    }
    return mailbox;
  }
  function accountById(accountId: string): SandboxAccount {
    const account = options.accounts.find((candidate) => candidate.id === accountId);
    if (!account) throw new Error(`no sandbox account ${accountId}`);
    return account;
  }

  /** Authenticates, applies the mailbox concurrency limit, and runs the handler after a short delay. */
  const guarded =
    (handler: (req: Request, res: Response, mailbox: Mailbox) => void) => (req: Request, res: Response) => {
      const account = oauth.bearer(req);
      if (!account) {
        res.status(401).json(graphError("InvalidAuthenticationToken", "Access token is empty or invalid."));
        return;
      }
      const mailbox = mailboxOf(account);
      const injected = control.throttleNext.shift();
      if (injected !== undefined || mailbox.inFlight >= 4) {
        stats.throttled++;
        res
          .status(429)
          .set("retry-after", String(injected ?? 1))
          .json(graphError("ApplicationThrottled", "Application is over its MailboxConcurrency limit."));
        return;
      }
      mailbox.inFlight++;
      stats.maxConcurrent = Math.max(stats.maxConcurrent, mailbox.inFlight);
      if (!/IdType="ImmutableId"/i.test(req.header("prefer") ?? "")) stats.mutableIdRequests++;
      setTimeout(() => {
        mailbox.inFlight--;
        handler(req, res, mailbox);
      }, control.delayMs);
    };

  function touch(mailbox: Mailbox, event: GraphCalendarEvent, changeType: "created" | "updated" | "deleted") {
    mailbox.counter++;
    event.changeKey = randomBytes(9).toString("base64url");
    event.originalStartTimeZone ??= windowsZone(event.start?.timeZone);
    event.originalEndTimeZone ??= windowsZone(event.end?.timeZone);
    event.lastModifiedDateTime = new Date(now()).toISOString();
    mailbox.events.set(event.id, { event, changed: mailbox.counter });
    notify(mailbox, event, changeType);
  }

  function notify(
    mailbox: Mailbox,
    event: GraphCalendarEvent,
    changeType: "created" | "updated" | "deleted",
  ) {
    for (const subscription of subscriptions.values()) {
      if (subscription.accountId !== mailbox.account.id) continue;
      if (Date.parse(subscription.expirationDateTime) <= now()) continue;
      if (!subscription.changeType.split(",").includes(changeType)) continue;
      if (control.dropNotifications) continue;
      stats.notificationsSent++;
      post(subscription.notificationUrl, {
        value: [
          {
            subscriptionId: subscription.id,
            subscriptionExpirationDateTime: subscription.expirationDateTime,
            changeType,
            resource: `Users/${mailbox.account.id}/Events/${event.id}`,
            resourceData: {
              "@odata.type": "#Microsoft.Graph.Event",
              "@odata.id": `Users/${mailbox.account.id}/Events/${event.id}`,
              "@odata.etag": `W/"${event.changeKey}"`,
              id: event.id,
            },
            ...(subscription.clientState !== undefined && { clientState: subscription.clientState }),
            tenantId: "sandbox-tenant",
          },
        ],
      });
    }
  }

  function post(url: string, body: unknown) {
    void fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => {});
  }

  const visibleId = (req: Request, id: string) =>
    /IdType="ImmutableId"/i.test(req.header("prefer") ?? "") ? id : `mutable-${id}`;
  const storedId = (id: string) => id.replace(/^mutable-/, "");
  /** An event as one request sees it: its `Prefer` header picks ids, zone and body type. */
  const present = (req: Request, event: GraphCalendarEvent) => {
    const { singleValueExtendedProperties: _hidden, ...visible } = event;
    const prefer = req.header("prefer") ?? "";
    const zone = /outlook\.timezone="([^"]+)"/i.exec(prefer)?.[1] ?? "UTC";
    const asText = /outlook\.body-content-type="?text"?/i.test(prefer);
    const shown = (value: { dateTime: string; timeZone: string }) =>
      event.isAllDay
        ? { dateTime: `${value.dateTime.slice(0, 10)}T00:00:00.0000000`, timeZone: zone }
        : { dateTime: graphWallClock(instantOf(value), zone), timeZone: zone };
    const body = event.body ?? { contentType: "text", content: "" };
    const html = body.contentType?.toLowerCase() === "html";
    return {
      "@odata.etag": `W/"${event.changeKey}"`,
      ...visible,
      ...(event.start && { start: shown(event.start) }),
      ...(event.end && { end: shown(event.end) }),
      body:
        asText === !html
          ? body
          : asText
            ? { contentType: "text", content: htmlToText(body.content ?? "", { wordwrap: false }) }
            : { contentType: "html", content: htmlBody(body.content ?? "") },
      id: visibleId(req, event.id),
    };
  };
  const overlaps = (event: GraphCalendarEvent, from: number, to: number) =>
    instantOf(event.start!) < to && instantOf(event.end!) > from;

  /**
   * A series' instances in a window, as calendarView and `event: instances` give them
   * (https://learn.microsoft.com/graph/api/event-list-instances): occurrences with `seriesMasterId`,
   * `originalStart` and `type: occurrence`, changed ones as `type: exception`, deleted ones left out
   * (`removed` lists them). Ids are the master's and the original start (opaque to clients).
   */
  function instancesOf(mailbox: Mailbox, master: GraphCalendarEvent, from: number, to: number) {
    const zone = ianaZone(master.recurrence!.range.recurrenceTimeZone ?? master.start!.timeZone);
    const first = instantOf(master.start!);
    const duration = instantOf(master.end!) - first;
    const starts = expandRecurrence({
      rule: ruleOf(master.recurrence!),
      start: wallClock(first, zone),
      timeZone: zone,
      from: from - duration,
      to,
    });
    const live: { event: GraphCalendarEvent; changed: number }[] = [];
    const removed: { id: string; changed: number }[] = [];
    const masterChanged = mailbox.events.get(master.id)?.changed ?? 0;
    for (const at of starts) {
      const id = `${master.id}.${at}`;
      const exception = mailbox.exceptions.get(id);
      if (exception?.event === null) {
        removed.push({ id, changed: exception.changed });
        continue;
      }
      const { recurrence: _recurrence, ...rest } = master;
      const event = exception?.event ?? {
        ...rest,
        id,
        type: "occurrence" as const,
        seriesMasterId: master.id,
        originalStart: new Date(at).toISOString(),
        start: { dateTime: graphDateTime(at), timeZone: "UTC" },
        end: { dateTime: graphDateTime(at + duration), timeZone: "UTC" },
      };
      if (overlaps(event, from, to))
        live.push({ event, changed: Math.max(masterChanged, exception?.changed ?? 0) });
    }
    return { live, removed };
  }

  /** A stored event, or an instance of a series by its id. */
  function findEvent(mailbox: Mailbox, id: string): GraphCalendarEvent | null {
    const stored = mailbox.events.get(id);
    if (stored) return stored.event;
    const cut = id.lastIndexOf(".");
    const master = cut > 0 ? mailbox.events.get(id.slice(0, cut))?.event : undefined;
    if (!master?.recurrence) return null;
    const at = Number(id.slice(cut + 1));
    return instancesOf(mailbox, master, at, at + 1).live.find(({ event }) => event.id === id)?.event ?? null;
  }

  function deltaRoute(req: Request, res: Response, mailbox: Mailbox) {
    stats.deltaRequests++;
    const query = req.query as Record<string, string | undefined>;
    const origin = `${req.protocol}://${req.get("host")}`;
    const base = `${origin}${req.baseUrl}${req.path}`;
    const pageSize = Math.min(
      Number(/odata\.maxpagesize=(\d+)/i.exec(req.header("prefer") ?? "")?.[1] ?? 100) || 100,
      1000,
    );
    let items: unknown[];
    let deltaToken: string;
    if (query.$skiptoken) {
      const page = skipTokens.get(query.$skiptoken);
      if (!page) {
        res.status(400).json(graphError("ErrorInvalidUrlQuery", "The skip token is not valid."));
        return;
      }
      skipTokens.delete(query.$skiptoken);
      items = page.items;
      deltaToken = page.deltaToken;
    } else if (query.$deltatoken) {
      const state = deltaTokens.get(query.$deltatoken);
      if (!state || state.accountId !== mailbox.account.id) {
        res
          .status(410)
          .json(
            graphError(
              "SyncStateNotFound",
              "The sync state generation is not found or expired; start a new sync.",
            ),
          );
        return;
      }
      items = [];
      for (const { event, changed } of mailbox.events.values()) {
        if (event.recurrence) {
          const instances = instancesOf(mailbox, event, state.from, state.to);
          for (const instance of instances.live)
            if (instance.changed > state.counter) items.push(present(req, instance.event));
          for (const gone of instances.removed)
            if (gone.changed > state.counter)
              items.push({ id: visibleId(req, gone.id), "@removed": { reason: "deleted" } });
        } else if (changed > state.counter && overlaps(event, state.from, state.to))
          items.push(present(req, event));
      }
      for (const [id, changed] of mailbox.removed)
        if (changed > state.counter)
          items.push({ id: visibleId(req, id), "@removed": { reason: "deleted" } });
      deltaToken = randomBytes(18).toString("base64url");
      deltaTokens.set(deltaToken, { ...state, counter: mailbox.counter });
    } else {
      if (!query.startDateTime || !query.endDateTime) {
        res
          .status(400)
          .json(
            graphError(
              "ErrorInvalidParameter",
              "This request requires a time window specified by startDateTime and endDateTime.",
            ),
          );
        return;
      }
      const from = Date.parse(query.startDateTime);
      const to = Date.parse(query.endDateTime);
      items = [...mailbox.events.values()]
        .flatMap(({ event }) =>
          event.recurrence
            ? instancesOf(mailbox, event, from, to).live.map((instance) => instance.event)
            : overlaps(event, from, to)
              ? [event]
              : [],
        )
        .map((event) => present(req, event));
      deltaToken = randomBytes(18).toString("base64url");
      deltaTokens.set(deltaToken, { accountId: mailbox.account.id, counter: mailbox.counter, from, to });
    }
    const value = items.slice(0, pageSize);
    const rest = items.slice(pageSize);
    let link: Record<string, string>;
    if (rest.length > 0) {
      const skip = randomBytes(18).toString("base64url");
      skipTokens.set(skip, { items: rest, deltaToken });
      link = { "@odata.nextLink": `${base}?$skiptoken=${skip}` };
    } else {
      link = { "@odata.deltaLink": `${base}?$deltatoken=${deltaToken}` };
    }
    res.set("preference-applied", `odata.maxpagesize=${pageSize}`).json({
      "@odata.context": `${origin}/v1.0/$metadata#Collection(event)`,
      value,
      ...link,
    });
  }
  /**
   * List calendars (https://learn.microsoft.com/graph/api/user-list-calendars): the mailbox's one
   * calendar here, the default, which its user can edit.
   */
  app.get(
    "/v1.0/me/calendars",
    guarded((_req, res, mailbox) => {
      res.json({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendars",
        value: [
          {
            id: `AAMkCal-${mailbox.account.id}`,
            name: "Calendar",
            isDefaultCalendar: true,
            canEdit: true,
            owner: { name: mailbox.account.name, address: mailbox.account.email },
          },
        ],
      });
    }),
  );
  app.get("/v1.0/me/calendarView/delta", guarded(deltaRoute));
  app.get("/v1.0/me/calendars/:calendarId/calendarView/delta", guarded(deltaRoute));

  const json = express.json({ limit: "1mb" });
  const create = guarded((req, res, mailbox) => {
    const body = req.body as GraphCalendarEvent;
    if (!body.start || !body.end) {
      res.status(400).json(graphError("ErrorInvalidRequest", "Start and end are required."));
      return;
    }
    if (body.transactionId) {
      const existing = [...mailbox.events.values()].find(
        ({ event }) => event.transactionId === body.transactionId,
      );
      if (existing) {
        res.status(201).json(present(req, existing.event));
        return;
      }
    }
    stats.inserts++;
    const event: GraphCalendarEvent = {
      ...body,
      id: `AAMkAD${randomBytes(24).toString("base64url")}`,
      type: body.recurrence ? "seriesMaster" : "singleInstance",
      seriesMasterId: null,
      isCancelled: false,
      createdDateTime: new Date(now()).toISOString(),
      transactionId: body.transactionId ?? null,
    };
    touch(mailbox, event, "created");
    res.status(201).json(present(req, event));
  });
  app.post("/v1.0/me/events", json, create);
  app.post("/v1.0/me/calendars/:calendarId/events", json, create);

  /** List instances (https://learn.microsoft.com/graph/api/event-list-instances): a series' in a window. */
  app.get(
    "/v1.0/me/events/:id/instances",
    guarded((req, res, mailbox) => {
      const master = mailbox.events.get(storedId(req.params.id as string))?.event;
      const query = req.query as Record<string, string | undefined>;
      if (!master?.recurrence || !query.startDateTime || !query.endDateTime) {
        res
          .status(master ? 400 : 404)
          .json(
            graphError(
              "ErrorInvalidParameter",
              "A series master and startDateTime, endDateTime are required.",
            ),
          );
        return;
      }
      const { live } = instancesOf(
        mailbox,
        master,
        Date.parse(query.startDateTime),
        Date.parse(query.endDateTime),
      );
      // Paged as Graph pages collections (https://learn.microsoft.com/graph/paging): 10 by default or
      // `$top`, the rest behind `@odata.nextLink`. `Prefer: odata.maxpagesize` is not promised for
      // instances, so it is not honoured here: a client must follow the links.
      const size = Number(query.$top) || 10;
      const skip = Number(query.$skip) || 0;
      const page = live.slice(skip, skip + size);
      const next =
        skip + size < live.length
          ? `${req.protocol}://${req.get("host")}${req.baseUrl}${req.path}?${new URLSearchParams({
              ...(query as Record<string, string>),
              $skip: String(skip + size),
            })}`
          : undefined;
      res.json({
        value: page.map(({ event }) => present(req, event)),
        ...(next && { "@odata.nextLink": next }),
      });
    }),
  );

  /**
   * An occurrence changed on its own becomes an exception; one deleted leaves the series
   * (https://learn.microsoft.com/graph/api/resources/event, type).
   */
  function changeInstance(mailbox: Mailbox, id: string, next: GraphCalendarEvent | null) {
    mailbox.counter++;
    mailbox.exceptions.set(id, { event: next, changed: mailbox.counter });
    if (next) next.changeKey = randomBytes(9).toString("base64url");
    notify(mailbox, next ?? { id }, next ? "updated" : "deleted");
  }
  // An instance id (a master's id and an original start) is answered here; the rest go on.
  app.use("/v1.0/me/events/:id", json, (req, res, next) => {
    const instance = /\.\d+$/.test(req.params.id as string) && req.path === "/";
    if (instance && ["GET", "PATCH", "DELETE"].includes(req.method)) instanceRoute(req, res);
    else next();
  });
  const instanceRoute = guarded((req, res, mailbox) => {
    const id = storedId(req.params.id as string);
    const current = findEvent(mailbox, id);
    if (!current) {
      res
        .status(404)
        .json(graphError("ErrorItemNotFound", "The specified object was not found in the store."));
      return;
    }
    if (req.method === "GET") {
      res.json(present(req, current));
    } else if (req.method === "DELETE") {
      changeInstance(mailbox, id, null);
      res.status(204).end();
    } else {
      const next: GraphCalendarEvent = {
        ...current,
        ...(req.body as Partial<GraphCalendarEvent>),
        id,
        type: "exception",
        lastModifiedDateTime: new Date(now()).toISOString(),
      };
      changeInstance(mailbox, id, next);
      res.json(present(req, next));
    }
  });

  app.get(
    "/v1.0/me/events/:id",
    guarded((req, res, mailbox) => {
      const stored = mailbox.events.get(storedId(req.params.id as string));
      if (!stored) {
        res
          .status(404)
          .json(graphError("ErrorItemNotFound", "The specified object was not found in the store."));
        return;
      }
      res.json(present(req, stored.event));
    }),
  );
  app.patch(
    "/v1.0/me/events/:id",
    json,
    guarded((req, res, mailbox) => {
      const stored = mailbox.events.get(storedId(req.params.id as string));
      if (!stored) {
        res
          .status(404)
          .json(graphError("ErrorItemNotFound", "The specified object was not found in the store."));
        return;
      }
      const ifMatch = req.header("if-match");
      if (ifMatch && ifMatch !== `W/"${stored.event.changeKey}"`) {
        res
          .status(412)
          .json(
            graphError(
              "ErrorIrresolvableConflict",
              "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
            ),
          );
        return;
      }
      const change = req.body as Partial<GraphCalendarEvent>;
      const event = { ...stored.event, ...change, id: stored.event.id };
      // New times in a new zone move the event to that zone, as Outlook does.
      if (change.start) delete event.originalStartTimeZone;
      if (change.end) delete event.originalEndTimeZone;
      touch(mailbox, event, "updated");
      res.json(present(req, event));
    }),
  );
  app.delete(
    "/v1.0/me/events/:id",
    guarded((req, res, mailbox) => {
      const id = storedId(req.params.id as string);
      const stored = mailbox.events.get(id);
      if (!stored) {
        res
          .status(404)
          .json(graphError("ErrorItemNotFound", "The specified object was not found in the store."));
        return;
      }
      removeEvent(mailbox, stored.event);
      res.status(204).end();
    }),
  );

  function removeEvent(mailbox: Mailbox, event: GraphCalendarEvent) {
    mailbox.events.delete(event.id);
    mailbox.counter++;
    mailbox.removed.set(event.id, mailbox.counter);
    notify(mailbox, event, "deleted");
  }

  /** Graph's validation request: the endpoint must echo the token as text/plain with 200 within 10 s. */
  async function validate(url: string): Promise<boolean> {
    stats.validations++;
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    try {
      const response = await fetch(
        `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`,
        {
          method: "POST",
          headers: { "content-type": "text/plain; charset=utf-8" },
          signal: AbortSignal.timeout(10_000),
        },
      );
      return (
        response.status === 200 &&
        /^text\/plain/i.test(response.headers.get("content-type") ?? "") &&
        (await response.text()) === token
      );
    } catch {
      return false;
    }
  }

  function checkExpiration(res: Response, value: unknown): number | null {
    const at = Date.parse(String(value ?? ""));
    if (!Number.isFinite(at) || at <= now() || at > now() + maxSubscriptionMinutes * 60_000) {
      res
        .status(400)
        .json(
          graphError(
            "ExtensionError",
            `Subscription expiration can only be ${maxSubscriptionMinutes} minutes in the future.`,
          ),
        );
      return null;
    }
    return at;
  }

  app.post("/v1.0/subscriptions", json, async (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      res.status(401).json(graphError("InvalidAuthenticationToken", "Access token is empty or invalid."));
      return;
    }
    const body = req.body as Partial<Subscription>;
    if (!body.changeType || !body.notificationUrl || !body.resource) {
      res
        .status(400)
        .json(graphError("InvalidRequest", "changeType, notificationUrl and resource are required."));
      return;
    }
    if (checkExpiration(res, body.expirationDateTime) === null) return;
    const urls = [
      body.notificationUrl,
      ...(body.lifecycleNotificationUrl ? [body.lifecycleNotificationUrl] : []),
    ];
    for (const url of new Set(urls)) {
      if (!(await validate(url))) {
        res
          .status(400)
          .json(
            graphError(
              "ValidationError",
              "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
            ),
          );
        return;
      }
    }
    const subscription: Subscription = {
      id: randomUUID(),
      accountId: account.id,
      changeType: body.changeType,
      notificationUrl: body.notificationUrl,
      ...(body.lifecycleNotificationUrl && { lifecycleNotificationUrl: body.lifecycleNotificationUrl }),
      resource: body.resource,
      expirationDateTime: new Date(Date.parse(body.expirationDateTime!)).toISOString(),
      ...(body.clientState !== undefined && { clientState: body.clientState }),
    };
    subscriptions.set(subscription.id, subscription);
    res.status(201).json({
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
      ...subscription,
      accountId: undefined,
      applicationId: "sandbox-app",
      creatorId: account.id,
    });
  });
  app.patch("/v1.0/subscriptions/:id", json, (req, res) => {
    const account = oauth.bearer(req);
    const subscription = subscriptions.get(req.params.id as string);
    if (!account || !subscription || subscription.accountId !== account.id) {
      res.status(404).json(graphError("ResourceNotFound", "The object was not found."));
      return;
    }
    const at = checkExpiration(res, req.body?.expirationDateTime);
    if (at === null) return;
    subscription.expirationDateTime = new Date(at).toISOString();
    res.json({ ...subscription, accountId: undefined });
  });
  app.delete("/v1.0/subscriptions/:id", (req, res) => {
    const account = oauth.bearer(req);
    const subscription = subscriptions.get(req.params.id as string);
    if (!account || !subscription || subscription.accountId !== account.id) {
      res.status(404).json(graphError("ResourceNotFound", "The object was not found."));
      return;
    }
    subscriptions.delete(subscription.id);
    res.status(204).end();
  });

  return {
    stats,
    control,
    /**
     * A change the user makes in Outlook: creates or replaces an event, its times in any zone Graph
     * takes; `originalStartTimeZone` defaults to the Windows name of `start.timeZone`.
     */
    put(
      accountId: string,
      event: Omit<GraphCalendarEvent, "id"> & { id?: string; start: { dateTime: string; timeZone: string } },
    ) {
      const mailbox = mailboxOf(accountById(accountId));
      const existing = event.id ? mailbox.events.get(event.id) : undefined;
      const next: GraphCalendarEvent = {
        type: "singleInstance",
        isCancelled: false,
        createdDateTime: new Date(now()).toISOString(),
        ...existing?.event,
        ...event,
        id: event.id ?? `AAMkAD${randomBytes(24).toString("base64url")}`,
      };
      touch(mailbox, next, existing ? "updated" : "created");
      return next;
    },
    /** The instances of a series within a year and a half of now, its exceptions applied. */
    instances(accountId: string, masterId: string): GraphCalendarEvent[] {
      const mailbox = mailboxOf(accountById(accountId));
      const master = mailbox.events.get(masterId)?.event;
      if (!master?.recurrence) return [];
      const year = 366 * 86_400_000;
      return instancesOf(mailbox, master, now() - year, now() + year).live.map(({ event }) => event);
    },
    /** A change made in Outlook to one occurrence of a series, which makes it an exception. */
    patchInstance(accountId: string, id: string, change: Partial<GraphCalendarEvent>) {
      const mailbox = mailboxOf(accountById(accountId));
      const current = findEvent(mailbox, id);
      if (!current) throw new Error(`no instance ${id}`);
      const next: GraphCalendarEvent = { ...current, ...change, id, type: "exception" };
      changeInstance(mailbox, id, next);
      return next;
    },
    /** One occurrence of a series deleted in Outlook. */
    removeInstance(accountId: string, id: string) {
      changeInstance(mailboxOf(accountById(accountId)), id, null);
    },
    patch(accountId: string, id: string, change: Partial<GraphCalendarEvent>) {
      const mailbox = mailboxOf(accountById(accountId));
      const stored = mailbox.events.get(id);
      if (!stored) throw new Error(`no event ${id}`);
      const next = { ...stored.event, ...change, id };
      touch(mailbox, next, "updated");
      return next;
    },
    remove(accountId: string, id: string) {
      const mailbox = mailboxOf(accountById(accountId));
      const stored = mailbox.events.get(id);
      if (!stored) throw new Error(`no event ${id}`);
      removeEvent(mailbox, stored.event);
    },
    list(accountId: string): GraphCalendarEvent[] {
      return [...mailboxOf(accountById(accountId)).events.values()].map(({ event }) => event);
    },
    /** Many events at once, without notifications, for benchmarks. */
    seed(accountId: string, events: GraphCalendarEvent[]) {
      const mailbox = mailboxOf(accountById(accountId));
      for (const event of events) {
        mailbox.counter++;
        mailbox.events.set(event.id, {
          event: {
            type: "singleInstance",
            isCancelled: false,
            changeKey: String(mailbox.counter),
            lastModifiedDateTime: new Date(now()).toISOString(),
            ...event,
          },
          changed: mailbox.counter,
        });
      }
    },
    /** Graph drops every delta token: the next round answers 410. */
    expireDeltaTokens() {
      deltaTokens.clear();
    },
    subscriptions(): Subscription[] {
      return [...subscriptions.values()].map((subscription) => ({ ...subscription }));
    },
    /** Sends a lifecycle notification as Graph would; subscriptionRemoved also drops the subscription. */
    lifecycle(
      subscriptionId: string,
      lifecycleEvent: "reauthorizationRequired" | "subscriptionRemoved" | "missed",
    ) {
      const subscription = subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
      if (lifecycleEvent === "subscriptionRemoved") subscriptions.delete(subscriptionId);
      post(subscription.lifecycleNotificationUrl ?? subscription.notificationUrl, {
        value: [
          {
            subscriptionId,
            subscriptionExpirationDateTime: subscription.expirationDateTime,
            tenantId: "sandbox-tenant",
            ...(subscription.clientState !== undefined && { clientState: subscription.clientState }),
            lifecycleEvent,
          },
        ],
      });
    },
    graphDateTime,
  };
}

export type GraphCalendarApi = ReturnType<typeof createGraphCalendarApi>;
