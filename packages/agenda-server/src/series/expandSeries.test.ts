import { describe, expect, it } from "vitest";
import { countBefore, isOccurrence, occurrenceStarts, parseRecurrence, withEnd } from "./expandSeries";

const hour = 3_600_000;
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe("occurrenceStarts", () => {
  it("keeps 10:00 in Paris across the March change (UTC+1 to UTC+2)", () => {
    const series = {
      recurrence: "FREQ=WEEKLY;BYDAY=TU",
      start: new Date("2026-03-17T09:00:00Z"), // Tuesday 10:00 in Paris
      timeZone: "Europe/Paris",
    };
    const starts = occurrenceStarts(
      series,
      hour,
      new Date("2026-03-01T00:00:00Z"),
      new Date("2026-04-08T00:00:00Z"),
    );
    expect(iso(starts)).toEqual([
      "2026-03-17T09:00:00.000Z",
      "2026-03-24T09:00:00.000Z",
      "2026-03-31T08:00:00.000Z",
      "2026-04-07T08:00:00.000Z",
    ]);
  });

  it("keeps 10:00 in Paris across the October change (UTC+2 to UTC+1)", () => {
    const series = {
      recurrence: "FREQ=DAILY",
      start: new Date("2026-10-23T08:00:00Z"),
      timeZone: "Europe/Paris",
    };
    const starts = occurrenceStarts(
      series,
      hour,
      new Date("2026-10-24T00:00:00Z"),
      new Date("2026-10-27T00:00:00Z"),
    );
    expect(iso(starts)).toEqual([
      "2026-10-24T08:00:00.000Z",
      "2026-10-25T09:00:00.000Z",
      "2026-10-26T09:00:00.000Z",
    ]);
  });

  it("keeps 9:00 in New York across its March and November changes, which fall on other dates than Europe's", () => {
    const series = {
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      start: new Date("2026-03-02T14:00:00Z"), // Monday 9:00 EST
      timeZone: "America/New_York",
    };
    const march = occurrenceStarts(
      series,
      hour,
      new Date("2026-03-01T00:00:00Z"),
      new Date("2026-03-17T00:00:00Z"),
    );
    expect(iso(march)).toEqual([
      "2026-03-02T14:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
      "2026-03-16T13:00:00.000Z",
    ]);
    const november = occurrenceStarts(
      series,
      hour,
      new Date("2026-10-26T00:00:00Z"),
      new Date("2026-11-10T00:00:00Z"),
    );
    expect(iso(november)).toEqual([
      "2026-10-26T13:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
      "2026-11-09T14:00:00.000Z",
    ]);
  });

  it("finds the second Tuesday of each month, by weekday", () => {
    const series = {
      recurrence: "RRULE:FREQ=MONTHLY;BYDAY=2TU",
      start: new Date("2026-01-13T13:30:00Z"),
      timeZone: "Europe/Paris",
    };
    const starts = occurrenceStarts(
      series,
      hour,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-05-01T00:00:00Z"),
    );
    expect(iso(starts)).toEqual([
      "2026-01-13T13:30:00.000Z",
      "2026-02-10T13:30:00.000Z",
      "2026-03-10T13:30:00.000Z",
      "2026-04-14T12:30:00.000Z",
    ]);
  });

  it("repeats on a date of the month and yearly", () => {
    const monthly = {
      recurrence: "FREQ=MONTHLY;BYMONTHDAY=31",
      start: new Date("2026-01-31T09:00:00Z"),
      timeZone: "UTC",
    };
    expect(
      iso(
        occurrenceStarts(monthly, hour, new Date("2026-01-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z")),
      ),
    ).toEqual(["2026-01-31T09:00:00.000Z", "2026-03-31T09:00:00.000Z", "2026-05-31T09:00:00.000Z"]);
    const yearly = {
      recurrence: "FREQ=YEARLY",
      start: new Date("2026-02-14T18:00:00Z"),
      timeZone: "Europe/Paris",
    };
    expect(
      iso(occurrenceStarts(yearly, hour, new Date("2026-01-01T00:00:00Z"), new Date("2027-12-31T00:00:00Z"))),
    ).toEqual(["2026-02-14T18:00:00.000Z", "2027-02-14T18:00:00.000Z"]);
  });

  it("stops after COUNT occurrences, and at UNTIL (an instant, inclusive)", () => {
    const start = new Date("2026-03-27T09:00:00Z");
    const range = [new Date("2026-03-01T00:00:00Z"), new Date("2026-05-01T00:00:00Z")] as const;
    const counted = { recurrence: "FREQ=DAILY;COUNT=3", start, timeZone: "Europe/Paris" };
    expect(iso(occurrenceStarts(counted, hour, ...range))).toEqual([
      "2026-03-27T09:00:00.000Z",
      "2026-03-28T09:00:00.000Z",
      "2026-03-29T08:00:00.000Z",
    ]);
    const until = { recurrence: "FREQ=DAILY;UNTIL=20260329T080000Z", start, timeZone: "Europe/Paris" };
    expect(occurrenceStarts(until, hour, ...range)).toHaveLength(3);
    const dateOnly = { recurrence: "FREQ=DAILY;UNTIL=20260329", start, timeZone: "Europe/Paris" };
    expect(occurrenceStarts(dateOnly, hour, ...range)).toHaveLength(3);
  });

  it("includes an occurrence that started before the range and is still going on", () => {
    const series = { recurrence: "FREQ=DAILY", start: new Date("2026-06-01T22:00:00Z"), timeZone: "UTC" };
    const starts = occurrenceStarts(
      series,
      4 * hour,
      new Date("2026-06-03T00:00:00Z"),
      new Date("2026-06-03T12:00:00Z"),
    );
    expect(iso(starts)).toEqual(["2026-06-02T22:00:00.000Z"]);
  });
});

describe("series helpers", () => {
  const series = {
    recurrence: "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10",
    start: new Date("2026-03-02T09:00:00Z"),
    timeZone: "Europe/Paris",
  };

  it("tells an occurrence from another instant, and counts those before one", () => {
    expect(isOccurrence(series, new Date("2026-03-05T09:00:00Z"))).toBe(true);
    expect(isOccurrence(series, new Date("2026-03-05T10:00:00Z"))).toBe(false);
    expect(countBefore(series, new Date("2026-03-09T09:00:00Z"))).toBe(2);
  });

  it("replaces the end of a rule", () => {
    expect(withEnd(series.recurrence, { until: new Date("2026-03-08T23:00:00Z") })).toBe(
      "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260308T230000Z",
    );
    expect(withEnd("RRULE:FREQ=DAILY;UNTIL=20260101T000000Z", { count: 4 })).toBe("FREQ=DAILY;COUNT=4");
  });

  it("refuses rules the agenda does not keep, saying what to change", () => {
    expect(() => parseRecurrence("FREQ=HOURLY")).toThrow(/FREQ must be DAILY/);
    expect(() => parseRecurrence("FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z")).toThrow(/COUNT or UNTIL/);
    expect(() => parseRecurrence("FREQ=SOMETIMES")).toThrow(/recurrence:/);
  });
});
