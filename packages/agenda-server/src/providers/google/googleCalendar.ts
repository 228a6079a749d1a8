import { type Attendee, type Conference, routes } from "@crm-agenda/shared";
import { calendar_v3 } from "@googleapis/calendar";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import { basicUtc, ruleText } from "../../series/expandSeries";
import {
  type AccountCalendar,
  type CalendarAccess,
  type CalendarProvider,
  type ChangePage,
  type ExternalChange,
  type ExternalEvent,
  ExternalEventGoneError,
  type OutboundEvent,
  ProviderRefusedError,
  type WrittenEvent,
} from "../../sync/CalendarProvider";
import { calendarFailure, zonedDate, zonedMidnight, zonedWallClock } from "../../sync/calendarHttp";
import { ProviderUnavailableError } from "../providerFetch";
import { googleApiOptions, googleFailure } from "./googleApiOptions";

/** The private extended property naming the agenda event a Google event was written from. */
export const googleMarkerKey = "crmAgendaEventId";

/** Google Calendar API v3's event resource, the part the agenda reads and writes. */
export interface GoogleEvent {
  id: string;
  status?: "confirmed" | "tentative" | "cancelled";
  /** `transparent` does not block time (https://developers.google.com/calendar/api/v3/reference/events). */
  transparency?: "opaque" | "transparent";
  etag?: string;
  updated?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: { dateTime?: string; date?: string; timeZone?: string };
  end?: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: {
    email?: string;
    displayName?: string;
    responseStatus?: string;
    resource?: boolean;
    /** The calendar's own user (https://developers.google.com/calendar/api/v3/reference/events). */
    self?: boolean;
  }[];
  /** `workingLocation` is a place, not an appointment; `outOfOffice` and `focusTime` take the time. */
  eventType?: "default" | "outOfOffice" | "focusTime" | "workingLocation" | "birthday" | "fromGmail";
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: { dateTime?: string; date?: string; timeZone?: string };
  hangoutLink?: string;
  conferenceData?: {
    conferenceId?: string;
    entryPoints?: { entryPointType?: string; uri?: string }[];
    conferenceSolution?: { key?: { type?: string } };
    createRequest?: { requestId?: string; conferenceSolutionKey?: { type?: string } };
  };
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
}

/** Largest page events.list gives (https://developers.google.com/calendar/api/v3/reference/events/list). */
const pageSize = 2500;

/**
 * Our id for the Google copy of an agenda event: the event's UUID without dashes. Google lets the
 * client choose an event id of 5 to 1024 characters of base32hex (a–v, 0–9), which hex digits are
 * (https://developers.google.com/calendar/api/v3/reference/events/insert), so a retried insert
 * meets the first copy (409 duplicate) instead of making a second.
 */
export function googleEventId(crmEventId: string): string {
  return crmEventId.replaceAll("-", "").toLowerCase();
}

const responseStatuses = new Set(["needsAction", "accepted", "declined", "tentative"]);

