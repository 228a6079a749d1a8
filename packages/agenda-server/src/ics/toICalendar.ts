import { type CalendarEvent, isTimeZone } from "@crm-agenda/shared";
import ical, { ICalEventStatus } from "ical-generator";
import { Temporal } from "temporal-polyfill";
import { vTimezoneComponent } from "./vTimezoneComponent";

/** What an agenda event needs to become a VEVENT; `cancelled` marks an event called off but still listed. */
export type ICalendarEvent = Pick<
  CalendarEvent,
  | "id"
  | "title"
  | "description"
  | "start"
  | "end"
  | "allDay"
  | "timeZone"
  | "location"
  | "conference"
  | "createdAt"
  | "updatedAt"
> & { cancelled?: boolean };

export interface ICalendarOptions {
  /** The calendar's name shown by subscribing apps (X-WR-CALNAME). @default none */
  name?: string;
  /**
   * The zone subscribing apps show the calendar in when they ask (X-WR-TIMEZONE); each event keeps its
   * own zone either way. @default none
   */
  timeZone?: string;
  /** Hint to subscribing apps on how often to refresh, in seconds (REFRESH-INTERVAL, X-PUBLISHED-TTL). @default none */
  refreshSeconds?: number;
}

/** `<id>@crm-agenda`: the same for an event across every export and feed refresh, so apps update it in place. */
export function eventUid(id: string): string {
  return `${id}@crm-agenda`;
}

/**
 * SEQUENCE grows with each change of the event (RFC 5545 3.8.7.4); without a revision counter, the
 * seconds between creation and the last change do, and stay within a 32-bit integer for 68 years.
 */
function sequenceOf(event: ICalendarEvent): number {
  return Math.max(0, Math.floor((Date.parse(event.updatedAt) - Date.parse(event.createdAt)) / 1000));
}

function zonedDateTime(instant: string, timeZone: string) {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone);
}

/**
 * Agenda events as one iCalendar (RFC 5545) text: timed events in their own IANA zone (TZID with a
 * VTIMEZONE each), all-day events as DATE values, cancelled ones with STATUS:CANCELLED, text escaped
 * and lines folded by ical-generator. The output depends only on the events, so it can be an ETag's source.
 */
export function toICalendar(given: readonly ICalendarEvent[], options: ICalendarOptions = {}): string {
  // A zone this runtime does not know (an old synced row, a trimmed ICU) would fail the whole feed:
  // such an event is written in UTC, at the same instants.
  const events = given.map((event) => (isTimeZone(event.timeZone) ? event : { ...event, timeZone: "UTC" }));
  const years = events.flatMap((event) => [
    zonedDateTime(event.start, event.timeZone).year,
    zonedDateTime(event.end, event.timeZone).year,
  ]);
  const fromYear = years.length ? Math.min(...years) : 2000;
  const toYear = years.length ? Math.max(...years) : 2000;
  const calendar = ical({
    prodId: { company: "crm-agenda", product: "agenda", language: "EN" },
    ...(options.name && { name: options.name }),
    ...(options.refreshSeconds && { ttl: options.refreshSeconds }),
    // No calendar-wide zone name: ical-generator would then write DTSTAMP and CREATED as floating local
    // times, where RFC 5545 wants UTC. The events carry their zones; the name goes in X-WR-TIMEZONE below.
    timezone: { name: null, generator: (timeZone) => vTimezoneComponent(timeZone, fromYear, toYear) },
  });
  if (options.timeZone) calendar.x("X-WR-TIMEZONE", options.timeZone);
  for (const event of events) {
    const start = zonedDateTime(event.start, event.timeZone);
    const end = zonedDateTime(event.end, event.timeZone);
    const joinUrl = event.conference?.joinUrl;
    calendar.createEvent({
      id: eventUid(event.id),
      sequence: sequenceOf(event),
      stamp: new Date(event.updatedAt),
      created: new Date(event.createdAt),
      lastModified: new Date(event.updatedAt),
      summary: event.title,
      description: [event.description, joinUrl].filter(Boolean).join("\n\n") || null,
      location: event.location || joinUrl || null,
      ...(joinUrl && { url: joinUrl }),
      ...(event.allDay
        ? // The stored bounds are local midnights: their dates in the event's zone are the DATE values.
          { allDay: true, start: start.toPlainDate(), end: end.toPlainDate() }
        : { start, end, timezone: event.timeZone }),
      ...(event.cancelled && { status: ICalEventStatus.CANCELLED }),
    });
  }
  return calendar.toString();
}
