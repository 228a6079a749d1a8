import type { AgendaLocale } from "../messages/AgendaMessages";
import { getDateFormats } from "./dateFormats";

/** How the event form writes and reads a date and a time of day in the agenda's language. */
export interface DateInputFormat {
  /** `2026-11-29` → "29/11/2026" (French) / "11/29/2026" (English). */
  formatDate(isoDate: string): string;
  /** What a person typed → `2026-11-29`, or undefined when it is not a real date in this order. */
  parseDate(text: string): string | undefined;
  /** `14:30` → "14:30" (French) / "2:30 PM" (English). */
  formatTime(isoTime: string): string;
  /** "14:30", "14h30", "2:30 pm", "2pm", "1430" → `14:30`, or undefined. */
  parseTime(text: string): string | undefined;
}

const tags: Record<AgendaLocale, string> = { fr: "fr-FR", en: "en-US" };
const formatsByLocale = new Map<AgendaLocale, DateInputFormat>();
const pad = (value: number) => String(value).padStart(2, "0");

/**
 * The order of day, month and year and the time's clock come from the agenda's locale through `Intl`,
 * never from the browser's language (which a native `<input type="date">` follows) and with no locale
 * data in the bundle.
 */
export function getDateInputFormat(locale: AgendaLocale): DateInputFormat {
  let format = formatsByLocale.get(locale);
  if (format === undefined) {
    format = createDateInputFormat(locale);
    formatsByLocale.set(locale, format);
  }
  return format;
}

function createDateInputFormat(locale: AgendaLocale): DateInputFormat {
  const dateIntl = new Intl.DateTimeFormat(tags[locale], {
    timeZone: "UTC",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  });
  const order = dateIntl
    .formatToParts(Date.UTC(2026, 10, 29))
    .map((part) => part.type)
    .filter((type) => type === "day" || type === "month" || type === "year");
  const time = getDateFormats(locale, "UTC").time;

  return {
    formatDate(isoDate) {
      const [year, month, day] = isoDate.split("-").map(Number);
      return dateIntl.format(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
    },
    parseDate(text) {
      const fields = text.trim().split(/\D+/).filter(Boolean);
      if (fields.length !== 3) return undefined;
      const parts: Record<string, string> = {};
      order.forEach((type, index) => {
        parts[type] = fields[index] ?? "";
      });
      // Two digits or four: a year being typed ("202") is not read as the year 202.
      const yearText = parts.year ?? "";
      if (yearText.length !== 2 && yearText.length !== 4) return undefined;
      const year = Number(yearText) + (yearText.length === 2 ? 2000 : 0);
      const month = Number(parts.month);
      const day = Number(parts.day);
      const date = new Date(Date.UTC(year, month - 1, day));
      // 31/02 rolls over into March: refuse it rather than save another day.
      if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
      return `${year}-${pad(month)}-${pad(day)}`;
    },
    formatTime(isoTime) {
      const [hours, minutes] = isoTime.split(":").map(Number);
      return time(Date.UTC(2026, 0, 1, hours ?? 0, minutes ?? 0));
    },
    parseTime(text) {
      const match = /^(\d{1,2})\s*(?:[:h.]\s*)?(\d{2})?\s*(?:([ap])\.?\s*m?\.?)?$/i.exec(text.trim());
      if (match === null) return undefined;
      let hours = Number(match[1]);
      const minutes = Number(match[2] ?? 0);
      const half = match[3]?.toLowerCase();
      if (half !== undefined) {
        if (hours < 1 || hours > 12) return undefined;
        hours = (hours % 12) + (half === "p" ? 12 : 0);
      }
      if (hours > 23 || minutes > 59) return undefined;
      return `${pad(hours)}:${pad(minutes)}`;
    },
  };
}
