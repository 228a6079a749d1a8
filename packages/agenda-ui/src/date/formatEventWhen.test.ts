import { describe, expect, it } from "vitest";
import { formatEventTimes, formatEventWhen } from "./formatEventWhen";

describe("formatEventWhen", () => {
  it("writes a timed event with its full date and a 24-hour clock in French", () => {
    const when = formatEventWhen(
      { start: "2026-11-24T08:00:00Z", end: "2026-11-24T09:30:00Z", allDay: false },
      { timeZone: "Europe/Paris", locale: "fr", allDayLabel: "Toute la journée" },
    );

    expect(when).toBe("mardi 24 novembre 2026, 09:00 – 10:30");
  });

  it("writes a timed event in English with a 12-hour clock", () => {
    const when = formatEventWhen(
      { start: "2026-11-24T08:00:00Z", end: "2026-11-24T09:30:00Z", allDay: false },
      { timeZone: "Europe/Paris", locale: "en", allDayLabel: "All day" },
    );

    expect(when).toBe("Tuesday, November 24, 2026, 9:00 AM – 10:30 AM");
  });

  it("writes both dates of an event that crosses midnight", () => {
    const when = formatEventWhen(
      { start: "2026-11-24T22:00:00+01:00", end: "2026-11-25T01:00:00+01:00", allDay: false },
      { timeZone: "Europe/Paris", locale: "fr", allDayLabel: "Toute la journée" },
    );

    expect(when).toBe("mardi 24 novembre 2026, 22:00 – mercredi 25 novembre 2026, 01:00");
  });

  it("reads an all-day event's dates in its own zone and shows its last day, not the exclusive end", () => {
    const when = formatEventWhen(
      {
        start: "2026-11-24T00:00:00+01:00",
        end: "2026-11-26T00:00:00+01:00",
        allDay: true,
        timeZone: "Europe/Paris",
      },
      { timeZone: "America/New_York", locale: "fr", allDayLabel: "Toute la journée" },
    );

    expect(when).toBe("mardi 24 novembre 2026 – mercredi 25 novembre 2026, toute la journée");
  });
});

describe("formatEventTimes", () => {
  it("shows times in the agenda's zone", () => {
    const event = { start: "2026-11-24T08:00:00Z", end: "2026-11-24T09:00:00Z", allDay: false };

    expect(formatEventTimes(event, "Europe/Paris", "fr")).toBe("09:00 – 10:00");
    expect(formatEventTimes(event, "America/New_York", "en")).toBe("3:00 AM – 4:00 AM");
  });
});
