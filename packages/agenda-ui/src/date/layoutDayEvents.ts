import type { TZDate } from "@date-fns/tz";
import { addDays, startOfDay } from "date-fns";
import { MinHeap } from "../_internal/MinHeap";
import { getZonedClock } from "./getZonedClock";

/** The fields of an event that layout reads; a {@link CalendarEvent} has them all. */
export interface TimedEventLike {
  /** ISO 8601 instant with an offset. */
  start: string;
  /** ISO 8601 instant with an offset; exclusive. */
  end: string;
  allDay?: boolean;
}

/** Where one timed event sits in a day column; every length is a fraction of the column (0 to 1). */
export interface PositionedEvent<Event extends TimedEventLike> {
  event: Event;
  /** Distance from the column's top (local midnight). */
  top: number;
  height: number;
  /** Distance from the column's left edge. */
  left: number;
  width: number;
  /** Zero-based column among the events it overlaps. */
  column: number;
  /** How many columns its group of overlapping events needs. */
  columnCount: number;
  /** How many columns it covers from `column`: it widens into columns to its right that stay free while it lasts. */
  columnSpan: number;
  /**
   * Set when the event is hidden because its group needs more than `maxColumns` columns: the "+N"
   * group it is counted in, shared by every event of that group. `left` and `width` are then the
   * group's slot.
   */
  more?: MoreEvents<Event>;
  /** True when the event began on an earlier day, so its top edge is cut. */
  startsBeforeDay: boolean;
  /** True when the event goes on into a later day, so its bottom edge is cut. */
  endsAfterDay: boolean;
}

/** Overlapping events hidden behind one "+N" control, in the last shown column; lengths as in {@link PositionedEvent}. */
export interface MoreEvents<Event extends TimedEventLike> {
  top: number;
  height: number;
  left: number;
  width: number;
  /** The hidden events, by start. */
  events: Event[];
}

/** Options of {@link layoutDayEvents}. */
export interface LayoutDayEventsOptions {
  /**
   * Shortest height an event gets, in minutes, so a 5-minute call stays readable and clickable;
   * events are also laid out side by side as if they lasted at least this long.
   * @default 20
   */
  minimumMinutes?: number;
  /**
   * Most columns shown side by side, so each event keeps a readable width. In a group of overlapping
   * events that needs more, the last shown column holds, wherever it would be too crowded, a "+N"
   * slot (`more`) for the events of that column and beyond.
   * @default Infinity
   */
  maxColumns?: number;
}

const minutesInGridDay = 24 * 60;

/**
 * Lays out the timed events of one day: each keeps its time on the hour grid and events that overlap
 * share the width in columns, side by side.
 *
 * Positions follow the wall clock of `day`'s time zone, because the grid is drawn with 24 hour rows:
 * a 09:00 event sits on the 09:00 line even on the 23-hour and 25-hour days of a daylight-saving
 * change (the zone's offset is read at each instant, through a shared per-minute cache rather than a
 * `TZDate` per event). Events are sorted by start (longest first on ties), cut into clusters of events that
 * overlap one another, and each takes the lowest free column of its cluster; heaps keep it O(n log n).
 * Then, as in Google Calendar, an event widens into the columns to its right that are free for its
 * whole duration (a binary search per neighbouring column). Past `maxColumns`, the events of the
 * last shown column that overlap one further right, and all those further right, are hidden behind
 * "+N" slots (one per run of overlapping hidden events) that the events to their left do not widen into.
 * All-day events are left out: they belong to the all-day row.
 */
