import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { layoutDayEvents } from "./layoutDayEvents";

const hour = 1 / 24;

function paris(year: number, month: number, day: number): TZDate {
  return new TZDate(year, month - 1, day, "Europe/Paris");
}

function event(id: string, start: string, end: string, allDay = false) {
  return { id, start, end, allDay };
}

function summarize(positioned: ReturnType<typeof layoutDayEvents<ReturnType<typeof event>>>) {
  return positioned.map(({ event, column, columnCount }) => `${event.id}:${column}/${columnCount}`);
}

describe("layoutDayEvents", () => {
  it("places an event by its time in the day's time zone", () => {
    const [placed] = layoutDayEvents(
      [event("revue", "2026-11-24T08:30:00Z", "2026-11-24T10:00:00Z")],
      paris(2026, 11, 24),
    );

    expect(placed?.top).toBeCloseTo(9.5 * hour);
    expect(placed?.height).toBeCloseTo(1.5 * hour);
    expect(placed).toMatchObject({ left: 0, width: 1, column: 0, columnCount: 1 });
  });

  it("leaves out all-day events and events of other days", () => {
    const placed = layoutDayEvents(
      [
        event("all-day", "2026-11-24T00:00:00+01:00", "2026-11-25T00:00:00+01:00", true),
        event("yesterday", "2026-11-23T10:00:00+01:00", "2026-11-23T11:00:00+01:00"),
        event("ends-at-midnight", "2026-11-23T23:00:00+01:00", "2026-11-24T00:00:00+01:00"),
        event("tomorrow", "2026-11-25T00:00:00+01:00", "2026-11-25T01:00:00+01:00"),
        event("today", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00"),
      ],
      paris(2026, 11, 24),
    );

    expect(placed.map((positioned) => positioned.event.id)).toEqual(["today"]);
  });

  it("puts overlapping events side by side and lets a later one reuse a freed column", () => {
    const placed = layoutDayEvents(
      [
        event("c", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00"),
        event("a", "2026-11-24T09:00:00+01:00", "2026-11-24T10:30:00+01:00"),
        event("b", "2026-11-24T09:00:00+01:00", "2026-11-24T09:30:00+01:00"),
      ],
      paris(2026, 11, 24),
    );

    // a is longer than b so it comes first; c starts when b has ended and takes b's column.
    expect(summarize(placed)).toEqual(["a:0/2", "b:1/2", "c:1/2"]);
    expect(placed[2]).toMatchObject({ left: 0.5, width: 0.5 });
  });

  it("starts a new full-width group once every earlier event has ended", () => {
    const placed = layoutDayEvents(
      [
        event("a", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00"),
        event("b", "2026-11-24T09:30:00+01:00", "2026-11-24T10:00:00+01:00"),
        event("c", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00"),
      ],
      paris(2026, 11, 24),
    );

    expect(summarize(placed)).toEqual(["a:0/2", "b:1/2", "c:0/1"]);
  });

  it("gives every event of a chain of overlaps the width of the widest moment", () => {
    const placed = layoutDayEvents(
      [
        event("a", "2026-11-24T09:00:00+01:00", "2026-11-24T12:00:00+01:00"),
        event("b", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00"),
        event("c", "2026-11-24T09:00:00+01:00", "2026-11-24T09:30:00+01:00"),
        event("d", "2026-11-24T11:00:00+01:00", "2026-11-24T13:00:00+01:00"),
      ],
      paris(2026, 11, 24),
    );

    expect(summarize(placed)).toEqual(["a:0/3", "b:1/3", "c:2/3", "d:1/3"]);
  });

  it("widens an event into the columns to its right that stay free while it lasts", () => {
    const placed = layoutDayEvents(
      [
        event("a", "2026-11-24T09:00:00+01:00", "2026-11-24T12:00:00+01:00"),
        event("b", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00"),
        event("c", "2026-11-24T09:00:00+01:00", "2026-11-24T09:30:00+01:00"),
        event("d", "2026-11-24T11:00:00+01:00", "2026-11-24T13:00:00+01:00"),
      ],
      paris(2026, 11, 24),
    );
    const byId = Object.fromEntries(placed.map((positioned) => [positioned.event.id, positioned]));

    // d sits in b's column once b is over, and nothing uses the third column after 09:30.
    expect(byId.d).toMatchObject({ column: 1, columnSpan: 2 });
    expect(byId.d?.width).toBeCloseTo(2 / 3);
    expect(byId.b).toMatchObject({ column: 1, columnSpan: 1 });
    expect(byId.a).toMatchObject({ column: 0, columnSpan: 1 });
  });

  it("stretches a very short event to the minimum height and lays it out at that height", () => {
    const placed = layoutDayEvents(
      [
        event("call", "2026-11-24T09:00:00+01:00", "2026-11-24T09:05:00+01:00"),
        event("next", "2026-11-24T09:10:00+01:00", "2026-11-24T09:40:00+01:00"),
      ],
      paris(2026, 11, 24),
      { minimumMinutes: 20 },
    );

    expect(placed[0]?.height).toBeCloseTo(20 / 1440);
    expect(summarize(placed)).toEqual(["call:0/2", "next:1/2"]);
  });

  it("cuts an event that crosses midnight and says which edge is cut", () => {
    const overnight = event("overnight", "2026-11-23T22:00:00+01:00", "2026-11-24T02:00:00+01:00");

    const [evening] = layoutDayEvents([overnight], paris(2026, 11, 23));
    const [morning] = layoutDayEvents([overnight], paris(2026, 11, 24));

    expect(evening).toMatchObject({ startsBeforeDay: false, endsAfterDay: true });
    expect(evening?.top).toBeCloseTo(22 * hour);
    expect(evening?.height).toBeCloseTo(2 * hour);
    expect(morning).toMatchObject({ top: 0, startsBeforeDay: true, endsAfterDay: false });
    expect(morning?.height).toBeCloseTo(2 * hour);
  });

  it("keeps events on their hour lines on the 23-hour day of the spring change (Paris, 2026-03-29)", () => {
    const placed = layoutDayEvents(
      [
        event("morning", "2026-03-29T09:00:00+02:00", "2026-03-29T10:00:00+02:00"),
        // 01:30 to 03:30 on the wall clock is one real hour: 02:00 to 03:00 does not exist that night.
        event("across-the-gap", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"),
        event("late", "2026-03-29T23:00:00+02:00", "2026-03-30T00:00:00+02:00"),
      ],
      paris(2026, 3, 29),
    );
    const byId = Object.fromEntries(placed.map((positioned) => [positioned.event.id, positioned]));

    // Counting elapsed time from midnight would put 09:00 at 8/23 of the day, between 08:00 and 09:00.
    expect(byId.morning?.top).toBeCloseTo(9 * hour);
    expect(byId.morning?.height).toBeCloseTo(hour);
    expect(byId["across-the-gap"]?.top).toBeCloseTo(1.5 * hour);
    expect(byId["across-the-gap"]?.height).toBeCloseTo(2 * hour);
    expect(byId.late?.top).toBeCloseTo(23 * hour);
    expect(byId.late?.height).toBeCloseTo(hour);
  });

  it("keeps events on their hour lines on the 25-hour day of the autumn change (Paris, 2026-10-25)", () => {
    const placed = layoutDayEvents(
      [
        event("morning", "2026-10-25T09:00:00+01:00", "2026-10-25T10:00:00+01:00"),
        // 02:30 summer time to 02:30 winter time: one real hour at the same wall-clock time.
        event("repeated-hour", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"),
        event("late", "2026-10-25T23:00:00+01:00", "2026-10-26T00:00:00+01:00"),
      ],
      paris(2026, 10, 25),
    );
    const byId = Object.fromEntries(placed.map((positioned) => [positioned.event.id, positioned]));

    // Counting elapsed time from midnight would put 09:00 at 10/25 of the day, on the 10:00 line.
    expect(byId.morning?.top).toBeCloseTo(9 * hour);
    expect(byId.morning?.height).toBeCloseTo(hour);
    expect(byId["repeated-hour"]?.top).toBeCloseTo(2.5 * hour);
    expect(byId["repeated-hour"]?.height).toBeCloseTo(hour);
    expect(byId.late?.top).toBeCloseTo(23 * hour);
    expect(byId.late?.height).toBeCloseTo(hour);
  });

  it("lays out a thousand events without losing any", () => {
    const many = Array.from({ length: 1000 }, (_, index) => {
      const minute = (index * 7) % 1380;
      const start = new TZDate(2026, 10, 24, Math.floor(minute / 60), minute % 60, "Europe/Paris");
      const end = new TZDate(start.getTime() + 45 * 60_000, "Europe/Paris");
      return event(String(index), start.toISOString(), end.toISOString());
    });

    const placed = layoutDayEvents(many, paris(2026, 11, 24));

    expect(placed).toHaveLength(1000);
    for (const positioned of placed) {
      expect(positioned.column + positioned.columnSpan).toBeLessThanOrEqual(positioned.columnCount);
      expect(positioned.left + positioned.width).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  describe("with at most maxColumns side by side", () => {
    const at = (time: string) => `2026-11-24T${time}:00+01:00`;

    it("shows every event when the group fits, widening as without a limit", () => {
      const placed = layoutDayEvents(
        [
          event("a", at("09:00"), at("11:00")),
          event("b", at("09:00"), at("10:00")),
          event("c", at("10:00"), at("11:00")),
        ],
        paris(2026, 11, 24),
        { maxColumns: 2 },
      );

      expect(placed.map((positioned) => positioned.more)).toEqual([undefined, undefined, undefined]);
      expect(summarize(placed)).toEqual(["a:0/2", "b:1/2", "c:1/2"]);
    });

    it("hides the events past the last shown column behind one +N per run of overlapping hidden events", () => {
      const placed = layoutDayEvents(
        [
          event("long", at("09:00"), at("13:00")),
          event("b", at("09:00"), at("10:00")),
          event("c", at("09:00"), at("10:00")),
          event("d", at("09:00"), at("09:30")),
          // Alone beside "long" in the afternoon of the group: fits in the second column.
          event("e", at("12:00"), at("13:00")),
        ],
        paris(2026, 11, 24),
        { maxColumns: 2 },
      );
      const byId = Object.fromEntries(placed.map((positioned) => [positioned.event.id, positioned]));

      expect(byId.long?.more).toBeUndefined();
      expect(byId.e?.more).toBeUndefined();
      // b sits in the last shown column but overlaps c and d beyond it: it is hidden with them.
      const more = byId.b?.more;
      expect(more?.events.map((hidden) => hidden.id)).toEqual(["b", "c", "d"]);
      expect(byId.c?.more).toBe(more);
      expect(byId.d?.more).toBe(more);
      expect(more).toMatchObject({ left: 0.5, width: 0.5 });
      expect(more?.top).toBeCloseTo(9 * hour);
      expect(more?.height).toBeCloseTo(1 * hour);
      expect(byId.e).toMatchObject({ column: 1, columnCount: 2, left: 0.5, width: 0.5 });
    });

    it("makes separate +N for hidden events that do not overlap, counting each", () => {
      const placed = layoutDayEvents(
        [
          event("all-morning", at("08:00"), at("12:00")),
          event("early-1", at("08:00"), at("09:00")),
          event("early-2", at("08:00"), at("09:00")),
          event("early-3", at("08:00"), at("09:00")),
          event("late-1", at("10:00"), at("11:00")),
          event("late-2", at("10:00"), at("11:00")),
          event("late-3", at("10:00"), at("11:00")),
        ],
        paris(2026, 11, 24),
        { maxColumns: 3 },
      );
      const groups = [...new Set(placed.flatMap((positioned) => positioned.more ?? []))];

      expect(groups.map((group) => group.events.map((hidden) => hidden.id))).toEqual([
        ["early-2", "early-3"],
        ["late-2", "late-3"],
      ]);
      expect(groups.map((group) => group.left)).toEqual([2 / 3, 2 / 3]);
      expect(
        placed.filter((positioned) => positioned.more === undefined).map((positioned) => positioned.event.id),
      ).toEqual(["all-morning", "early-1", "late-1"]);
    });

    it("does not widen a shown event into the +N slot while a hidden event lasts, but does after", () => {
      const placed = layoutDayEvents(
        [
          event("a", at("09:00"), at("11:00")),
          event("b", at("09:00"), at("10:00")),
          event("c", at("09:00"), at("10:00")),
          event("d", at("09:00"), at("10:00")),
          // Column 1 after 10:00, with the +N slot (column 2) free then: it widens into it.
          event("after", at("10:00"), at("11:00")),
        ],
        paris(2026, 11, 24),
        { maxColumns: 3 },
      );
      const byId = Object.fromEntries(placed.map((positioned) => [positioned.event.id, positioned]));

      expect(byId.b).toMatchObject({ column: 1, columnSpan: 1, width: 1 / 3 });
      expect(byId.c?.more?.events.map((hidden) => hidden.id)).toEqual(["c", "d"]);
      expect(byId.after).toMatchObject({ column: 1, columnSpan: 2, left: 1 / 3, width: 2 / 3 });
    });

    it("keeps every event of a crowded day either shown within the limit or counted once in a +N", () => {
      const many = Array.from({ length: 60 }, (_, index) => {
        const start = 8 * 60 + ((index * 37) % 600);
        const startTime = `${String(Math.floor(start / 60)).padStart(2, "0")}:${String(start % 60).padStart(2, "0")}`;
        const end = start + 30 + ((index * 13) % 90);
        const endTime = `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
        return event(`e${index}`, at(startTime), at(endTime));
      });

      const placed = layoutDayEvents(many, paris(2026, 11, 24), { maxColumns: 3 });
      const groups = new Set(placed.flatMap((positioned) => positioned.more ?? []));
      const hiddenCount = [...groups].reduce((count, group) => count + group.events.length, 0);

      expect(placed).toHaveLength(60);
      expect(hiddenCount).toBe(placed.filter((positioned) => positioned.more !== undefined).length);
      expect(hiddenCount).toBeGreaterThan(0);
      for (const positioned of placed) {
        expect(positioned.columnCount).toBeLessThanOrEqual(3);
        if (positioned.more === undefined)
          expect(positioned.column + positioned.columnSpan).toBeLessThanOrEqual(3);
      }
      // No shown event overlaps a +N slot in the same column.
      for (const shown of placed.filter((positioned) => positioned.more === undefined)) {
        for (const group of groups) {
          const sameColumn = shown.left + shown.width > group.left + 1e-9;
          const overlaps =
            shown.top < group.top + group.height - 1e-9 && group.top < shown.top + shown.height - 1e-9;
          expect(sameColumn && overlaps, `${shown.event.id} under a +N`).toBe(false);
        }
      }
    });
  });
});
