import { findIana, findWindows } from "windows-iana";

/**
 * How Graph names and converts zones (https://learn.microsoft.com/graph/api/resources/datetimetimezone):
 * a `timeZone` may be a Windows name ("Romance Standard Time"), an IANA name or "UTC"; events keep
 * the organiser's zone in `originalStartTimeZone`, under its Windows name
 * (https://learn.microsoft.com/graph/api/resources/event, originalStartTimeZone).
 */

/** The IANA zone behind any zone name Graph takes. */
export function ianaZone(name: string | undefined): string {
  if (!name || /^(utc|tzone:\/\/microsoft\/utc)$/i.test(name)) return "UTC";
  return findIana(name)[0] ?? name;
}

/** The Windows name Outlook records for a zone given by any name. */
export function windowsZone(name: string | undefined): string {
  if (!name || /^(utc|tzone:\/\/microsoft\/utc)$/i.test(name)) return "UTC";
  return findIana(name).length > 0 ? name : (findWindows(name)[0] ?? "UTC");
}

/** The zone's offset from UTC at an instant, found by formatting. */
export function offsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant of a Graph `{ dateTime, timeZone }` (seven fraction digits, no offset). */
export function instantOf(value: { dateTime?: string | null; timeZone?: string | null }): number {
  const dateTime = (value.dateTime ?? "").replace(/(\.\d{3})\d*$/, "$1");
  if (/Z$|[+-]\d\d:\d\d$/.test(dateTime)) return Date.parse(dateTime);
  const wall = Date.parse(`${dateTime.length === 10 ? `${dateTime}T00:00:00` : dateTime}Z`);
  const zone = ianaZone(value.timeZone ?? undefined);
  let guess = wall;
  for (let step = 0; step < 2; step++) guess = wall - offsetMs(guess, zone);
  return guess;
}

/** Graph's `dateTime` for an instant on the wall clock of a zone: seven fraction digits, no offset. */
export function graphWallClock(instant: number, zone: string): string {
  return new Date(instant + offsetMs(instant, ianaZone(zone))).toISOString().replace("Z", "0000");
}
