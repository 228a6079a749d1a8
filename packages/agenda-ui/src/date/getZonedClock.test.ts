import { describe, expect, it } from "vitest";
import { getZonedClock } from "./getZonedClock";

describe("getZonedClock", () => {
  it("reads the wall clock of Paris in winter and in summer", () => {
    const clock = getZonedClock("Europe/Paris");
    expect(clock.minutesOfDay(Date.parse("2026-11-24T09:30:00+01:00"))).toBe(570);
    expect(clock.minutesOfDay(Date.parse("2026-06-24T09:30:30+02:00"))).toBe(570.5);
    expect(clock.offsetMinutes(Date.parse("2026-11-24T09:30:00+01:00"))).toBe(60);
    expect(clock.offsetMinutes(Date.parse("2026-06-24T09:30:00+02:00"))).toBe(120);
  });

  it("changes offset at the very minute clocks go forward on the 23-hour day", () => {
    const clock = getZonedClock("Europe/Paris");
    const change = Date.parse("2026-03-29T01:00:00Z");
    expect(clock.minutesOfDay(change - 60_000)).toBe(1 * 60 + 59);
    expect(clock.minutesOfDay(change)).toBe(3 * 60);
  });

  it("reads the repeated hour of the 25-hour day twice", () => {
    const clock = getZonedClock("Europe/Paris");
    expect(clock.minutesOfDay(Date.parse("2026-10-25T02:30:00+02:00"))).toBe(150);
    expect(clock.minutesOfDay(Date.parse("2026-10-25T02:30:00+01:00"))).toBe(150);
  });

  it("numbers local dates, not UTC ones", () => {
    const clock = getZonedClock("Pacific/Auckland");
    const lateMonday = Date.parse("2026-11-23T23:30:00+13:00");
    const earlyTuesday = Date.parse("2026-11-24T00:30:00+13:00");
    expect(clock.dayNumber(earlyTuesday) - clock.dayNumber(lateMonday)).toBe(1);
    expect(clock.dayNumber(lateMonday)).toBe(Date.UTC(2026, 10, 23) / 86_400_000);
  });
});