export function layoutDayEvents<Event extends TimedEventLike>(
  events: readonly Event[],
  day: TZDate,
  options: LayoutDayEventsOptions = {},
): PositionedEvent<Event>[] {
  const minimumMinutes = options.minimumMinutes ?? 20;
  const dayStart = startOfDay(day).getTime();
  const dayEnd = addDays(startOfDay(day), 1).getTime();
  const clock = getZonedClock(day.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  const placed: PlacedEvent<Event>[] = [];
  for (const event of events) {
    if (event.allDay) continue;
    const [start, end] = instantsOf(event);
    const touchesDay = start < dayEnd && (end > dayStart || start >= dayStart);
    if (!touchesDay) continue;

    const startsBeforeDay = start < dayStart;
    const endsAfterDay = end > dayEnd;
    let topMinutes = startsBeforeDay ? 0 : clock.minutesOfDay(start);
    let bottomMinutes = end >= dayEnd ? minutesInGridDay : clock.minutesOfDay(end);
    // In the repeated hour of an autumn change the wall clock can go back; keep the real duration.
    if (bottomMinutes < topMinutes || (bottomMinutes === topMinutes && end > start)) {
      const elapsedMinutes = (Math.min(end, dayEnd) - Math.max(start, dayStart)) / 60_000;
      bottomMinutes = topMinutes + elapsedMinutes;
    }
    topMinutes = Math.min(topMinutes, minutesInGridDay - minimumMinutes);
    bottomMinutes = Math.min(minutesInGridDay, Math.max(bottomMinutes, topMinutes + minimumMinutes));
    placed.push({
      event,
      topMinutes,
      bottomMinutes,
      column: 0,
      columnCount: 1,
      columnSpan: 1,
      startsBeforeDay,
      endsAfterDay,
    });
  }

  placed.sort(
    (first, second) => first.topMinutes - second.topMinutes || second.bottomMinutes - first.bottomMinutes,
  );
  assignColumns(placed, Math.max(1, options.maxColumns ?? Number.POSITIVE_INFINITY));
  return placed.map(
    ({
      event,
      topMinutes,
      bottomMinutes,
      column,
      columnCount,
      columnSpan,
      hiddenIn,
      startsBeforeDay,
      endsAfterDay,
    }) => ({
      event,
      top: topMinutes / minutesInGridDay,
      height: (bottomMinutes - topMinutes) / minutesInGridDay,
      left: hiddenIn?.left ?? column / columnCount,
      width: hiddenIn?.width ?? columnSpan / columnCount,
      column,
      columnCount,
      columnSpan,
      more: hiddenIn as MoreEvents<Event> | undefined,
      startsBeforeDay,
      endsAfterDay,
    }),
  );
}

/** Each event's start and end (never before its start), parsed once per event object: a week lays out the same events once per day. */
const parsedInstants = new WeakMap<TimedEventLike, readonly [number, number]>();

function instantsOf(event: TimedEventLike): readonly [number, number] {
  let instants = parsedInstants.get(event);
  if (instants === undefined) {
    const start = Date.parse(event.start);
    instants = [start, Math.max(Date.parse(event.end), start)];
    parsedInstants.set(event, instants);
  }
  return instants;
}

/** Layout works in whole minutes of the wall clock, so touching events compare exactly. */
interface PlacedEvent<Event extends TimedEventLike> {
  event: Event;
  topMinutes: number;
  bottomMinutes: number;
  column: number;
  columnCount: number;
  columnSpan: number;
  /** The run of hidden events this one belongs to, when it is hidden. */
  hiddenIn?: HiddenRun;
  startsBeforeDay: boolean;
  endsAfterDay: boolean;
}

/** A span of time in wall-clock minutes of the day. */
interface Span {
  topMinutes: number;
  bottomMinutes: number;
}

/** Hidden events that overlap one another, shown as one "+N"; its own span in minutes too. */
type HiddenRun = Span & MoreEvents<TimedEventLike>;

interface OccupiedColumn {
  bottomMinutes: number;
  column: number;
}

function assignColumns(sorted: PlacedEvent<TimedEventLike>[], maxColumns: number): void {
  const occupied = new MinHeap<OccupiedColumn>((first, second) => first.bottomMinutes < second.bottomMinutes);
  const freed = new MinHeap<number>((first, second) => first < second);
  let cluster: PlacedEvent<TimedEventLike>[] = [];
  let clusterBottom = 0;
  let columnsInCluster = 0;

  const closeCluster = () => {
    const shownColumns = Math.min(columnsInCluster, maxColumns);
    for (const member of cluster) member.columnCount = shownColumns;
    const runs = columnsInCluster > shownColumns ? hideOverflow(cluster, shownColumns - 1) : [];
    widenIntoFreeColumns(cluster, shownColumns, runs);
    cluster = [];
    occupied.clear();
    freed.clear();
    columnsInCluster = 0;
  };

  for (const item of sorted) {
    // An event that starts once everything before it has ended begins a new cluster with full width.
    if (cluster.length > 0 && item.topMinutes >= clusterBottom) closeCluster();
    while ((occupied.peek()?.bottomMinutes ?? Number.POSITIVE_INFINITY) <= item.topMinutes) {
      freed.push(occupied.pop()!.column);
    }
    item.column = freed.pop() ?? columnsInCluster++;
    occupied.push({ bottomMinutes: item.bottomMinutes, column: item.column });
    clusterBottom = cluster.length === 0 ? item.bottomMinutes : Math.max(clusterBottom, item.bottomMinutes);
    cluster.push(item);
  }
  if (cluster.length > 0) closeCluster();
}

/**
 * Hides the events right of `lastColumn`, and those in it that overlap one of them, grouping the
 * hidden into runs of overlapping events, each a "+N" in the last column; returns the runs (sorted, disjoint).
 */
function hideOverflow(cluster: PlacedEvent<TimedEventLike>[], lastColumn: number): Span[] {
  // Members arrive sorted by start, so the merged spans come out sorted and disjoint.
  const beyond = mergeSpans(cluster.filter((member) => member.column > lastColumn));
  const hidden = cluster.filter(
    (member) => member.column > lastColumn || (member.column === lastColumn && !isColumnFree(beyond, member)),
  );
  const runs = mergeSpans(hidden);
  let runIndex = 0;
  for (const member of hidden) {
    while (runs[runIndex]!.bottomMinutes <= member.topMinutes) runIndex += 1;
    const run = runs[runIndex] as HiddenRun;
    if (run.events === undefined)
      Object.assign(run, {
        top: run.topMinutes / minutesInGridDay,
        height: (run.bottomMinutes - run.topMinutes) / minutesInGridDay,
        left: lastColumn / (lastColumn + 1),
        width: 1 / (lastColumn + 1),
        events: [],
      });
    run.events.push(member.event);
    member.hiddenIn = run;
  }
  return runs;
}

/** The union of spans sorted by start, as disjoint spans; touching spans stay apart, as they do not overlap. */
function mergeSpans(sorted: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const { topMinutes, bottomMinutes } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && topMinutes < last.bottomMinutes)
      last.bottomMinutes = Math.max(last.bottomMinutes, bottomMinutes);
    else merged.push({ topMinutes, bottomMinutes });
  }
  return merged;
}

