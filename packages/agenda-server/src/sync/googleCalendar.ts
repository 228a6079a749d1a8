import type { Attendee, Conference } from "@crm-agenda/shared";
import type { OAuthProvider } from "../connections/oauthProviders";
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
} from "./CalendarProvider";
import { calendarRequest, zonedDate, zonedMidnight } from "./calendarHttp";

/** The private extended property naming the agenda event a Google event was written from. */
export const googleMarkerKey = "crmAgendaEventId";

/** Google Calendar API v3's event resource, the part the agenda reads and writes. */
export interface GoogleEvent {
  id: string;
  status?: "confirmed" | "tentative" | "cancelled";
  etag?: string;
  updated?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: { dateTime?: string; date?: string; timeZone?: string };
  end?: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: { email?: string; displayName?: string; responseStatus?: string; resource?: boolean }[];
  recurringEventId?: string;
  hangoutLink?: string;
  conferenceData?: {
    conferenceId?: string;
    entryPoints?: { entryPointType?: string; uri?: string }[];
    conferenceSolution?: { key?: { type?: string } };
    createRequest?: unknown;
  };
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
}

interface GoogleEventList {
  items?: GoogleEvent[];
  nextPageToken?: string;
  nextSyncToken?: string;
  timeZone?: string;
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
  if (event.status === "cancelled" || !event.start || !event.end)
    return { externalId: event.id, removed: true };
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
    crmEventId: event.extendedProperties?.private?.[googleMarkerKey] ?? null,
  } satisfies ExternalEvent;
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
 * Google Calendar API v3 as a {@link CalendarProvider}:
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
  const api = `${provider.apiBaseUrl.replace(/\/+$/, "")}/calendar/v3`;
  const eventsUrl = (access: CalendarAccess) =>
    `${api}/calendars/${encodeURIComponent(access.calendarId)}/events`;
  const label = "Google Calendar";

  async function* list(access: CalendarAccess, query: Record<string, string>): AsyncIterable<ChangePage> {
    let pageToken = "";
    do {
      const params = new URLSearchParams({
        ...query,
        singleEvents: "true",
        maxResults: String(pageSize),
        ...(pageToken && { pageToken }),
      });
      const page = await calendarRequest<GoogleEventList>(label, {
        url: `${eventsUrl(access)}?${params}`,
        accessToken: access.accessToken,
        goneMeans: "cursor",
      });
      const timeZone = page.timeZone ?? "UTC";
      pageToken = page.nextPageToken ?? "";
      yield {
        changes: (page.items ?? []).map((item) => readGoogleEvent(item, timeZone)),
        ...(!pageToken && page.nextSyncToken && { nextCursor: page.nextSyncToken }),
      };
      if (!pageToken && !page.nextSyncToken)
        throw new ProviderRefusedError(`${label} ended a list without a sync token`, 502);
    } while (pageToken);
  }

  async function written(event: GoogleEvent): Promise<WrittenEvent> {
    const read = readGoogleEvent(event, "UTC");
    return {
      externalId: event.id,
      etag: event.etag ?? "",
      updatedAt: event.updated ? new Date(event.updated) : null,
      conference: read.removed ? null : read.conference,
    };
  }

  return {
    id: "google",
    /**
     * calendarList.list (https://developers.google.com/calendar/api/v3/reference/calendarList/list):
     * pages linked by `nextPageToken`; `minAccessRole=writer` keeps the calendars we may write to.
     */
    async listCalendars(access) {
      const calendars: AccountCalendar[] = [];
      let pageToken = "";
      do {
        const params = new URLSearchParams({ minAccessRole: "writer", ...(pageToken && { pageToken }) });
        const page = await calendarRequest<{
          items?: { id: string; summary?: string; summaryOverride?: string; primary?: boolean }[];
          nextPageToken?: string;
        }>(label, { url: `${api}/users/me/calendarList?${params}`, accessToken: access.accessToken });
        for (const item of page.items ?? []) {
          calendars.push({
            id: item.id,
            name: item.summaryOverride ?? item.summary ?? item.id,
            primary: item.primary === true,
          });
        }
        pageToken = page.nextPageToken ?? "";
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
      const channel = await calendarRequest<{ id: string; resourceId: string; expiration?: string }>(label, {
        method: "POST",
        url: `${eventsUrl(access)}/watch`,
        accessToken: access.accessToken,
        body: {
          id: input.channelId,
          type: "web_hook",
          address: input.address,
          token: input.secret,
          expiration: String(input.expiresAt.getTime()),
        },
      });
      return {
        id: channel.id,
        secret: input.secret,
        resourceId: channel.resourceId,
        expiresAt: new Date(Number(channel.expiration ?? input.expiresAt.getTime())),
      };
    },
    async renew() {
      return null;
    },
    async stopWatch(access, channel) {
      try {
        await calendarRequest(label, {
          method: "POST",
          url: `${api}/channels/stop`,
          accessToken: access.accessToken,
          body: { id: channel.id, resourceId: channel.resourceId },
        });
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
    async get(access, externalId) {
      try {
        const event = await calendarRequest<GoogleEvent>(label, {
          url: `${eventsUrl(access)}/${encodeURIComponent(externalId)}`,
          accessToken: access.accessToken,
        });
        const read = readGoogleEvent(event, "UTC");
        return read.removed ? null : (read as ExternalEvent);
      } catch (error) {
        if (error instanceof ExternalEventGoneError) return null;
        throw error;
      }
    },
    async insert(access, event) {
      const id = googleEventId(event.crmEventId);
      try {
        const created = await calendarRequest<GoogleEvent>(label, {
          method: "POST",
          url: `${eventsUrl(access)}?conferenceDataVersion=1`,
          accessToken: access.accessToken,
          body: { id, ...writeGoogleEvent(event) },
        });
        return written(created);
      } catch (error) {
        // 409 duplicate: an earlier attempt created it; the copy is brought up to date instead.
        if (!(error instanceof ProviderRefusedError) || error.status !== 409) throw error;
        return this.update(access, id, event, null);
      }
    },
    async update(access, externalId, event, ifMatch) {
      const updated = await calendarRequest<GoogleEvent>(label, {
        method: "PATCH",
        url: `${eventsUrl(access)}/${encodeURIComponent(externalId)}?conferenceDataVersion=1`,
        accessToken: access.accessToken,
        body: writeGoogleEvent(event),
        ...(ifMatch && { headers: { "if-match": ifMatch } }),
      });
      return written(updated);
    },
    async delete(access, externalId) {
      try {
        await calendarRequest(label, {
          method: "DELETE",
          url: `${eventsUrl(access)}/${encodeURIComponent(externalId)}`,
          accessToken: access.accessToken,
        });
      } catch (error) {
        if (!(error instanceof ExternalEventGoneError)) throw error;
      }
    },
  };
}