/** A Google event in the agenda's terms; a cancelled one (or one of a cancelled series) is a removal. */
export function readGoogleEvent(event: GoogleEvent, calendarTimeZone: string): ExternalChange {
  const original = event.originalStartTime;
  const originalStart = original?.dateTime
    ? new Date(original.dateTime)
    : original?.date
      ? zonedMidnight(original.date, original.timeZone ?? event.start?.timeZone ?? calendarTimeZone)
      : null;
  // A cancelled instance names its series and original start: an occurrence deleted on its own.
  if (event.status === "cancelled" || !event.start || !event.end)
    return { externalId: event.id, removed: true, seriesId: event.recurringEventId ?? null, originalStart };
  const allDay = Boolean(event.start.date);
  const timeZone = event.start.timeZone ?? calendarTimeZone;
  const start = allDay ? zonedMidnight(event.start.date!, timeZone) : new Date(event.start.dateTime!);
  const end = allDay ? zonedMidnight(event.end.date!, timeZone) : new Date(event.end.dateTime!);
  const video = event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === "video")?.uri;
  const meetLink = event.hangoutLink ?? video;
  const conference: Conference | null = meetLink
    ? {
        provider:
          event.conferenceData?.conferenceSolution?.key?.type === "hangoutsMeet" || event.hangoutLink
            ? "meet"
            : "other",
        joinUrl: meetLink,
        ...(event.conferenceData?.conferenceId && { meetingId: event.conferenceData.conferenceId }),
      }
    : null;
  const attendees: Attendee[] = (event.attendees ?? [])
    .filter((attendee) => attendee.email && !attendee.resource)
    .map((attendee) => ({
      email: attendee.email!,
      ...(attendee.displayName && { name: attendee.displayName }),
      responseStatus: (responseStatuses.has(attendee.responseStatus ?? "")
        ? attendee.responseStatus
        : "needsAction") as Attendee["responseStatus"],
    }));
  return {
    externalId: event.id,
    etag: event.etag ?? "",
    updatedAt: event.updated ? new Date(event.updated) : null,
    removed: false,
    title: event.summary?.trim() || "(sans titre)",
    description: event.description ?? null,
    start,
    end: end.getTime() > start.getTime() ? end : new Date(start.getTime() + 60_000),
    allDay,
    timeZone,
    location: event.location ?? null,
    conference,
    attendees,
    seriesId: event.recurringEventId ?? null,
    originalStart,
    crmEventId: event.extendedProperties?.private?.[googleMarkerKey] ?? null,
    busy: googleEventIsBusy(event),
  } satisfies ExternalEvent;
}

/**
 * Whether a Google event takes the user's time, per the Events resource
 * (https://developers.google.com/calendar/api/v3/reference/events): a transparent event, an
 * invitation the user declined (`attendees[].self` with `responseStatus: "declined"`) and a working
 * location leave it free.
 */
export function googleEventIsBusy(event: GoogleEvent): boolean {
  if (event.transparency === "transparent") return false;
  if (event.eventType === "workingLocation") return false;
  return !event.attendees?.some((attendee) => attendee.self && attendee.responseStatus === "declined");
}

/**
 * A series' `recurrence` lines as Google keeps them: the RRULE, and an EXDATE on the series' wall
 * clock for each occurrence deleted on its own
 * (https://developers.google.com/calendar/api/concepts/events-calendars#recurring_events).
 */
export function googleRecurrence(event: OutboundEvent): string[] {
  const lines = [`RRULE:${ruleText(event.recurrence!)}`];
  const cancelled = (event.exceptions ?? []).filter((exception) => exception.event === null);
  if (cancelled.length > 0) {
    const values = cancelled.map((exception) =>
      event.allDay
        ? zonedDate(exception.originalStart, event.timeZone).replace(/-/g, "")
        : zonedWallClock(exception.originalStart, event.timeZone).replace(/[-:]/g, ""),
    );
    lines.push(
      event.allDay
        ? `EXDATE;VALUE=DATE:${values.join(",")}`
        : `EXDATE;TZID=${event.timeZone}:${values.join(",")}`,
    );
  }
  return lines;
}

/** The id Google gives an instance of a series: the series' id and the instance's original start. */
export function googleInstanceId(seriesId: string, originalStart: Date, allDay: boolean, timeZone: string) {
  return `${seriesId}_${allDay ? zonedDate(originalStart, timeZone).replace(/-/g, "") : basicUtc(originalStart)}`;
}

