import { TZDate } from "@date-fns/tz";
import { addDays } from "date-fns";

/** The fields of an event that the month layout reads; a {@link CalendarEvent} has them all. */
export interface MonthEventLike {
  start: string;
  end: string;
  allDay: boolean;
  timeZone?: string;
}

/** Where one event sits in one week row of the month. */
export interface PositionedMonthEvent<Event extends MonthEventLike> {
  event: Event;
  /** Index, in the week, of the first day it covers. */
  firstDay: number;
  /** How many days of the week it covers from `firstDay`. */
  daySpan: number;
  /** Zero-based line under the day numbers; events on the same days stack. */
  lane: number;
  /** True when it began before this week. */
  startsBeforeWeek: boolean;
  /** True when it goes on after this week. */
  endsAfterWeek: boolean;
}

/**
 * Lays out a week row of the month: each event, timed or all-day, becomes a bar over the days it
 * covers, in the first line free on all of them. All-day events first, then longer bars, then by
 * start, as Google Calendar orders them. A timed event covers the days of the display zone it
 * touches (one ending at midnight does not spill into the next day); an all-day event keeps its
 * dates in its own zone. Days are found by binary search on their midnights; the sort is O(n log n)
 * and the lane search O(n × lanes).
 */
export function layoutMonthWeek<Event extends MonthEventLike>(
  events: readonly Event[],
  days: readonly TZDate[],
): PositionedMonthEvent<Event>[] {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const bounds = days.map((day) => day.getTime());
  bounds.push(addDays(last, 1).getTime());
  const weekStart = bounds[0]!;
  const weekEnd = bounds[bounds.length - 1]!;
  const displayZone = first.timeZone;

  const placed: (PositionedMonthEvent<Event> & { start: number })[] = [];
  for (const event of events) {
    let start = Date.parse(event.start);
    let end = Date.parse(event.end);
    if (event.allDay && event.timeZone !== undefined && event.timeZone !== displayZone) {
      // The same dates in the display zone: midnight there of the event's own dates.
      start = sameDateIn(start, event.timeZone, displayZone);
      end = sameDateIn(end, event.timeZone, displayZone);
    }
    const lastInstant = end > start ? end - 1 : start;
    if (lastInstant < weekStart || start >= weekEnd) continue;
    const firstDay = start < weekStart ? 0 : dayIndex(bounds, start);
    const lastDay = lastInstant >= weekEnd ? days.length - 1 : dayIndex(bounds, lastInstant);
    placed.push({
      event,
      start,
      firstDay,
      daySpan: lastDay - firstDay + 1,
      lane: 0,
      startsBeforeWeek: start < weekStart,
      endsAfterWeek: lastInstant >= weekEnd,
    });
  }

  placed.sort(
    (one, other) =>
      one.firstDay - other.firstDay ||
      Number(other.event.allDay) - Number(one.event.allDay) ||
      other.daySpan - one.daySpan ||
      one.start - other.start,
  );
  // laneEnds[lane] is the last day the lane is taken up to; the first lane that ends earlier is free.
  const laneEnds: number[] = [];
  for (const item of placed) {
    let lane = 0;
    while (lane < laneEnds.length && laneEnds[lane]! >= item.firstDay) lane += 1;
    item.lane = lane;
    laneEnds[lane] = item.firstDay + item.daySpan - 1;
  }
  return placed.map(({ start: _start, ...item }) => item);
}

function dayIndex(bounds: readonly number[], instant: number): number {
  let low = 0;
  let high = bounds.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (bounds[middle]! <= instant) low = middle;
    else high = middle - 1;
  }
  return low;
}

function sameDateIn(instant: number, fromZone: string, toZone: string | undefined): number {
  const local = new TZDate(instant, fromZone);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), toZone ?? fromZone).getTime();
}
