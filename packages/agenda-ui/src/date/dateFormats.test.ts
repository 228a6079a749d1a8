import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { getDateFormats, toIsoDate, toIsoDateTime } from "./dateFormats";

describe("getDateFormats", () => {
  it("writes French with a 24-hour clock and English with a 12-hour one", () => {
    const french = getDateFormats("fr", "Europe/Paris");
    const english = getDateFormats("en", "Europe/Paris");
    const instant = Date.parse("2026-11-24T13:05:00Z");
    expect(french.time(instant)).toBe("14:05");
    expect(english.time(instant)).toBe("2:05 PM");
    expect(french.hourLabel(9)).toBe("09:00");
    expect(english.hourLabel(9)).toBe("9 AM");
    expect(english.hourLabel(12)).toBe("12 PM");
    expect(french.weekdayShort(instant)).toBe("mar.");
    expect(french.dayAndMonth(Date.parse("2027-01-01T12:00:00Z"))).toBe("1 janv.");
    expect(french.monthAndYear(instant)).toBe("novembre 2026");
    expect(english.fullDate(instant)).toBe("Tuesday, November 24, 2026");
  });

  it("reads each instant on the zone's clock across the October change", () => {
    const french = getDateFormats("fr", "Europe/Paris");
    // 25 October 2026: 02:30 CEST, then an hour later 02:30 CET.
    expect(french.time(Date.parse("2026-10-25T00:30:00Z"))).toBe("02:30");
    expect(french.time(Date.parse("2026-10-25T01:30:00Z"))).toBe("02:30");
    expect(french.zoneName(Date.parse("2026-10-24T12:00:00Z"))).toBe("UTC+2");
    expect(french.zoneName(Date.parse("2026-10-26T12:00:00Z"))).toBe("UTC+1");
  });

  it("says how long ago or how soon, in the language's words", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    const french = getDateFormats("fr", "Europe/Paris");
    expect(french.relative(now - 5 * 60_000, now)).toBe("il y a 5 minutes");
    expect(french.relative(now + 2 * 3_600_000, now)).toBe("dans 2 heures");
    expect(french.relative(now - 3 * 86_400_000, now)).toBe("il y a 3 jours");
    expect(getDateFormats("en", "UTC").relative(now - 90 * 60_000, now)).toBe("2 hours ago");
  });
});

describe("toIsoDate and toIsoDateTime", () => {
  it("write the wall-clock date of a zoned date, not its UTC date", () => {
    const lateEvening = new TZDate(Date.parse("2026-11-24T23:30:00Z"), "Europe/Paris");
    expect(toIsoDate(lateEvening)).toBe("2026-11-25");
    expect(toIsoDateTime(lateEvening)).toBe("2026-11-25T00:30");
  });
});
