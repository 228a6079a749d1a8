/**
 * VTIMEZONE components built from the runtime's own zone data (`Intl`), so no zone database ships
 * with the agenda. RFC 5545 wants a VTIMEZONE for every TZID; Google and Apple read the IANA name
 * itself, Outlook reads the component. Each offset change inside the years asked for becomes its own
 * observance with an explicit DTSTART, which is exact for the covered years whatever the zone's rules.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's UTC offset at an instant, in minutes (Paris in summer: 120). */
export function zoneOffsetMinutes(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

interface Transition {
  /** The first instant of the new offset. */
  at: number;
  from: number;
  to: number;
}

const day = 86_400_000;

/** Offset changes in [from, to), found day by day then narrowed to the minute. */
function findTransitions(timeZone: string, from: number, to: number): Transition[] {
  const transitions: Transition[] = [];
  let before = zoneOffsetMinutes(from, timeZone);
  for (let at = from + day; at < to + day; at += day) {
    const after = zoneOffsetMinutes(at, timeZone);
    if (after === before) continue;
    let low = at - day;
    let high = at;
    while (high - low > 60_000) {
      const middle = Math.floor((low + high) / 2 / 60_000) * 60_000;
      if (zoneOffsetMinutes(middle, timeZone) === before) low = middle;
      else high = middle;
    }
    transitions.push({ at: high, from: before, to: after });
    before = after;
  }
  return transitions;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}${String(absolute % 60).padStart(2, "0")}`;
}

/** Local time as iCalendar's floating DATE-TIME, e.g. 20260329T020000. */
function formatLocal(at: number, offsetMinutes: number): string {
  return new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 19).replace(/[-:]/g, "");
}

function observance(kind: "STANDARD" | "DAYLIGHT", start: string, from: number, to: number): string[] {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${formatOffset(from)}`,
    `TZOFFSETTO:${formatOffset(to)}`,
    `END:${kind}`,
  ];
}

/**
 * The VTIMEZONE of `timeZone` valid from January 1st of `fromYear` to December 31st of `toYear`
 * (give the years the calendar's events span), or null for UTC, which needs none.
 */
export function vTimezoneComponent(timeZone: string, fromYear: number, toYear: number): string | null {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return null;
  // A day of margin each side: a zone's January 1st starts up to 14 hours away from UTC's.
  const from = Date.UTC(fromYear, 0, 1) - day;
  const to = Date.UTC(toYear + 1, 0, 1) + day;
  const initial = zoneOffsetMinutes(from, timeZone);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`];
  lines.push(...observance("STANDARD", formatLocal(from, initial), initial, initial));
  for (const transition of findTransitions(timeZone, from, to)) {
    // DTSTART of an observance is the local time of its onset in the offset it replaces (RFC 5545 3.6.5).
    lines.push(
      ...observance(
        transition.to > transition.from ? "DAYLIGHT" : "STANDARD",
        formatLocal(transition.at, transition.from),
        transition.from,
        transition.to,
      ),
    );
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
