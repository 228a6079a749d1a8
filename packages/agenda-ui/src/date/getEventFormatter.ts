import type { AgendaLocale } from "../messages/AgendaMessages";
import { getDateFormats } from "./dateFormats";
import { type EventTiming, formatEventWhen } from "./formatEventWhen";
import { getZonedClock } from "./getZonedClock";

/** The texts an event shows and is named by, computed once per event object. */
export interface EventTexts {
  /** Start and end times, short: "09:00 – 10:00". */
  times: string;
  /** The start time alone: "09:00". */
  startTime: string;
  /** The full date of the start: "mardi 24 novembre 2026". */
  startDate: string;
  /** When it happens in full, as {@link formatEventWhen} writes it. */
  when: string;
  /** True when start and end fall on the same local date. */
  startsAndEndsSameDay: boolean;
}

/** Writes event times for one zone and language, remembering what it wrote. */
export interface EventFormatter {
  /** A time of day in the locale's clock: "09:00" / "9:00 AM". */
  time(instant: number): string;
  /** The full date of the local day holding `instant`. */
  fullDate(instant: number): string;
  /** The texts of `event`; the same object for the same event object. */
  describe<Event extends EventTiming>(event: Event): EventTexts;
}

/** Strings remembered per formatter; cleared past this many, so a long session stays small. */
const maximumCachedStrings = 10_000;
const formatters = new Map<string, EventFormatter>();

/**
 * The formatter of one zone, language and "all day" wording, shared by every chip: `Intl` formats
 * each distinct minute and day once, and each event's texts are kept beside the event object (a
 * `WeakMap`, so events dropped by the cache are forgotten), so a week of 1,000 events formats a few
 * hundred strings, not several thousand.
 */
export function getEventFormatter(
  timeZone: string,
  locale: AgendaLocale,
  allDayLabel: string,
): EventFormatter {
  const key = `${timeZone}\u0000${locale}\u0000${allDayLabel}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = createEventFormatter(timeZone, locale, allDayLabel);
    formatters.set(key, formatter);
  }
  return formatter;
}

function createEventFormatter(timeZone: string, locale: AgendaLocale, allDayLabel: string): EventFormatter {
  const clock = getZonedClock(timeZone);
  const formats = getDateFormats(locale, timeZone);
  const times = new Map<number, string>();
  const dates = new Map<number, string>();
  const texts = new WeakMap<EventTiming, EventTexts>();

  const time = (instant: number): string => {
    const minute = Math.floor(instant / 60_000);
    let text = times.get(minute);
    if (text === undefined) {
      if (times.size >= maximumCachedStrings) times.clear();
      text = formats.time(instant);
      times.set(minute, text);
    }
    return text;
  };
  const fullDate = (instant: number): string => {
    const day = clock.dayNumber(instant);
    let text = dates.get(day);
    if (text === undefined) {
      if (dates.size >= maximumCachedStrings) dates.clear();
      text = formats.fullDate(instant);
      dates.set(day, text);
    }
    return text;
  };

  return {
    time,
    fullDate,
    describe(event) {
      let described = texts.get(event);
      if (described !== undefined) return described;
      const start = Date.parse(event.start);
      const end = Date.parse(event.end);
      const startsAndEndsSameDay = clock.dayNumber(start) === clock.dayNumber(end);
      const startTime = time(start);
      const endTime = time(end);
      const startDate = fullDate(start);
      described = {
        times: `${startTime} – ${endTime}`,
        startTime,
        startDate,
        // All-day events keep their dates in their own zone: rare enough to write in full.
        when: event.allDay
          ? formatEventWhen(event, { timeZone, locale, allDayLabel })
          : startsAndEndsSameDay
            ? `${startDate}, ${startTime} – ${endTime}`
            : `${startDate}, ${startTime} – ${fullDate(end)}, ${endTime}`,
        startsAndEndsSameDay,
      };
      texts.set(event, described);
      return described;
    },
  };
}
