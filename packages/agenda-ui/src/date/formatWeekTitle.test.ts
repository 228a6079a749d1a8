import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { formatWeekTitle } from "./formatWeekTitle";

function paris(year: number, month: number, day: number): TZDate {
  return new TZDate(year, month - 1, day, "Europe/Paris");
}

describe("formatWeekTitle", () => {
  it("writes the month and year once for a week inside one month", () => {
    expect(formatWeekTitle(paris(2026, 11, 23), paris(2026, 11, 29), "fr")).toBe("23 – 29 nov. 2026");
    expect(formatWeekTitle(paris(2026, 11, 23), paris(2026, 11, 29), "en")).toBe("Nov 23 – 29, 2026");
  });

  it("writes both months for a week across two months", () => {
    expect(formatWeekTitle(paris(2026, 11, 30), paris(2026, 12, 6), "fr")).toBe("30 nov. – 6 déc. 2026");
    expect(formatWeekTitle(paris(2026, 11, 30), paris(2026, 12, 6), "en")).toBe("Nov 30 – Dec 6, 2026");
  });

  it("writes both years for a week across the new year", () => {
    expect(formatWeekTitle(paris(2026, 12, 28), paris(2027, 1, 3), "fr")).toBe("28 déc. 2026 – 3 janv. 2027");
    expect(formatWeekTitle(paris(2026, 12, 28), paris(2027, 1, 3), "en")).toBe("Dec 28, 2026 – Jan 3, 2027");
  });
});
