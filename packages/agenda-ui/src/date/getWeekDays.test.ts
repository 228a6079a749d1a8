import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { getDaysRange, getWeekDays } from "./getWeekDays";

describe("getWeekDays", () => {
  it("starts on Monday when asked, at midnight in the time zone", () => {
    const days = getWeekDays(new Date("2026-11-26T15:00:00Z"), 1, "Europe/Paris");

    expect(days.map((day) => day.toISOString())).toEqual([
      "2026-11-23T00:00:00.000+01:00",
      "2026-11-24T00:00:00.000+01:00",
      "2026-11-25T00:00:00.000+01:00",
      "2026-11-26T00:00:00.000+01:00",
      "2026-11-27T00:00:00.000+01:00",
      "2026-11-28T00:00:00.000+01:00",
      "2026-11-29T00:00:00.000+01:00",
    ]);
  });

  it("starts on Sunday when asked", () => {
    const days = getWeekDays(new Date("2026-11-26T15:00:00Z"), 0, "America/New_York");

    expect(days[0]?.toISOString()).toBe("2026-11-22T00:00:00.000-05:00");
    expect(days[6]?.toISOString()).toBe("2026-11-28T00:00:00.000-05:00");
  });

  it("uses the date as seen in the time zone, not in UTC", () => {
    // Sunday 23:30 in UTC is already Monday in Paris, so the Paris week is the next one.
    const days = getWeekDays(new Date("2026-11-29T23:30:00Z"), 1, "Europe/Paris");

    expect(days[0]?.toISOString()).toBe("2026-11-30T00:00:00.000+01:00");
  });

  it("keeps every day at local midnight across the spring change to summer time", () => {
    const days = getWeekDays(new Date("2026-03-26T12:00:00Z"), 1, "Europe/Paris");

    expect(days[5]?.toISOString()).toBe("2026-03-28T00:00:00.000+01:00");
    expect(days[6]?.toISOString()).toBe("2026-03-29T00:00:00.000+01:00");
    expect(getDaysRange(days)).toEqual({ from: "2026-03-22T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z" });
  });

  it("keeps every day at local midnight across the autumn change to winter time", () => {
    const days = getWeekDays(new TZDate(2026, 9, 21, "Europe/Paris"), 1, "Europe/Paris");

    expect(days[6]?.toISOString()).toBe("2026-10-25T00:00:00.000+02:00");
    expect(getDaysRange(days)).toEqual({ from: "2026-10-18T22:00:00.000Z", to: "2026-10-25T23:00:00.000Z" });
  });
});
