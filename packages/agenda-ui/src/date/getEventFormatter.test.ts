import { describe, expect, it } from "vitest";
import { makeEvent } from "../_internal/makeEvent";
import { formatEventTimes, formatEventWhen } from "./formatEventWhen";
import { getEventFormatter } from "./getEventFormatter";

describe("getEventFormatter", () => {
  it("writes what formatEventWhen and formatEventTimes write, in French and English", () => {
    const events = [
      makeEvent({
        id: "event-1",
        title: "Revue",
        start: "2026-11-24T09:00:00+01:00",
        end: "2026-11-24T10:30:00+01:00",
      }),
      makeEvent({
        id: "event-1",
        title: "Revue",
        start: "2026-11-24T22:00:00+01:00",
        end: "2026-11-25T01:00:00+01:00",
      }),
      makeEvent({
        id: "event-1",
        title: "Revue",
        start: "2026-03-29T01:30:00+01:00",
        end: "2026-03-29T03:30:00+02:00",
      }),
    ];
    for (const locale of ["fr", "en"] as const) {
      const formatter = getEventFormatter("Europe/Paris", locale, "Toute la journée");
      for (const event of events) {
        const texts = formatter.describe(event);
        expect(texts.when).toBe(
          formatEventWhen(event, { timeZone: "Europe/Paris", locale, allDayLabel: "Toute la journée" }),
        );
        expect(texts.times).toBe(formatEventTimes(event, "Europe/Paris", locale));
      }
    }
  });

  it("tells events within one day from those across midnight", () => {
    const formatter = getEventFormatter("Europe/Paris", "fr", "Toute la journée");
    const sameDay = makeEvent({
      id: "event-1",
      title: "Revue",
      start: "2026-11-24T09:00:00+01:00",
      end: "2026-11-24T10:00:00+01:00",
    });
    const overnight = makeEvent({
      id: "event-1",
      title: "Revue",
      start: "2026-11-24T23:00:00+01:00",
      end: "2026-11-25T01:00:00+01:00",
    });
    expect(formatter.describe(sameDay).startsAndEndsSameDay).toBe(true);
    expect(formatter.describe(overnight).startsAndEndsSameDay).toBe(false);
    expect(formatter.describe(overnight).startDate).toBe("mardi 24 novembre 2026");
  });

  it("writes an event's texts once per event object", () => {
    const formatter = getEventFormatter("Europe/Paris", "fr", "Toute la journée");
    const event = makeEvent({
      id: "event-1",
      title: "Revue",
      start: "2026-11-24T09:00:00+01:00",
      end: "2026-11-24T10:00:00+01:00",
    });
    expect(formatter.describe(event)).toBe(formatter.describe(event));
  });
});
