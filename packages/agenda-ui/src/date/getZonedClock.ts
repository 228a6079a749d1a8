import { tzOffset } from "@date-fns/tz";

/** Reads instants on the wall clock of one time zone, without building a `TZDate` per instant. */
export interface ZonedClock {
  /** The zone read, an IANA name such as "Europe/Paris". */
  readonly timeZone: string;
  /** The zone's offset from UTC at `instant`, in minutes (60 for Paris in winter). */
  offsetMinutes(instant: number): number;
  /** Minutes since the local midnight at `instant`, seconds as a fraction (09:30:30 → 570.5). */
  minutesOfDay(instant: number): number;
  /** The local day holding `instant`, as days since 1970-01-01: equal numbers are the same date. */
  dayNumber(instant: number): number;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;
/** Offsets remembered per zone; cleared past this many minutes, so a long session stays small. */
const maximumCachedMinutes = 20_000;
const clocks = new Map<string, ZonedClock>();

/**
 * The wall clock of `timeZone`, shared by every caller: the zone's offset is asked of `Intl` once per
 * distinct minute and remembered, since offsets only change on whole minutes. A week of events on a
 * 15-minute grid needs a few hundred look-ups instead of several per event, and daylight-saving days
 * stay exact (the offset is read at the instant itself, not once per day).
 */
export function getZonedClock(timeZone: string): ZonedClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = createZonedClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function createZonedClock(timeZone: string): ZonedClock {
  const offsets = new Map<number, number>();
  const offsetMinutes = (instant: number): number => {
    const minute = Math.floor(instant / minuteMs);
    let offset = offsets.get(minute);
    if (offset === undefined) {
      if (offsets.size >= maximumCachedMinutes) offsets.clear();
      offset = tzOffset(timeZone, new Date(minute * minuteMs));
      offsets.set(minute, offset);
    }
    return offset;
  };
  const localMs = (instant: number) => instant + offsetMinutes(instant) * minuteMs;
  return {
    timeZone,
    offsetMinutes,
    minutesOfDay: (instant) => {
      const local = localMs(instant);
      return (local - Math.floor(local / dayMs) * dayMs) / minuteMs;
    },
    dayNumber: (instant) => Math.floor(localMs(instant) / dayMs),
  };
}
