import { describe, expect, it } from "vitest";
import { getViewDays } from "./getViewDays";
import { layoutMonthWeek } from "./layoutMonthWeek";

const week = getViewDays("week", new Date("2026-11-25T12:00:00+01:00"), 1, "Europe/Paris");

function timed(start: string, end: string) {
  return { start, end, allDay: false, timeZone: "Europe/Paris" };
}

describe("layoutMonthWeek", () => {
  it("puts all-day and longer bars first and stacks events that share days", () => {
    const meeting = timed("2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00");
    const fair = { start: "2026-11-24T00:00:00+01:00", end: "2026-11-27T00:00:00+01:00", allDay: true };
    const lunch = timed("2026-11-26T12:00:00+01:00", "2026-11-26T13:00:00+01:00");
    const layout = layoutMonthWeek([meeting, lunch, fair], week);

    expect(layout.map((item) => [item.event, item.firstDay, item.daySpan, item.lane])).toEqual([
      [fair, 1, 3, 0],
      [meeting, 1, 1, 1],
      [lunch, 3, 1, 1],
    ]);
  });

  it("cuts bars at the week's edges and does not let an event ending at midnight spill over", () => {
    const trip = timed("2026-11-20T18:00:00+01:00", "2026-11-24T00:00:00+01:00");
    const night = timed("2026-11-29T22:00:00+01:00", "2026-11-30T02:00:00+01:00");
    const [tripBar, nightBar] = layoutMonthWeek([trip, night], week);

    expect(tripBar).toMatchObject({ firstDay: 0, daySpan: 1, startsBeforeWeek: true, endsAfterWeek: false });
    expect(nightBar).toMatchObject({ firstDay: 6, daySpan: 1, startsBeforeWeek: false, endsAfterWeek: true });
  });

  it("keeps an all-day event on its own dates when shown in another zone", () => {
    const holiday = {
      start: "2026-11-26T00:00:00-05:00",
      end: "2026-11-27T00:00:00-05:00",
      allDay: true,
      timeZone: "America/New_York",
    };
    const [bar] = layoutMonthWeek([holiday], week);
    expect(bar).toMatchObject({ firstDay: 3, daySpan: 1 });
  });
});
