import type { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { AgendaLocale } from "../messages/AgendaMessages";
import { localeFormats } from "./localeFormats";

/**
 * The title of a range of days, written once per part that differs: "23 – 29 nov. 2026",
 * "30 nov. – 6 déc. 2026", "28 déc. 2026 – 3 janv. 2027" (in English "Nov 23 – 29, 2026").
 */
export function formatWeekTitle(firstDay: TZDate, lastDay: TZDate, locale: AgendaLocale): string {
  const formats = localeFormats[locale];
  const [firstPattern, lastPattern] =
    firstDay.getFullYear() !== lastDay.getFullYear()
      ? formats.weekAcrossYears
      : firstDay.getMonth() !== lastDay.getMonth()
        ? formats.weekAcrossMonths
        : formats.weekInOneMonth;
  const options = { locale: formats.dateLocale };
  return `${format(firstDay, firstPattern, options)} – ${format(lastDay, lastPattern, options)}`;
}
