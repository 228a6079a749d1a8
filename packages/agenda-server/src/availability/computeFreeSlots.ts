import { type AvailabilitySettings, clockMinutes, type Weekday, weekdays } from "@crm-agenda/shared";
import { zonedDate, zonedTime } from "../sync/calendarHttp";

/** A stretch of time in epoch milliseconds, end exclusive. */
export interface Interval {
  start: number;
  end: number;
}

/** What slots are computed from: the user's settings, their busy time, and their bookings per local day. */
export interface SlotInput {
  settings: AvailabilitySettings;
  /** Busy events (any order, may overlap). */
  busy: readonly Interval[];
  /** Bookings already made per local date (YYYY-MM-DD in the settings' zone), for the daily cap. */
  bookingsPerDay: ReadonlyMap<string, number>;
  now: Date;
}

const minute = 60_000;
const day = 86_400_000;

/** Why a time cannot be booked; `taken` ones are answered 409, the others 422. */
export type Refusal = { kind: "taken"; message: string } | { kind: "not_offered"; message: string };

/**
 * The free slots of `duration` minutes between `from` and `to`: each working interval of each day
 * (read on the wall clock of the user's zone, so 09:00 stays 09:00 across DST changes) is cut into
 * back-to-back slots from its start; a slot is kept when it starts after the minimum notice, its
 * day's bookings are under the cap, and it with its buffers overlaps no busy time.
 */
export function computeFreeSlots(input: SlotInput, from: Date, to: Date, duration: number): Interval[] {
  const busy = mergeIntervals(input.busy);
  const length = duration * minute;
  const earliest = Math.max(
    from.getTime(),
    input.now.getTime() + input.settings.minimumNoticeMinutes * minute,
  );
  const slots: Interval[] = [];
  for (const { date, interval } of workingIntervals(input.settings, from.getTime(), to.getTime())) {
    if (capReached(input, date)) continue;
    for (let start = interval.start; start + length <= interval.end; start += length) {
      if (start < earliest) continue;
      if (start + length > to.getTime()) break;
      if (!overlapsBusy(busy, withBuffers(input.settings, start, start + length))) {
        slots.push({ start, end: start + length });
      }
    }
  }
  return slots;
}

/**
 * Why `start` for `duration` minutes cannot be booked, or null when it can: unlike the slots, any start
 * inside working hours is accepted, so a caller may book a time the slots' grid does not show.
 */
export function refuseBooking(input: SlotInput, start: Date, duration: number): Refusal | null {
  const slot = { start: start.getTime(), end: start.getTime() + duration * minute };
  const { settings } = input;
  if (slot.start < input.now.getTime() + settings.minimumNoticeMinutes * minute) {
    return {
      kind: "not_offered",
      message:
        settings.minimumNoticeMinutes > 0
          ? `bookings need ${settings.minimumNoticeMinutes} minutes' notice; pick a later time`
          : "this time has passed; pick a later time",
    };
  }
  const within = [...workingIntervals(settings, slot.start, slot.end)].find(
    ({ interval }) => interval.start <= slot.start && slot.end <= interval.end,
  );
  if (!within) {
    return {
      kind: "not_offered",
      message: `this time is outside the working hours (${settings.timeZone}); pick a slot from GET /availability`,
    };
  }
  if (capReached(input, within.date)) {
    return {
      kind: "taken",
      message: `no more bookings on ${within.date}: the daily cap of ${settings.dailyCap} is reached; pick another day`,
    };
  }
  if (overlapsBusy(mergeIntervals(input.busy), withBuffers(settings, slot.start, slot.end))) {
    return {
      kind: "taken",
      message: "this time is no longer free (it overlaps another event or its buffer); pick another slot",
    };
  }
  return null;
}

/** The working intervals, as instants, of every local day touching [from, to), with their date. */
function* workingIntervals(
  settings: AvailabilitySettings,
  from: number,
  to: number,
): Generator<{ date: string; interval: Interval }> {
  // A day on either side: a zone's day starts up to 14 hours away from UTC's.
  const last = zonedDate(new Date(to + day), settings.timeZone);
  let date = zonedDate(new Date(from - day), settings.timeZone);
  while (date <= last) {
    const weekday = weekdayOf(date);
    for (const hours of settings.workingHours[weekday]) {
      const start = atClock(date, hours.start, settings.timeZone);
      const end = atClock(date, hours.end, settings.timeZone);
      if (end > from && start < to) yield { date, interval: { start, end } };
    }
    date = nextDate(date);
  }
}

function atClock(date: string, clock: string, timeZone: string): number {
  const minutes = clockMinutes(clock);
  if (minutes === 24 * 60) return zonedTime(`${nextDate(date)}T00:00:00`, timeZone).getTime();
  return zonedTime(`${date}T${clock}:00`, timeZone).getTime();
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + day).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  // getUTCDay: 0 is Sunday; `weekdays` starts on Monday.
  return weekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

function capReached(input: SlotInput, date: string): boolean {
  const cap = input.settings.dailyCap;
  return cap !== null && (input.bookingsPerDay.get(date) ?? 0) >= cap;
}

function withBuffers(settings: AvailabilitySettings, start: number, end: number): Interval {
  return {
    start: start - settings.bufferBeforeMinutes * minute,
    end: end + settings.bufferAfterMinutes * minute,
  };
}

/** Sorted, disjoint intervals covering the same time. */
function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const previous = merged.at(-1);
    if (previous && interval.start <= previous.end) previous.end = Math.max(previous.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Whether `slot` overlaps any of the merged busy intervals (binary search on their starts). */
function overlapsBusy(busy: readonly Interval[], slot: Interval): boolean {
  let low = 0;
  let high = busy.length;
  // The first busy interval ending after the slot starts.
  while (low < high) {
    const middle = (low + high) >> 1;
    if (busy[middle]!.end <= slot.start) low = middle + 1;
    else high = middle;
  }
  return low < busy.length && busy[low]!.start < slot.end;
}

/** The local date (in the settings' zone) each booking falls on, counted. */
export function countByLocalDate(starts: readonly Date[], timeZone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const start of starts) {
    const date = zonedDate(start, timeZone);
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return counts;
}
