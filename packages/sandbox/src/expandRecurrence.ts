import * as rruleModule from "rrule";
import { offsetMs } from "./microsoft/graphTimeZones";

// rrule's ES module build is reached through `module` only; Node's loader takes its CommonJS build.
const { RRule } = ((rruleModule as { default?: typeof rruleModule }).default ??
  rruleModule) as typeof rruleModule;

/**
 * The occurrences of an RRULE whose first one is at `start` (a wall-clock time YYYY-MM-DDTHH:MM:SS)
 * in `timeZone`, as both providers expand series: on the wall clock of the series' zone, so 10:00 in
 * Paris stays 10:00 across daylight-saving changes (RFC 5545 §3.3.10, DTSTART with TZID).
 * `exdates` are wall-clock times to leave out. Each occurrence is returned as an instant.
 */
export function expandRecurrence(input: {
  rule: string;
  start: string;
  timeZone: string;
  from: number;
  to: number;
  exdates?: string[];
  limit?: number;
}): number[] {
  const options = RRule.parseString(input.rule.replace(/^RRULE:/, ""));
  const floatingStart = new Date(`${input.start}Z`);
  // UNTIL in UTC is an instant; date-only UNTIL already a wall-clock day (inclusive).
  let until = options.until ?? null;
  if (until && /UNTIL=\d{8}T\d{6}Z/i.test(input.rule))
    until = new Date(`${wallClock(until.getTime(), input.timeZone)}Z`);
  else if (until) until = new Date(until.getTime() + 86_399_000);
  const rule = new RRule({ ...options, dtstart: floatingStart, until });
  const skip = new Set((input.exdates ?? []).map((text) => Date.parse(`${text}Z`)));
  const day = 86_400_000;
  const out: number[] = [];
  const limit = input.limit ?? 730;
  // An open range (a whole calendar) runs from the series' start for the instances' limit.
  const after = Math.max(input.from - 2 * day, floatingStart.getTime() - day);
  const before = Math.min(input.to + 2 * day, floatingStart.getTime() + 50 * 366 * day);
  rule.between(new Date(after), new Date(before), true, (floating) => {
    if (!skip.has(floating.getTime())) {
      const at = instantOfWallClock(floating.toISOString().slice(0, 19), input.timeZone);
      if (at >= input.from - 366 * day && at < input.to) out.push(at);
    }
    return out.length < limit;
  });
  return out;
}

/** The wall-clock time (YYYY-MM-DDTHH:MM:SS) of an instant in a zone. */
export function wallClock(at: number, timeZone: string): string {
  return new Date(at + offsetMs(at, timeZone)).toISOString().slice(0, 19);
}

/** The instant a wall-clock time shows in a zone. */
export function instantOfWallClock(local: string, timeZone: string): number {
  const wall = Date.parse(`${local}Z`);
  let guess = wall;
  for (let step = 0; step < 2; step++) guess = wall - offsetMs(guess, timeZone);
  return guess;
}
