import { TZDate } from "@date-fns/tz";
import {
  addDays,
  addMonths,
  addWeeks,
  endOfMonth,
  endOfWeek,
  startOfDay,
  startOfMonth,
  startOfWeek,
} from "date-fns";
import { getWeekDays, type WeekStartsOn } from "./getWeekDays";

/**
 * The ways the agenda can show time. `work-week` is the week from Monday to Friday; `three-day` the
 * day and the two after it, what fits a phone.
 */
export type AgendaView = "day" | "three-day" | "week" | "work-week" | "month" | "list";

/**
 * The days a view shows for `date`, each at local midnight in `timeZone`: one or three days, the week (or its
 * working days), the whole weeks that hold the month, or the week as a list.
 */
export function getViewDays(
  view: AgendaView,
  date: Date,
  weekStartsOn: WeekStartsOn,
  timeZone: string,
): TZDate[] {
  switch (view) {
    case "day":
      return [startOfDay(new TZDate(date, timeZone))];
    case "three-day": {
      const first = startOfDay(new TZDate(date, timeZone));
      return [first, addDays(first, 1), addDays(first, 2)];
    }
    case "week":
    case "list":
      return getWeekDays(date, weekStartsOn, timeZone);
    case "work-week":
      return getWeekDays(date, 1, timeZone).slice(0, 5);
    case "month": {
      const local = new TZDate(date, timeZone);
      const first: TZDate = startOfWeek(startOfMonth(local), { weekStartsOn });
      const last = endOfWeek(endOfMonth(local), { weekStartsOn });
      const days: TZDate[] = [];
      for (let day: TZDate = first; day.getTime() <= last.getTime(); day = addDays(day, 1)) days.push(day);
      return days;
    }
    default:
      return view satisfies never;
  }
}

/** `date` moved by `step` days, three days, weeks or months, whichever the view pages by. */
export function shiftViewDate(view: AgendaView, date: Date, step: number, timeZone: string): Date {
  const local = new TZDate(date, timeZone);
  let moved: TZDate;
  if (view === "day") moved = addDays(local, step);
  else if (view === "three-day") moved = addDays(local, 3 * step);
  else if (view === "month") moved = addMonths(local, step);
  else moved = addWeeks(local, step);
  return new Date(moved.getTime());
}
