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
});
