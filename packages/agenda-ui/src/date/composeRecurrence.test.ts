import { describe, expect, it } from "vitest";
import { composeRecurrence, readRecurrence } from "./composeRecurrence";

const none = readRecurrence(null)!;

describe("composeRecurrence", () => {
  it("composes each choice of the form for a start on Tuesday 10 March 2026", () => {
    const start = "2026-03-10T10:00";
    expect(composeRecurrence(none, start)).toBeNull();
    expect(composeRecurrence({ ...none, frequency: "daily" }, start)).toBe("FREQ=DAILY");
    expect(composeRecurrence({ ...none, frequency: "weekly" }, start)).toBe("FREQ=WEEKLY;BYDAY=TU");
    expect(composeRecurrence({ ...none, frequency: "weekly", weekdays: [3, 0] }, start)).toBe(
      "FREQ=WEEKLY;BYDAY=MO,TH",
    );
    expect(composeRecurrence({ ...none, frequency: "monthly" }, start)).toBe("FREQ=MONTHLY;BYMONTHDAY=10");
    expect(composeRecurrence({ ...none, frequency: "monthly", monthlyBy: "weekday" }, start)).toBe(
      "FREQ=MONTHLY;BYDAY=2TU",
    );
    expect(composeRecurrence({ ...none, frequency: "monthly", monthlyBy: "weekday" }, "2026-03-31")).toBe(
      "FREQ=MONTHLY;BYDAY=-1TU",
    );
    expect(composeRecurrence({ ...none, frequency: "yearly", ends: "count", count: 5 }, start)).toBe(
      "FREQ=YEARLY;COUNT=5",
    );
    expect(
      composeRecurrence({ ...none, frequency: "daily", ends: "until", until: "2026-04-30" }, start),
    ).toBe("FREQ=DAILY;UNTIL=20260430T235959Z");
  });

  it("reads back the rules it composes, and leaves the ones it cannot show", () => {
    expect(readRecurrence("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6")).toMatchObject({
      frequency: "weekly",
      weekdays: [0, 3],
      ends: "count",
      count: 6,
    });
    expect(readRecurrence("RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231T235959Z")).toMatchObject({
      frequency: "monthly",
      monthlyBy: "weekday",
      ends: "until",
      until: "2026-12-31",
    });
    expect(readRecurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")).toBeUndefined();
  });
});
