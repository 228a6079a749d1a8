import { describe, expect, it } from "vitest";
import { seedEvents, zonedInstant } from "./seedAgenda";

describe("zonedInstant", () => {
  it("uses the winter and summer offsets of Paris", () => {
    expect(zonedInstant("2026-01-15", "09:00")).toBe("2026-01-15T08:00:00.000Z");
    expect(zonedInstant("2026-07-15", "09:00")).toBe("2026-07-15T07:00:00.000Z");
  });

  it("is right on the days the clocks change", () => {
    expect(zonedInstant("2026-03-29", "09:00")).toBe("2026-03-29T07:00:00.000Z");
    expect(zonedInstant("2026-10-25", "09:00")).toBe("2026-10-25T08:00:00.000Z");
  });
});

describe("seedEvents", () => {
  it("fills two working weeks around today, with no event on a weekend", () => {
    const events = seedEvents("alice", new Date("2026-11-25T10:00:00Z"));
    const timed = events.filter((event) => !event.allDay);
    const days = new Set(timed.map((event) => event.start.slice(0, 10)));
    expect(days.size).toBe(15);
    for (const event of timed) expect([0, 6]).not.toContain(new Date(event.start).getUTCDay());
    expect(events.some((event) => event.allDay)).toBe(true);
  });

  it("puts the all-day fair on the Monday-first week that holds today, every day of the week and hour", () => {
    // Monday 23 to Sunday 29 November 2026, each day just after midnight, at noon and late, Paris time.
    for (let date = 23; date <= 29; date++) {
      for (const hour of ["00:30", "12:00", "23:30"]) {
        const now = new Date(zonedInstant(`2026-11-${date}`, hour));
        const fair = seedEvents("alice", now).find((event) => event.allDay);
        expect(fair?.start, `on the ${date} at ${hour}`).toBe(zonedInstant("2026-11-25", "00:00"));
        expect(fair?.end).toBe(zonedInstant("2026-11-27", "00:00"));
      }
    }
  });
});
