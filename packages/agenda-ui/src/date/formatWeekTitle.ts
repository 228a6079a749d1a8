import type { TZDate } from "@date-fns/tz";
import type { AgendaLocale } from "../messages/AgendaMessages";
import { getDateFormats } from "./dateFormats";

/**
 * The title of a range of days, written once per part that differs: "23 – 29 nov. 2026",
 * "30 nov. – 6 déc. 2026", "28 déc. 2026 – 3 janv. 2027" (in English "Nov 23 – 29, 2026").
 */
export function formatWeekTitle(firstDay: TZDate, lastDay: TZDate, locale: AgendaLocale): string {
  return getDateFormats(
    locale,
    firstDay.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  ).dayRange(firstDay, lastDay);
}
