import { describe, expect, it } from "vitest";
import { getViewDays, shiftViewDate } from "./getViewDays";

const wednesday = new Date("2026-11-25T14:20:00+01:00");

function keys(days: { getFullYear(): number; getMonth(): number; getDate(): number }[]) {
  return days.map(
    (day) =>
      `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`,
  );
}

describe("getViewDays", () => {
  it("gives one day, the week, the working week and the whole weeks of the month", () => {
    expect(keys(getViewDays("day", wednesday, 1, "Europe/Paris"))).toEqual(["2026-11-25"]);
    expect(keys(getViewDays("week", wednesday, 1, "Europe/Paris"))[0]).toBe("2026-11-23");
    expect(keys(getViewDays("week", wednesday, 0, "Europe/Paris"))[0]).toBe("2026-11-22");
    expect(keys(getViewDays("work-week", wednesday, 0, "Europe/Paris"))).toEqual([
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
    ]);
    const month = keys(getViewDays("month", wednesday, 1, "Europe/Paris"));
    expect(month).toHaveLength(42);
    expect(month[0]).toBe("2026-10-26");
    expect(month.at(-1)).toBe("2026-12-06");
  });

  it("starts every day of the October month at local midnight, the 25-hour day included", () => {
    const days = getViewDays("month", new Date("2026-10-15T12:00:00+02:00"), 1, "Europe/Paris");
    for (const day of days) expect([day.getHours(), day.getMinutes()]).toEqual([0, 0]);
    const sunday = days.findIndex((day) => day.getMonth() === 9 && day.getDate() === 25);
    expect(days[sunday + 1]!.getTime() - days[sunday]!.getTime()).toBe(25 * 3_600_000);
  });
});

describe("shiftViewDate", () => {
  it("pages by a day, a week or a month, keeping the wall-clock time across the clock change", () => {
    const saturday = new Date("2026-10-24T09:00:00+02:00");
    expect(shiftViewDate("day", saturday, 1, "Europe/Paris").toISOString()).toBe("2026-10-25T08:00:00.000Z");
    expect(shiftViewDate("week", saturday, 1, "Europe/Paris").toISOString()).toBe("2026-10-31T08:00:00.000Z");
    expect(shiftViewDate("month", saturday, -1, "Europe/Paris").toISOString()).toBe(
      "2026-09-24T07:00:00.000Z",
    );
  });

  it("pages the three-day view by three days, across the clock change too", () => {
    const saturday = new Date("2026-10-24T09:00:00+02:00");
    expect(shiftViewDate("three-day", saturday, 1, "Europe/Paris").toISOString()).toBe(
      "2026-10-27T08:00:00.000Z",
    );
    expect(shiftViewDate("three-day", saturday, -1, "Europe/Paris").toISOString()).toBe(
      "2026-10-21T07:00:00.000Z",
    );
  });
});

describe("getViewDays for three days", () => {
  it("gives the day and the two after it, each at local midnight across the 25-hour day", () => {
    const days = getViewDays("three-day", new Date("2026-10-24T15:00:00+02:00"), 1, "Europe/Paris");
    expect(days.map((day) => day.toISOString())).toEqual([
      "2026-10-24T00:00:00.000+02:00",
      "2026-10-25T00:00:00.000+02:00",
      "2026-10-26T00:00:00.000+01:00",
    ]);
  });
});
