import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { getWeekDays } from "./getWeekDays";
import { layoutAllDayEvents } from "./layoutAllDayEvents";

const week = getWeekDays(new TZDate(2026, 10, 25, "Europe/Paris"), 1, "Europe/Paris");

function allDay(id: string, firstDate: string, dayAfterLastDate: string, timeZone = "Europe/Paris") {
  return {
    id,
    start: `${firstDate}T00:00:00+01:00`,
    end: `${dayAfterLastDate}T00:00:00+01:00`,
    allDay: true,
    timeZone,
  };
}

describe("layoutAllDayEvents", () => {
  it("spans the days an event covers, its end being exclusive", () => {
    const [seminar] = layoutAllDayEvents([allDay("seminar", "2026-11-24", "2026-11-26")], week);

    expect(seminar).toMatchObject({
      firstDay: 1,
      daySpan: 2,
      lane: 0,
      startsBeforeRange: false,
      endsAfterRange: false,
    });
  });

  it("cuts an event at the edges of the range and says so", () => {
    const [holiday] = layoutAllDayEvents([allDay("holiday", "2026-11-20", "2026-12-02")], week);

    expect(holiday).toMatchObject({ firstDay: 0, daySpan: 7, startsBeforeRange: true, endsAfterRange: true });
  });

  it("stacks events on shared days into lanes and reuses a lane once it is free", () => {
    const placed = layoutAllDayEvents(
      [
        allDay("short", "2026-11-24", "2026-11-25"),
        allDay("long", "2026-11-23", "2026-11-27"),
        allDay("later", "2026-11-28", "2026-11-29"),
      ],
      week,
    );

    expect(placed.map(({ event, lane }) => `${event.id}:${lane}`)).toEqual(["long:0", "short:1", "later:0"]);
  });

  it("leaves out timed events and events outside the range", () => {
    const placed = layoutAllDayEvents(
      [
        { id: "timed", start: "2026-11-24T09:00:00+01:00", end: "2026-11-24T10:00:00+01:00", allDay: false },
        allDay("before", "2026-11-20", "2026-11-23"),
        allDay("after", "2026-11-30", "2026-12-01"),
      ],
      week,
    );

    expect(placed).toEqual([]);
  });
});
