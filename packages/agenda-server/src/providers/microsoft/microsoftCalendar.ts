import { type Attendee, type Conference, routes } from "@crm-agenda/shared";
import type * as MicrosoftGraph from "@microsoft/microsoft-graph-types";
import { convert as htmlToText } from "html-to-text";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import { fromBasicUtc, ruleText } from "../../series/expandSeries";
import type {
  AccountCalendar,
  CalendarAccess,
  CalendarProvider,
  ChangePage,
  ExternalChange,
  ExternalEvent,
  OutboundEvent,
  WrittenEvent,
} from "../../sync/CalendarProvider";
import { ExternalEventGoneError } from "../../sync/CalendarProvider";
import {
  type CalendarRequest,
  calendarRequest,
  maxInPlaceRetryMs,
  retryAfterSeconds,
  zonedDate,
  zonedMidnight,
  zonedTime,
  zonedWallClock,
} from "../../sync/calendarHttp";
import { ProviderUnavailableError } from "../providerFetch";
import { graphZoneName, ianaFromGraph } from "./graphTimeZones";

/**
 * Our marker on Outlook events: a string extended property in our own property set
 * (https://learn.microsoft.com/graph/api/resources/extended-properties-overview).
 */
export const graphMarkerId = "String {0b7c5d2e-58c4-4f43-9d0b-6a1d4cbe7a11} Name crmAgendaEventId";

/**
 * Graph's event resource (https://learn.microsoft.com/graph/api/resources/event) as
 * `@microsoft/microsoft-graph-types` describes it, with the id always present and delta's `@removed`
 * (https://learn.microsoft.com/graph/delta-query-events).
 */
export type GraphEvent = Omit<MicrosoftGraph.Event, "id"> & {
  id: string;
  "@removed"?: { reason?: string };
};
const responses: Record<string, Attendee["responseStatus"]> = {
  accepted: "accepted",
  organizer: "accepted",
  declined: "declined",
  tentativelyAccepted: "tentative",
};
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Concurrent requests Outlook allows per mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits). */
export const maxRequestsPerMailbox = 4;
const pageSize = 500;

/**
 * Graph's `dateTime` (seven fraction digits, no zone) read in its `timeZone`, whatever name that is:
 * "UTC" when `Prefer: outlook.timezone` was honoured as we ask, or the zone Graph chose when it was not
 * (https://learn.microsoft.com/graph/api/resources/datetimetimezone).
 */
function graphInstant(value: MicrosoftGraph.DateTimeTimeZone): Date {
  const trimmed = (value.dateTime ?? "").replace(/(\.\d{3})\d*$/, "$1");
  if (/Z$|[+-]\d\d:\d\d$/.test(trimmed)) return new Date(trimmed);
  return zonedTime(trimmed, ianaFromGraph(value.timeZone) ?? "UTC");
}

/**
 * The description as plain text. We ask for text bodies; an HTML one that still comes (a
 * `Prefer` dropped by a proxy, an older mailbox) is converted, never shown as markup.
 */
