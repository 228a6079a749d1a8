import { TZDate } from "@date-fns/tz";
import { addDays, startOfDay, startOfWeek } from "date-fns";

/** The first day of a week: 0 for Sunday, 1 for Monday… as date-fns counts. */
export type WeekStartsOn = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * The seven days of the week holding `date`, each at local midnight in `timeZone`.
 * Adding days (not 24 hours) keeps every day at midnight across a daylight-saving change.
 */
export function getWeekDays(date: Date, weekStartsOn: WeekStartsOn, timeZone: string): TZDate[] {
  const firstDay = startOfWeek(new TZDate(date, timeZone), { weekStartsOn });
  return Array.from({ length: 7 }, (_, index) => addDays(firstDay, index));
}

/** Local midnight of the day holding `date` in `timeZone`. */
export function getStartOfDay(date: Date, timeZone: string): TZDate {
  return startOfDay(new TZDate(date, timeZone));
}

/** The instants `[from, to)` a list of days covers, as the `listEvents` query wants them. */
export function getDaysRange(days: readonly TZDate[]): { from: string; to: string } {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) throw new RangeError("getDaysRange needs at least one day");
  return {
    from: new Date(first.getTime()).toISOString(),
    to: new Date(addDays(last, 1).getTime()).toISOString(),
  };
}
