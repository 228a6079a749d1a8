import type { Locale } from "date-fns";
import { enUS } from "date-fns/locale/en-US";
import { fr } from "date-fns/locale/fr";
import type { AgendaLocale } from "../messages/AgendaMessages";

/** The date-fns patterns one language writes dates with. */
export interface LocaleFormats {
  dateLocale: Locale;
  /** e.g. "mardi 24 novembre 2026" / "Tuesday, November 24, 2026" */
  fullDate: string;
  /** A time of day: a 24-hour clock in French. */
  time: string;
  /** The labels of the hour lines. */
  hourLabel: string;
  /** Day column header: weekday, then day of the month. */
  columnWeekday: string;
  columnDay: string;
  /** Week titles: [first day, last day] when the week stays in one month, crosses a month, crosses a year. */
  weekInOneMonth: readonly [string, string];
  weekAcrossMonths: readonly [string, string];
  weekAcrossYears: readonly [string, string];
}

/** How each shipped language writes dates. */
export const localeFormats = {
  fr: {
    dateLocale: fr,
    fullDate: "EEEE d MMMM yyyy",
    time: "HH:mm",
    hourLabel: "HH:mm",
    columnWeekday: "EEE",
    columnDay: "d",
    weekInOneMonth: ["d", "d MMM yyyy"],
    weekAcrossMonths: ["d MMM", "d MMM yyyy"],
    weekAcrossYears: ["d MMM yyyy", "d MMM yyyy"],
  },
  en: {
    dateLocale: enUS,
    fullDate: "EEEE, MMMM d, yyyy",
    time: "h:mm a",
    hourLabel: "h a",
    columnWeekday: "EEE",
    columnDay: "d",
    weekInOneMonth: ["MMM d", "d, yyyy"],
    weekAcrossMonths: ["MMM d", "MMM d, yyyy"],
    weekAcrossYears: ["MMM d, yyyy", "MMM d, yyyy"],
  },
} as const satisfies Record<AgendaLocale, LocaleFormats>;
