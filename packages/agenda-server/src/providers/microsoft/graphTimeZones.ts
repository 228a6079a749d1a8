import { findIana, findWindows } from "windows-iana";

/**
 * Graph names zones its own way (https://learn.microsoft.com/graph/api/resources/datetimetimezone):
 * `start/end.timeZone` is the zone of `Prefer: outlook.timezone` when Graph honours it, else "UTC";
 * `originalStartTimeZone` is what the organiser's client set, usually a Windows name ("Romance
 * Standard Time"), sometimes an IANA name, `tzone://Microsoft/Utc` or `tzone://Microsoft/Custom`.
 * `Intl` knows only IANA names, so every name is mapped here, both ways, with the CLDR table of
 * `windows-iana`.
 */

const graphUtcNames = new Set(["utc", "tzone://microsoft/utc", "etc/utc", "z"]);

function canonicalIana(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The IANA zone for a zone name Graph gave (Windows or IANA), or null when it names none we know
 * (`tzone://Microsoft/Custom`, an empty string).
 */
export function ianaFromGraph(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  if (graphUtcNames.has(trimmed.toLowerCase())) return "UTC";
  // Windows names first: a few (such as "Egypt") are also legacy IANA links to another zone.
  const fromWindows = findIana(trimmed)[0];
  if (fromWindows) return canonicalIana(fromWindows) ?? fromWindows;
  return canonicalIana(trimmed);
}

/**
 * The Windows name Graph stores for an IANA zone, so Outlook shows the event in the zone it was
 * made in; "UTC" for a zone the table does not know, with the times then written in UTC.
 */
export function graphZoneName(iana: string): { timeZone: string; known: boolean } {
  const windows = findWindows(iana)[0];
  return windows ? { timeZone: windows, known: true } : { timeZone: "UTC", known: false };
}
