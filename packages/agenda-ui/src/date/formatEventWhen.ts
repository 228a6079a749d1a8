import { TZDate } from "@date-fns/tz";
import { isSameDay, subDays } from "date-fns";
import type { AgendaLocale } from "../messages/AgendaMessages";
import { getDateFormats } from "./dateFormats";

/** The fields of an event that say when it happens. */
export interface EventTiming {
  /** ISO 8601 instant with an offset. */
  start: string;
  /** ISO 8601 instant with an offset; exclusive. */
  end: string;
  /** True for an event that covers whole days. */
  allDay: boolean;
  /** The event's own zone; all-day events keep their dates in it. */
  timeZone?: string;
}

/** How {@link formatEventWhen} writes. */
export interface FormatEventWhenOptions {
  /** The zone the agenda shows times in. */
  timeZone: string;
  /** The language to write in. */
  locale: AgendaLocale;
  /** The words for "all day" in the agenda's messages. */
  allDayLabel: string;
}

/**
 * When an event happens, in full, for screen readers and tooltips:
 * "mardi 24 novembre 2026, 09:00 – 10:00", "lundi 23 novembre 2026 – mardi 24 novembre 2026, toute la journée".
 */
export function formatEventWhen(event: EventTiming, options: FormatEventWhenOptions): string {
  if (event.allDay) {
    // An all-day event is a set of dates in its own zone; its end is the midnight after its last day.
    const zone = event.timeZone ?? options.timeZone;
    const firstDay = new TZDate(event.start, zone);
    const lastDay = subDays(new TZDate(event.end, zone), 1);
    const { fullDate } = getDateFormats(options.locale, zone);
    const dates =
      lastDay.getTime() <= firstDay.getTime() || isSameDay(firstDay, lastDay)
        ? fullDate(firstDay)
        : `${fullDate(firstDay)} – ${fullDate(lastDay)}`;
    return `${dates}, ${options.allDayLabel.toLocaleLowerCase(options.locale)}`;
  }
  const start = new TZDate(event.start, options.timeZone);
  const end = new TZDate(event.end, options.timeZone);
  const { fullDate, time } = getDateFormats(options.locale, options.timeZone);
  if (isSameDay(start, end)) return `${fullDate(start)}, ${time(start)} – ${time(end)}`;
  return `${fullDate(start)}, ${time(start)} – ${fullDate(end)}, ${time(end)}`;
}

/** The start and end times of a timed event, short: "09:00 – 10:00" / "9:00 AM – 10:00 AM". */
export function formatEventTimes(event: EventTiming, timeZone: string, locale: AgendaLocale): string {
  const { time } = getDateFormats(locale, timeZone);
  return `${time(Date.parse(event.start))} – ${time(Date.parse(event.end))}`;
}
