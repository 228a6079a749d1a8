import type { Options, RRule as Rule } from "rrule";
import * as rruleModule from "rrule";
import { AgendaError } from "../errors";
import { zonedTime, zonedWallClock } from "../sync/calendarHttp";

// rrule ships an ES module build only through the `module` field: Node's own ESM loader takes its
// CommonJS build, whose exports then sit on `default`.
const { RRule } = ((rruleModule as { default?: typeof rruleModule }).default ??
  rruleModule) as typeof rruleModule;

/** A series as expansion needs it: its rule, first occurrence, and the zone its wall-clock lives in. */
export interface SeriesTiming {
  recurrence: string;
  start: Date;
  timeZone: string;
}

/** The most occurrences one series yields for one range (a daily series over the widest range is 400). */
const maxOccurrences = 1_000;
const hour = 3_600_000;

// rrule counts in UTC: a "floating" date whose UTC fields are the wall-clock time in the series' zone
// makes it step by calendar days and weekdays there, so 10:00 in Paris stays 10:00 across the March
// and October changes; each result is then read back as that wall-clock time in the zone.
function toFloating(instant: Date, timeZone: string): Date {
  return new Date(`${zonedWallClock(instant, timeZone)}Z`);
}

function fromFloating(floating: Date, timeZone: string): Date {
  return zonedTime(floating.toISOString().slice(0, 19), timeZone);
}

/** The rule without its `RRULE:` prefix. */
export function ruleText(recurrence: string): string {
  return recurrence.replace(/^RRULE:/, "");
}

/**
 * Reads an RRULE with the `rrule` library; a rule it cannot read, or one with parts the agenda does
 * not keep (DTSTART inside the rule, frequencies finer than a day), is the caller's mistake to fix.
 */
export function parseRecurrence(recurrence: string): Partial<Options> {
  const unprocessable = (why: string) =>
    new AgendaError("unprocessable", `recurrence: ${why}`, {
      details: [{ path: "recurrence", message: why }],
    });
  let options: Partial<Options>;
  try {
    options = RRule.parseString(ruleText(recurrence));
  } catch (error) {
    throw unprocessable(error instanceof Error ? error.message : "not an RRULE");
  }
  if (options.dtstart || options.tzid)
    throw unprocessable("leave DTSTART and TZID out; the event's start is the series' start");
  if (options.freq === undefined || options.freq > RRule.DAILY) {
    throw unprocessable("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
  }
  if (options.count !== undefined && options.count !== null && options.until) {
    throw unprocessable("give COUNT or UNTIL, not both");
  }
  return options;
}

function ruleFor(series: SeriesTiming): Rule {
  const options = parseRecurrence(series.recurrence);
  // An UNTIL in UTC (`...Z`, as RFC 5545 asks when the start has a zone) is an instant: compared with
  // floating dates, it becomes its wall-clock time in the zone. A date-only UNTIL is already one.
  const untilIsInstant = /UNTIL=\d{8}T\d{6}Z/i.test(series.recurrence);
  return new RRule({
    ...options,
    dtstart: toFloating(series.start, series.timeZone),
    ...(options.until && {
      until: untilIsInstant ? toFloating(options.until, series.timeZone) : endOfFloatingDay(options.until),
    }),
  });
}

// A date-only UNTIL includes that whole day.
function endOfFloatingDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59));
}

/**
 * The starts of the occurrences of a series that overlap `[from, to)`, given how long each lasts:
 * computed in the series' own zone, so wall-clock times hold across daylight-saving changes.
 */
export function occurrenceStarts(series: SeriesTiming, durationMs: number, from: Date, to: Date): Date[] {
  const rule = ruleFor(series);
  // Floating dates differ from instants by the zone's offset (at most 14 h each way): widen, then
  // filter with the real instants.
  const after = toFloating(new Date(from.getTime() - durationMs - 15 * hour), "UTC");
  const before = toFloating(new Date(to.getTime() + 15 * hour), "UTC");
  const starts: Date[] = [];
  rule.between(after, before, true, (floating: Date) => {
    const start = fromFloating(floating, series.timeZone);
    if (start.getTime() < to.getTime() && start.getTime() + durationMs > from.getTime()) starts.push(start);
    return starts.length < maxOccurrences;
  });
  return starts;
}

/**
 * When the series' last occurrence starts at the latest, or null for one without end: what lets a
 * read skip a series that ended before its range. An UNTIL is read as is (no stepping through the
 * rule); a COUNT is stepped through, as many occurrences as it counts.
 */
export function lastStartBound(series: SeriesTiming): Date | null {
  const options = parseRecurrence(series.recurrence);
  if (options.until) {
    return /UNTIL=\d{8}T\d{6}Z/i.test(series.recurrence)
      ? options.until
      : fromFloating(endOfFloatingDay(options.until), series.timeZone);
  }
  if (options.count === undefined || options.count === null) return null;
  const last = ruleFor(series).all().at(-1);
  return last ? fromFloating(last, series.timeZone) : series.start;
}

/** Whether `at` is an occurrence of the series (an occurrence id must name one). */
export function isOccurrence(series: SeriesTiming, at: Date): boolean {
  return occurrenceStarts(series, 1, at, new Date(at.getTime() + 1)).some(
    (start) => start.getTime() === at.getTime(),
  );
}

/** How many occurrences start before `at`. */
export function countBefore(series: SeriesTiming, at: Date): number {
  const before = toFloating(at, series.timeZone);
  return ruleFor(series)
    .between(toFloating(series.start, series.timeZone), before, true)
    .filter((floating: Date) => floating.getTime() < before.getTime()).length;
}

/** `20260310T090000Z`: an instant in the UTC form of RRULE's UNTIL and of occurrence ids. */
export function basicUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Reads {@link basicUtc} back. */
export function fromBasicUtc(text: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/i.exec(text) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/**
 * The rule with its end replaced: ending just before `at` (UNTIL, COUNT dropped) or, with `count`,
 * after that many occurrences.
 */
export function withEnd(recurrence: string, end: { until: Date } | { count: number } | null): string {
  const parts = ruleText(recurrence)
    .split(";")
    .filter((part) => !/^(UNTIL|COUNT)=/i.test(part));
  if (end && "until" in end) parts.push(`UNTIL=${basicUtc(end.until)}`);
  if (end && "count" in end) parts.push(`COUNT=${end.count}`);
  return parts.join(";");
}

/** The COUNT of a rule, if it has one. */
export function ruleCount(recurrence: string): number | null {
  const match = /(?:^|;)COUNT=(\d+)/i.exec(ruleText(recurrence));
  return match ? Number(match[1]) : null;
}