function plainBody(body: MicrosoftGraph.ItemBody | null | undefined): string | null {
  const content = body?.content;
  if (!content) return null;
  const text =
    body.contentType?.toLowerCase() === "html"
      ? htmlToText(content, {
          wordwrap: false,
          selectors: [
            { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
            { selector: "img", format: "skip" },
          ],
        })
      : content;
  return text.trim() || null;
}

export function readGraphEvent(event: GraphEvent): ExternalChange {
  const originalStart = event.originalStart ? new Date(event.originalStart) : null;
  if (event["@removed"] || event.isCancelled || !event.start?.dateTime || !event.end?.dateTime)
    return { externalId: event.id, removed: true, seriesId: event.seriesMasterId ?? null, originalStart };
  const allDay = event.isAllDay ?? false;
  // The event's own zone is where its organiser made it; `start.timeZone` is only how Graph wrote
  // the times for us.
  const timeZone = ianaFromGraph(event.originalStartTimeZone) ?? ianaFromGraph(event.start.timeZone) ?? "UTC";
  // All-day events are midnight to midnight whatever zone was asked
  // (https://learn.microsoft.com/graph/api/resources/event, isAllDay): the dates are the event's own.
  const start = allDay
    ? zonedMidnight(event.start.dateTime.slice(0, 10), timeZone)
    : graphInstant(event.start);
  const end = allDay ? zonedMidnight(event.end.dateTime.slice(0, 10), timeZone) : graphInstant(event.end);
  const joinUrl = event.onlineMeeting?.joinUrl;
  const conference: Conference | null = joinUrl
    ? { provider: event.onlineMeetingProvider === "teamsForBusiness" ? "teams" : "other", joinUrl }
    : null;
  const marker =
    event.singleValueExtendedProperties?.find(
      (property) => property.id?.toLowerCase() === graphMarkerId.toLowerCase(),
    )?.value ?? (event.transactionId && uuidPattern.test(event.transactionId) ? event.transactionId : null);
  return {
    externalId: event.id,
    etag: event.changeKey ?? "",
    updatedAt: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
    removed: false,
    title: event.subject?.trim() || "(sans titre)",
    description: plainBody(event.body),
    start,
    end: end.getTime() > start.getTime() ? end : new Date(start.getTime() + 60_000),
    allDay,
    timeZone,
    location: event.location?.displayName || null,
    conference,
    attendees: (event.attendees ?? [])
      .filter((attendee) => attendee.emailAddress?.address)
      .map((attendee) => ({
        email: attendee.emailAddress!.address!,
        ...(attendee.emailAddress?.name && { name: attendee.emailAddress.name }),
        responseStatus: responses[attendee.status?.response ?? ""] ?? "needsAction",
      })),
    seriesId: event.seriesMasterId ?? null,
    originalStart,
    crmEventId: marker,
    // https://learn.microsoft.com/graph/api/resources/event (showAs): free and working elsewhere leave
    // the time bookable, as Outlook's own scheduling assistant reads them.
    // The same doc's responseStatus: an invitation the user declined leaves the time free too.
    busy:
      event.showAs !== "free" &&
      event.showAs !== "workingElsewhere" &&
      event.responseStatus?.response !== "declined",
  } satisfies ExternalEvent;
}

/**
 * The event as Graph takes it: times on the wall clock of the event's own zone under its Windows
 * name, so Outlook shows and keeps the zone it was made in; all-day events from midnight to midnight
 * of their dates there.
 */
export function writeGraphEvent(event: OutboundEvent): Omit<GraphEvent, "id"> {
  const zone = graphZoneName(event.timeZone);
  const wallZone = zone.known ? event.timeZone : "UTC";
  const when = (instant: Date): MicrosoftGraph.DateTimeTimeZone =>
    event.allDay
      ? { dateTime: `${zonedDate(instant, wallZone)}T00:00:00`, timeZone: zone.timeZone }
      : { dateTime: zonedWallClock(instant, wallZone), timeZone: zone.timeZone };
  const link = event.conference?.joinUrl;
  return {
    subject: event.title,
    body: { contentType: "text", content: event.description ?? link ?? "" },
    start: when(event.start),
    end: when(event.end),
    isAllDay: event.allDay,
    location: { displayName: event.location ?? link ?? "" },
    attendees: event.attendees.map((attendee) => ({
      emailAddress: { address: attendee.email, ...(attendee.name && { name: attendee.name }) },
      type: "required",
    })),
    singleValueExtendedProperties: [{ id: graphMarkerId, value: event.crmEventId }],
    ...(event.recurrence && { recurrence: graphRecurrence(event) }),
  };
}

const graphDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const graphIndexes = { "1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last" } as const;

/**
 * A series' RRULE as Graph's patternedRecurrence
 * (https://learn.microsoft.com/graph/api/resources/patternedrecurrence): the pattern (daily, weekly
 * on days, absolute or relative monthly, yearly), and the range from the start's date in the
 * series' zone (under its Windows name) to an end date, a number of occurrences, or no end.
 */
export function graphRecurrence(event: OutboundEvent): MicrosoftGraph.PatternedRecurrence {
  const parts = Object.fromEntries(
    ruleText(event.recurrence!)
      .split(";")
      .map((part) => part.split("=") as [string, string]),
  );
  const startDate = zonedDate(event.start, event.timeZone);
  const startDay = graphDays[(new Date(`${startDate}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  const dayOf = (code: string) =>
    graphDays[["MO", "TU", "WE", "TH", "FR", "SA", "SU"].indexOf(code.slice(-2))]!;
  const byDay = parts.BYDAY?.split(",") ?? [];
  const interval = Number(parts.INTERVAL ?? 1);
  const monthDay = Number(startDate.slice(8, 10));
  const relative = byDay.length === 1 && /^-?\d/.test(byDay[0]!);
  const index = relative ? graphIndexes[byDay[0]!.slice(0, -2) as keyof typeof graphIndexes] : undefined;
  const pattern: MicrosoftGraph.RecurrencePattern =
    parts.FREQ === "DAILY"
      ? { type: "daily", interval }
      : parts.FREQ === "WEEKLY"
        ? {
            type: "weekly",
            interval,
            daysOfWeek: byDay.length > 0 ? byDay.map(dayOf) : [startDay],
            firstDayOfWeek: "monday",
          }
        : parts.FREQ === "MONTHLY"
          ? relative
            ? { type: "relativeMonthly", interval, daysOfWeek: [dayOf(byDay[0]!)], index }
            : { type: "absoluteMonthly", interval, dayOfMonth: Number(parts.BYMONTHDAY ?? monthDay) }
          : { type: "absoluteYearly", interval, dayOfMonth: monthDay, month: Number(startDate.slice(5, 7)) };
  const until = parts.UNTIL
    ? /T/.test(parts.UNTIL)
      ? zonedDate(fromBasicUtc(parts.UNTIL), event.timeZone)
      : `${parts.UNTIL.slice(0, 4)}-${parts.UNTIL.slice(4, 6)}-${parts.UNTIL.slice(6, 8)}`
    : null;
  const recurrenceTimeZone = graphZoneName(event.timeZone).timeZone;
  return {
    pattern,
    range: until
      ? { type: "endDate", startDate, endDate: until, recurrenceTimeZone }
      : parts.COUNT
        ? { type: "numbered", startDate, numberOfOccurrences: Number(parts.COUNT), recurrenceTimeZone }
        : { type: "noEnd", startDate, recurrenceTimeZone },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Microsoft Graph calendars as a {@link CalendarProvider}:
 * - sync: `calendarView/delta` (https://learn.microsoft.com/graph/delta-query-events) page by page
 *   with `Prefer: odata.maxpagesize`, `@odata.nextLink` followed to the `@odata.deltaLink` we keep;
 *   `@removed` items are deletions; 410 on a delta link means start again. Occurrences and exceptions
 *   of a series come as their own items.
 * - immutable ids (`Prefer: IdType="ImmutableId"`, https://learn.microsoft.com/graph/outlook-immutable-id)
 *   so moving an event between folders does not change its id; times asked in UTC.
 * - subscriptions (https://learn.microsoft.com/graph/api/subscription-post-subscriptions) on
 *   `me/events` with our clientState and a lifecycle URL, extended with PATCH before they end.
 * - writes carry our marker as an extended property and the agenda event id as `transactionId`, which
 *   Graph uses to answer a repeated create with the first event
 *   (https://learn.microsoft.com/graph/api/user-post-events).
 * - throttling: 429 waits out Retry-After (short waits here, longer ones back to the job queue), and
 *   at most 4 requests per mailbox run at once.
 */
export function createMicrosoftCalendar(provider: OAuthProvider): CalendarProvider {
  const api = provider.apiBaseUrl.replace(/\/+$/, "");
  const label = "Microsoft Graph";
  // Text bodies and UTC times (https://learn.microsoft.com/graph/api/event-get, request headers);
  // readGraphEvent still takes HTML and any zone Graph answers in, should a preference be ignored.
  const prefer = `odata.maxpagesize=${pageSize}, IdType="ImmutableId", outlook.timezone="UTC", outlook.body-content-type="text"`;
  const slots = new Map<string, { running: number; waiting: (() => void)[] }>();

  async function limited<T>(mailbox: string, work: () => Promise<T>): Promise<T> {
    let slot = slots.get(mailbox);
    if (!slot) {
      slot = { running: 0, waiting: [] };
      slots.set(mailbox, slot);
    }
    while (slot.running >= maxRequestsPerMailbox)
      await new Promise<void>((resolve) => slot!.waiting.push(resolve));
    slot.running++;
    try {
      return await work();
    } finally {
      slot.running--;
      slot.waiting.shift()?.();
      if (slot.running === 0 && slot.waiting.length === 0) slots.delete(mailbox);
    }
  }

  async function graph<T>(access: CalendarAccess, request: Omit<CalendarRequest, "accessToken">): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await limited(access.connectionId, () =>
          calendarRequest<T>(label, {
            ...request,
            accessToken: access.accessToken,
            headers: { prefer, ...request.headers },
          }),
        );
      } catch (error) {
        const wait = retryAfterSeconds(error);
        if (wait === null || wait * 1000 > maxInPlaceRetryMs || attempt >= 4) throw error;
        await sleep(wait * 1000);
      }
    }
  }

  const eventsPath = (access: CalendarAccess) =>
    access.calendarId ? `${api}/me/calendars/${encodeURIComponent(access.calendarId)}` : `${api}/me`;

  async function* pages(access: CalendarAccess, first: string): AsyncIterable<ChangePage> {
    let url: string | undefined = first;
    while (url) {
      const page: { value?: GraphEvent[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string } =
        await graph(access, { url, goneMeans: "cursor" });
      url = page["@odata.nextLink"];
      const changes = (page.value ?? []).filter((event) => event.type !== "seriesMaster").map(readGraphEvent);
      yield { changes, ...(!url && page["@odata.deltaLink"] && { nextCursor: page["@odata.deltaLink"] }) };
      if (!url && !page["@odata.deltaLink"])
        throw new ProviderUnavailableError(`${label} ended a delta without a link`);
    }
  }

  async function written(event: GraphEvent): Promise<WrittenEvent> {
    const read = readGraphEvent(event);
    return {
      externalId: event.id,
      etag: event.changeKey ?? "",
      updatedAt: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
      conference: read.removed ? null : read.conference,
    };
  }

  /**
   * A series' instances between `from` and `to` (https://learn.microsoft.com/graph/api/event-list-instances),
   * every page of them: Graph answers ten at a time unless asked otherwise. Deleted occurrences are
   * not among them.
   */
  async function listInstances(access: CalendarAccess, seriesId: string, from: Date, to: Date) {
    const query = new URLSearchParams({ startDateTime: from.toISOString(), endDateTime: to.toISOString() });
    let url: string | undefined = `${api}/me/events/${encodeURIComponent(seriesId)}/instances?${query}`;
    const instances: GraphEvent[] = [];
    while (url) {
      const page: { value?: GraphEvent[]; "@odata.nextLink"?: string } = await graph(access, { url });
      instances.push(...(page.value ?? []));
      url = page["@odata.nextLink"];
    }
    return instances;
  }

  /**
   * The occurrences of a series changed on their own: found among the series' instances
   * (https://learn.microsoft.com/graph/api/event-list-instances) by their `originalStart`, then
   * patched (moved or changed) or deleted (cancelled). One the series no longer has is passed over.
   */
  async function writeExceptions(access: CalendarAccess, seriesId: string, event: OutboundEvent) {
    const exceptions = event.exceptions ?? [];
    if (exceptions.length === 0) return;
    const starts = exceptions.map((exception) => exception.originalStart.getTime());
    const instances = await listInstances(
      access,
      seriesId,
      new Date(Math.min(...starts) - 86_400_000),
      new Date(Math.max(...starts) + 86_400_000),
    );
    for (const exception of exceptions) {
      const instance = instances.find(
        (candidate) =>
          candidate.originalStart &&
          Date.parse(candidate.originalStart) === exception.originalStart.getTime(),
      );
      if (!instance) continue;
      const url = `${api}/me/events/${encodeURIComponent(instance.id)}`;
      try {
        if (exception.event)
          await graph(access, {
            method: "PATCH",
            url,
            body: writeGraphEvent({ ...exception.event, addMeetLink: false }),
          });
        else await graph(access, { method: "DELETE", url });
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    }
  }

  return {
    id: "microsoft",
    async instanceStarts(access, seriesId, from, to) {
      const instances = await listInstances(access, seriesId, from, to);
      return instances.flatMap((instance) =>
        instance.originalStart ? [new Date(instance.originalStart)] : [],
      );
    },
    // The default calendar is addressed without an id (`/me/calendar`).
    mainCalendarId: "",
    // Graph caps Outlook event subscriptions at 4230 minutes
    // (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime).
    channelLifetimeMs: 4200 * 60_000,
    webhookPath: routes.microsoftWebhook.path,
    /**
     * List calendars (https://learn.microsoft.com/graph/api/user-list-calendars): `GET /me/calendars`,
     * pages linked by `@odata.nextLink`; calendars the user cannot edit are left out.
     */
    async listCalendars(access) {
      const calendars: AccountCalendar[] = [];
      let url: string | undefined = `${api}/me/calendars?$select=id,name,isDefaultCalendar,canEdit`;
      while (url) {
        const page: {
          value?: { id: string; name?: string; isDefaultCalendar?: boolean; canEdit?: boolean }[];
          "@odata.nextLink"?: string;
        } = await graph({ ...access, calendarId: "" }, { url });
        for (const item of page.value ?? []) {
          if (item.canEdit === false) continue;
          calendars.push({
            id: item.id,
            name: item.name ?? item.id,
            primary: item.isDefaultCalendar === true,
          });
        }
        url = page["@odata.nextLink"];
      }
      return calendars;
    },
    fullSync(access, window) {
      const query = new URLSearchParams({
        startDateTime: window.from.toISOString(),
        endDateTime: window.to.toISOString(),
      });
      return pages(access, `${eventsPath(access)}/calendarView/delta?${query}`);
    },
    incrementalSync(access, cursor) {
      return pages(access, cursor);
    },
    async watch(access, input) {
      const address = input.address;
      const subscription = await graph<{ id: string; expirationDateTime: string }>(access, {
        method: "POST",
        url: `${api}/subscriptions`,
        body: {
          changeType: "created,updated,deleted",
          notificationUrl: address,
          lifecycleNotificationUrl: address,
          resource: access.calendarId ? `me/calendars/${access.calendarId}/events` : "me/events",
          expirationDateTime: input.expiresAt.toISOString(),
          clientState: input.secret,
        },
      });
      return {
        id: subscription.id,
        secret: input.secret,
        resourceId: null,
        expiresAt: new Date(subscription.expirationDateTime),
      };
    },
    async renew(access, channel, expiresAt) {
      const subscription = await graph<{ id: string; expirationDateTime: string }>(access, {
        method: "PATCH",
        url: `${api}/subscriptions/${encodeURIComponent(channel.id)}`,
        body: { expirationDateTime: expiresAt.toISOString() },
      });
      return { ...channel, expiresAt: new Date(subscription.expirationDateTime) };
    },
    async stopWatch(access, channel) {
      try {
        await graph(access, {
          method: "DELETE",
          url: `${api}/subscriptions/${encodeURIComponent(channel.id)}`,
        });
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
    async get(access, externalId) {
      try {
        const event = await graph<GraphEvent>(access, {
          url: `${api}/me/events/${encodeURIComponent(externalId)}`,
        });
        const read = readGraphEvent(event);
        return read.removed ? null : (read as ExternalEvent);
      } catch (error) {
        if (error instanceof ExternalEventGoneError) return null;
        throw error;
      }
    },
    async insert(access, event) {
      const created = await graph<GraphEvent>(access, {
        method: "POST",
        url: `${eventsPath(access)}/events`,
        body: { ...writeGraphEvent(event), transactionId: event.crmEventId },
      });
      await writeExceptions(access, created.id, event);
      return written(created);
    },
    async update(access, externalId, event, ifMatch) {
      const updated = await graph<GraphEvent>(access, {
        method: "PATCH",
        url: `${api}/me/events/${encodeURIComponent(externalId)}`,
        body: writeGraphEvent(event),
        ...(ifMatch && { headers: { "if-match": `W/"${ifMatch}"` } }),
      });
      await writeExceptions(access, externalId, event);
      return written(updated);
    },
    async delete(access, externalId) {
      try {
        await graph(access, { method: "DELETE", url: `${api}/me/events/${encodeURIComponent(externalId)}` });
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
  };
}
