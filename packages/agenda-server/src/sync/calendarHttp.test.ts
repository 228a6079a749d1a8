import { describe, expect, it } from "vitest";
import { zonedDate, zonedTime, zonedWallClock } from "./calendarHttp";

// Offsets are cached per hour; each case asks about both sides of a change, in both directions, and
// asks twice so the second answer comes from the cache.
describe("zone offsets", () => {
  const cases = [
    // Paris springs forward at 01:00 UTC on the last Sunday of March, and falls back in October.
    ["Europe/Paris", "2026-03-29T00:59:59.000Z", "2026-03-29T01:59:59"],
    ["Europe/Paris", "2026-03-29T01:00:00.000Z", "2026-03-29T03:00:00"],
    ["Europe/Paris", "2026-10-25T00:59:59.000Z", "2026-10-25T02:59:59"],
    ["Europe/Paris", "2026-10-25T01:00:00.000Z", "2026-10-25T02:00:00"],
    // Lord Howe moves by half an hour, at 02:00 local (15:00 UTC the day before).
    ["Australia/Lord_Howe", "2026-04-04T14:59:59.000Z", "2026-04-05T01:59:59"],
    ["Australia/Lord_Howe", "2026-04-04T15:00:00.000Z", "2026-04-05T01:30:00"],
    // Kathmandu is 5:45 ahead, all year.
    ["Asia/Kathmandu", "2026-07-01T10:20:30.000Z", "2026-07-01T16:05:30"],
    // Monrovia left its -0:44:30 in 1972, in the middle of a UTC hour.
    ["Africa/Monrovia", "1972-01-07T00:44:29.000Z", "1972-01-06T23:59:59"],
    ["Africa/Monrovia", "1972-01-07T00:44:30.000Z", "1972-01-07T00:44:30"],
  ] as const;

  it.each(cases)("reads the wall clock in %s at %s", (zone, instant, wallClock) => {
    for (let ask = 0; ask < 2; ask++) {
      expect(zonedWallClock(new Date(instant), zone)).toBe(wallClock);
    }
    expect(zonedDate(new Date(instant), zone)).toBe(wallClock.slice(0, 10));
  });

  it("turns a wall-clock time back into its instant on either side of a change", () => {
    expect(zonedTime("2026-03-29T03:00:00", "Europe/Paris").toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(zonedTime("2026-03-28T09:00:00", "Europe/Paris").toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(zonedTime("2026-03-30T09:00:00", "Europe/Paris").toISOString()).toBe("2026-03-30T07:00:00.000Z");
    expect(zonedTime("2026-11-01T09:00:00", "America/New_York").toISOString()).toBe(
      "2026-11-01T14:00:00.000Z",
    );
    expect(zonedTime("2026-10-31T09:00:00", "America/New_York").toISOString()).toBe(
      "2026-10-31T13:00:00.000Z",
    );
  });
});
