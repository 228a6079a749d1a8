import type { AgendaLocale } from "../messages/AgendaMessages";

/** How one language writes dates and times in one time zone. */
export interface DateFormats {
  /** "mardi 24 novembre 2026" / "Tuesday, November 24, 2026". */
  fullDate(date: Date | number): string;
  /** A time of day: "09:00" (French, 24-hour clock) / "9:00 AM". */
  time(date: Date | number): string;
  /** The label of an hour line of the time grid: "09:00" / "9 AM". */
  hourLabel(hour: number): string;
  /** "mar." / "Tue". */
  weekdayShort(date: Date | number): string;
  /** "mardi" / "Tuesday". */
  weekdayLong(date: Date | number): string;
  /** The day of the month: "24". */
  dayOfMonth(date: Date | number): string;
  /** "24 nov." / "Nov 24". */
  dayAndMonth(date: Date | number): string;
  /** "novembre 2026" / "November 2026". */
  monthAndYear(date: Date | number): string;
  /** The zone's short name at `date`: "UTC+1" / "GMT+1". */
  zoneName(date: Date | number): string;
  /**
   * A range of days, each part written once: "23 – 29 nov. 2026", "30 nov. – 6 déc. 2026",
   * "28 déc. 2026 – 3 janv. 2027"; in English "Nov 23 – 29, 2026".
   */
  dayRange(first: Date | number, last: Date | number): string;
  /** How far `instant` is from `now`, in words: "il y a 5 minutes", "dans 2 heures" / "5 minutes ago". */
  relative(instant: Date | number, now: Date | number): string;
}

/** The BCP 47 language tag each shipped language formats with. */
const languageTags: Record<AgendaLocale, string> = { fr: "fr-FR", en: "en-US" };

const formatsByKey = new Map<string, DateFormats>();

/**
 * The date formats of one language and zone, shared by every caller. Written with the platform's
 * `Intl` (CLDR data, in every browser), each formatter built once: no locale data in the bundle, and a
 * formatted time costs a cached formatter call rather than parsing a pattern.
 */
export function getDateFormats(locale: AgendaLocale, timeZone: string): DateFormats {
  const key = `${locale}\u0000${timeZone}`;
  let formats = formatsByKey.get(key);
  if (formats === undefined) {
    formats = createDateFormats(locale, timeZone);
    formatsByKey.set(key, formats);
  }
  return formats;
}

function createDateFormats(locale: AgendaLocale, timeZone: string): DateFormats {
  const tag = languageTags[locale];
  const formatter = (options: Intl.DateTimeFormatOptions) => {
    const intl = new Intl.DateTimeFormat(tag, { timeZone, ...options });
    // Recent ICU puts a narrow no-break space before AM/PM; one plain space reads and tests the same everywhere.
    return (date: Date | number) => intl.format(date).replace(/\u202f/g, " ");
  };
  const twelveHours = locale === "en";
  const fullDate = formatter({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const time = formatter(
    twelveHours
      ? { hour: "numeric", minute: "2-digit", hour12: true }
      : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  );
  const dayAndMonth = formatter({ day: "numeric", month: "short" });
  const dayMonthYear = formatter({ day: "numeric", month: "short", year: "numeric" });
  const dayOfMonth = formatter({ day: "numeric" });
  const year = formatter({ year: "numeric" });
  // Hour labels are wall-clock hours, the same every day: written once, in UTC.
  const hourIntl = new Intl.DateTimeFormat(tag, {
    timeZone: "UTC",
    ...(twelveHours
      ? { hour: "numeric", hour12: true }
      : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  });
  const hourLabels = Array.from({ length: 24 }, (_, hour) =>
    hourIntl.format(Date.UTC(2026, 0, 1, hour)).replace(/\u202f/g, " "),
  );
  const zoneIntl = new Intl.DateTimeFormat(tag, { timeZone, timeZoneName: "short" });
  const relativeIntl = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
  const monthOf = formatter({ month: "numeric", year: "numeric" });

  return {
    fullDate,
    time,
    hourLabel: (hour) => hourLabels[((hour % 24) + 24) % 24] ?? "",
    weekdayShort: formatter({ weekday: "short" }),
    weekdayLong: formatter({ weekday: "long" }),
    dayOfMonth,
    dayAndMonth,
    monthAndYear: formatter({ month: "long", year: "numeric" }),
    zoneName: (date) =>
      zoneIntl.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? timeZone,
    dayRange(first, last) {
      const sameYear = year(first) === year(last);
      const sameMonth = sameYear && monthOf(first) === monthOf(last);
      if (locale === "en") {
        if (sameMonth) return `${dayAndMonth(first)} – ${dayOfMonth(last)}, ${year(last)}`;
        return `${sameYear ? dayAndMonth(first) : dayMonthYear(first)} – ${dayMonthYear(last)}`;
      }
      const firstPart = sameMonth ? dayOfMonth(first) : sameYear ? dayAndMonth(first) : dayMonthYear(first);
      return `${firstPart} – ${dayMonthYear(last)}`;
    },
    relative(instant, now) {
      const seconds = (Number(instant) - Number(now)) / 1000;
      const distance = Math.abs(seconds);
      const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
        distance < 60
          ? [seconds, "second"]
          : distance < 3600
            ? [seconds / 60, "minute"]
            : distance < 86_400
              ? [seconds / 3600, "hour"]
              : [seconds / 86_400, "day"];
      return relativeIntl.format(Math.sign(value) * Math.round(Math.abs(value)), unit);
    },
  };
}

/** The wall-clock date of a zoned date as `yyyy-MM-dd`, e.g. for `data-date` and date inputs. */
export function toIsoDate(date: Date): string {
  return `${String(date.getFullYear()).padStart(4, "0")}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The wall-clock date and minute of a zoned date as `yyyy-MM-ddTHH:mm`, for datetime-local inputs. */
export function toIsoDateTime(date: Date): string {
  return `${toIsoDate(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