/**
 * Lets each shown event of a cluster cover the columns to its right that nothing else uses while it
 * lasts; in the last column the "+N" runs count as used.
 */
function widenIntoFreeColumns(
  cluster: PlacedEvent<TimedEventLike>[],
  columnCount: number,
  runs: readonly Span[],
): void {
  if (columnCount < 2) return;
  // Members arrive sorted by start, so each column's list is sorted by start too.
  const byColumn: Span[][] = Array.from({ length: columnCount }, () => []);
  for (const member of cluster) if (member.hiddenIn === undefined) byColumn[member.column]!.push(member);
  if (runs.length > 0) {
    const last = byColumn[columnCount - 1]!;
    last.push(...runs);
    last.sort((first, second) => first.topMinutes - second.topMinutes);
  }
  for (const member of cluster) {
    if (member.hiddenIn !== undefined) continue;
    let span = 1;
    while (member.column + span < columnCount && isColumnFree(byColumn[member.column + span]!, member))
      span += 1;
    member.columnSpan = span;
  }
}

/** True when nothing in `column` (disjoint spans sorted by start) overlaps `span`. */
function isColumnFree(column: readonly Span[], span: Span): boolean {
  // The first span in the column that ends after `span` starts is the only one that could overlap it.
  let low = 0;
  let high = column.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (column[middle]!.bottomMinutes <= span.topMinutes) low = middle + 1;
    else high = middle;
  }
  const candidate = column[low];
  return candidate === undefined || candidate.topMinutes >= span.bottomMinutes;
}