/** The Google event body for an agenda event, our marker in a private extended property. */
export function writeGoogleEvent(event: OutboundEvent): Omit<GoogleEvent, "id"> {
  const when = (instant: Date) =>
    event.allDay
      ? { date: zonedDate(instant, event.timeZone) }
      : { dateTime: instant.toISOString(), timeZone: event.timeZone };
  const elsewhere = event.conference?.joinUrl && event.conference.provider !== "meet";
  return {
    summary: event.title,
    description: event.description ?? (elsewhere ? event.conference!.joinUrl! : ""),
    location: event.location ?? (elsewhere ? event.conference!.joinUrl! : ""),
    start: when(event.start),
    end: when(event.end),
    attendees: event.attendees.map((attendee) => ({
      email: attendee.email,
      ...(attendee.name && { displayName: attendee.name }),
      responseStatus: attendee.responseStatus,
    })),
    extendedProperties: { private: { [googleMarkerKey]: event.crmEventId } },
    ...(event.recurrence && { recurrence: googleRecurrence(event) }),
    // https://developers.google.com/calendar/api/guides/create-events#conferencing
    ...(event.addMeetLink && {
      conferenceData: {
        createRequest: {
          requestId: `crm-agenda-${event.crmEventId}`,
          conferenceSolutionKey: { type: "hangoutsMeet" },
        },
      },
    }),
  };
}

/**
 * Google Calendar API v3 as a {@link CalendarProvider}, through Google's generated client
 * (`@googleapis/calendar`) with its `rootUrl` at the configured Google base URL:
 * - sync: https://developers.google.com/calendar/api/guides/sync — a full `events.list`, then
 *   incremental lists with the `syncToken`, every page followed (the token is on the last one), and
 *   410 GONE (`fullSyncRequired`) answered by a full resync. `singleEvents=true` hands us the
 *   instances of recurring series, moved and cancelled exceptions included
 *   (https://developers.google.com/calendar/api/guides/recurringevents).
 * - push: https://developers.google.com/calendar/api/guides/push — `events.watch` channels with our
 *   token, stopped with `channels.stop`; they cannot be extended, so a new one replaces the old.
 * - writes: `events.insert` with our own id, `conferenceDataVersion=1` for a Meet link, our marker in
 *   `extendedProperties.private` (https://developers.google.com/calendar/api/guides/extended-properties),
 *   `If-Match` on updates.
 */
