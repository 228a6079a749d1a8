import { TZDate } from "@date-fns/tz";
import { toIsoDate } from "./dateFormats";

/** The fields of an all-day event that its layout reads; a {@link CalendarEvent} has them all. */
export interface AllDayEventLike {
  start: string;
  /** The midnight after the last day, in the event's own zone. */
  end: string;
  allDay?: boolean;
  timeZone?: string;
}

/** Where one all-day event sits in the all-day row of a range of days. */
export interface PositionedAllDayEvent<Event extends AllDayEventLike> {
  event: Event;
  /** Index of the first shown day it covers. */
  firstDay: number;
  /** How many shown days it covers, from `firstDay`. */
  daySpan: number;
  /** Zero-based line of the all-day row, so that events on the same days stack. */
  lane: number;
  /** True when it began before the first shown day. */
  startsBeforeRange: boolean;
  /** True when it goes on after the last shown day. */
  endsAfterRange: boolean;
}

/**
 * Lays out the all-day events of a range of consecutive days as bars across the days they cover,
 * each in the first line free on all those days (longest first, so long bars stay on top).
 * An all-day event's dates are read in its own time zone: a holiday on 24 November stays on the
 * 24th whatever zone the agenda is shown in.
 */
export function layoutAllDayEvents<Event extends AllDayEventLike>(
  events: readonly Event[],
  days: readonly TZDate[],
): PositionedAllDayEvent<Event>[] {
  const dayKeys = days.map(toIsoDate);
  const firstKey = dayKeys[0];
  const lastKey = dayKeys[dayKeys.length - 1];
  if (firstKey === undefined || lastKey === undefined) return [];
  const fallbackZone = days[0]?.timeZone;

  const positioned: PositionedAllDayEvent<Event>[] = [];
  for (const event of events) {
    if (!event.allDay) continue;
    const zone = event.timeZone ?? fallbackZone;
    const startKey = toIsoDate(new TZDate(event.start, zone));
    const endKey = toIsoDate(new TZDate(event.end, zone));
    // Exclusive end, but an event that ends where it starts still shows on its day.
    const lastCoveredKey = endKey > startKey ? previousKey(endKey) : startKey;
    if (lastCoveredKey < firstKey || startKey > lastKey) continue;
    const firstDay = startKey < firstKey ? 0 : dayKeys.indexOf(startKey);
    const lastDay = lastCoveredKey > lastKey ? dayKeys.length - 1 : dayKeys.indexOf(lastCoveredKey);
    if (firstDay < 0 || lastDay < 0) continue;
    positioned.push({
      event,
      firstDay,
      daySpan: lastDay - firstDay + 1,
      lane: 0,
      startsBeforeRange: startKey < firstKey,
      endsAfterRange: lastCoveredKey > lastKey,
    });
  }

  positioned.sort((first, second) => first.firstDay - second.firstDay || second.daySpan - first.daySpan);
  const laneEnds: number[] = [];
  for (const item of positioned) {
    const free = laneEnds.findIndex((lastDayInLane) => lastDayInLane < item.firstDay);
    item.lane = free === -1 ? laneEnds.length : free;
    laneEnds[item.lane] = item.firstDay + item.daySpan - 1;
  }
  return positioned;
}

function previousKey(dayKey: string): string {
  const [year, month, day] = dayKey.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day - 1));
  return date.toISOString().slice(0, 10);
}