export function createGoogleCalendar(provider: OAuthProvider): CalendarProvider {
  const label = "Google Calendar";
  const client = (access: { accessToken: string }) =>
    new calendar_v3.Calendar(googleApiOptions(provider.apiBaseUrl, access.accessToken));

  /** One call of the client, its failure sorted as every calendar request's is (see {@link calendarFailure}). */
  async function call<T>(request: () => Promise<{ data: T }>, goneMeans?: "cursor" | "event"): Promise<T> {
    try {
      return (await request()).data;
    } catch (error) {
      const failure = googleFailure(error);
      if (!failure) throw new ProviderUnavailableError(`${label} could not be reached`, { cause: error });
      throw calendarFailure(label, { ...failure, goneMeans });
    }
  }

  async function* list(
    access: CalendarAccess,
    query: { timeMin?: string; timeMax?: string; syncToken?: string },
  ): AsyncIterable<ChangePage> {
    const events = client(access).events;
    let pageToken: string | undefined;
    do {
      const page = await call(
        () =>
          events.list({
            calendarId: access.calendarId,
            ...query,
            singleEvents: true,
            maxResults: pageSize,
            ...(pageToken && { pageToken }),
          }),
        "cursor",
      );
      const timeZone = page.timeZone ?? "UTC";
      pageToken = page.nextPageToken ?? undefined;
      yield {
        changes: (page.items ?? []).map((item) => readGoogleEvent(item as GoogleEvent, timeZone)),
        ...(!pageToken && page.nextSyncToken && { nextCursor: page.nextSyncToken }),
      };
      if (!pageToken && !page.nextSyncToken)
        throw new ProviderRefusedError(`${label} ended a list without a sync token`, 502);
    } while (pageToken);
  }

  function written(event: calendar_v3.Schema$Event): WrittenEvent {
    const read = readGoogleEvent(event as GoogleEvent, "UTC");
    return {
      externalId: event.id ?? "",
      etag: event.etag ?? "",
      updatedAt: event.updated ? new Date(event.updated) : null,
      conference: read.removed ? null : read.conference,
    };
  }

  /**
   * The occurrences of a series changed on their own, each patched as its instance (cancelled ones
   * are EXDATEs of the series itself). An instance the series no longer has is passed over.
   */
  async function writeExceptions(access: CalendarAccess, seriesId: string, event: OutboundEvent) {
    for (const exception of event.exceptions ?? []) {
      if (!exception.event) continue;
      const instanceId = googleInstanceId(seriesId, exception.originalStart, event.allDay, event.timeZone);
      try {
        await call(() =>
          client(access).events.patch({
            calendarId: access.calendarId,
            eventId: instanceId,
            requestBody: writeGoogleEvent({ ...exception.event!, addMeetLink: false }),
          }),
        );
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    }
  }

  return {
    id: "google",
    mainCalendarId: "primary",
    // Google caps events channels at a week.
    channelLifetimeMs: 7 * 86_400_000,
    webhookPath: routes.googleCalendarWebhook.path,
    /**
     * calendarList.list (https://developers.google.com/calendar/api/v3/reference/calendarList/list):
     * pages linked by `nextPageToken`; `minAccessRole=writer` keeps the calendars we may write to.
     */
    async listCalendars(access) {
      const calendarList = client(access).calendarList;
      const calendars: AccountCalendar[] = [];
      let pageToken: string | undefined;
      do {
        const page = await call(() =>
          calendarList.list({ minAccessRole: "writer", ...(pageToken && { pageToken }) }),
        );
        for (const item of page.items ?? []) {
          if (!item.id) continue;
          calendars.push({
            id: item.id,
            name: item.summaryOverride ?? item.summary ?? item.id,
            primary: item.primary === true,
          });
        }
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
      return calendars;
    },
    fullSync(access, window) {
      return list(access, { timeMin: window.from.toISOString(), timeMax: window.to.toISOString() });
    },
    incrementalSync(access, cursor) {
      return list(access, { syncToken: cursor });
    },
    async watch(access, input) {
      const channel = await call(() =>
        client(access).events.watch({
          calendarId: access.calendarId,
          requestBody: {
            id: input.channelId,
            type: "web_hook",
            address: input.address,
            token: input.secret,
            expiration: String(input.expiresAt.getTime()),
          },
        }),
      );
      return {
        id: channel.id ?? input.channelId,
        secret: input.secret,
        resourceId: channel.resourceId ?? "",
        expiresAt: new Date(Number(channel.expiration ?? input.expiresAt.getTime())),
      };
    },
    async renew() {
      return null;
    },
    async stopWatch(access, channel) {
      try {
        await call(() =>
          client(access).channels.stop({
            requestBody: { id: channel.id, resourceId: channel.resourceId ?? null },
          }),
        );
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
    async get(access, externalId) {
      try {
        const event = await call(() =>
          client(access).events.get({ calendarId: access.calendarId, eventId: externalId }),
        );
        const read = readGoogleEvent(event as GoogleEvent, "UTC");
        return read.removed ? null : (read as ExternalEvent);
      } catch (error) {
        if (error instanceof ExternalEventGoneError) return null;
        throw error;
      }
    },
    async insert(access, event) {
      const id = googleEventId(event.crmEventId);
      try {
        const created = await call(() =>
          client(access).events.insert({
            calendarId: access.calendarId,
            conferenceDataVersion: 1,
            requestBody: { id, ...writeGoogleEvent(event) },
          }),
        );
        await writeExceptions(access, id, event);
        return written(created);
      } catch (error) {
        // 409 duplicate: an earlier attempt created it; the copy is brought up to date instead.
        if (!(error instanceof ProviderRefusedError) || error.status !== 409) throw error;
        return this.update(access, id, event, null);
      }
    },
    async update(access, externalId, event, ifMatch) {
      const updated = await call(() =>
        client(access).events.patch(
          {
            calendarId: access.calendarId,
            eventId: externalId,
            conferenceDataVersion: 1,
            requestBody: writeGoogleEvent(event),
          },
          ifMatch ? { headers: { "if-match": ifMatch } } : {},
        ),
      );
      await writeExceptions(access, externalId, event);
      return written(updated);
    },
    async delete(access, externalId) {
      try {
        await call(() =>
          client(access).events.delete({ calendarId: access.calendarId, eventId: externalId }),
        );
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
  };
}
