import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { type ICalendarEvent, toICalendar } from "./toICalendar";

const base = {
  description: null,
  location: null,
  conference: null,
  allDay: false,
  createdAt: "2026-01-05T10:00:00.000Z",
  updatedAt: "2026-01-05T10:00:00.000Z",
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar;
}

function vevent(text: string, uid: string) {
  const found = parse(text)
    .getAllSubcomponents("vevent")
    .find((component) => component.getFirstPropertyValue("uid") === uid);
  if (!found) throw new Error(`no VEVENT ${uid}`);
  return new ICAL.Event(found);
}

describe("toICalendar", () => {
  it("keeps a timed event in its own zone, with a VTIMEZONE that puts it at the right instant", () => {
    const event: ICalendarEvent = {
      ...base,
      id: "8d0c5ed8-6a3e-4a5d-9a52-6f2d2f7a0a01",
      title: "Point client",
      // The Sunday of the March change in Paris: 09:30 local is 07:30Z (UTC+2 since 03:00).
      start: "2026-03-29T07:30:00.000Z",
      end: "2026-03-29T08:30:00.000Z",
      timeZone: "Europe/Paris",
    };
    const text = toICalendar([event]);
    expect(text).toContain("DTSTART;TZID=Europe/Paris:20260329T093000");
    const parsed = vevent(text, `${event.id}@crm-agenda`);
    expect(parsed.startDate.zone?.tzid).toBe("Europe/Paris");
    expect(parsed.startDate.toJSDate().toISOString()).toBe(event.start);
    expect(parsed.endDate.toJSDate().toISOString()).toBe(event.end);
  });

  it("gives each zone its VTIMEZONE with the offset changes of the years covered", () => {
    const text = toICalendar([
      {
        ...base,
        id: "e1",
        title: "New York, autumn",
        // 1 November 2026, 10:00 in New York, after the change back to UTC-5 at 02:00.
        start: "2026-11-01T15:00:00.000Z",
        end: "2026-11-01T16:00:00.000Z",
        timeZone: "America/New_York",
      },
      {
        ...base,
        id: "e2",
        title: "Tokyo",
        start: "2026-06-01T01:00:00.000Z",
        end: "2026-06-01T02:00:00.000Z",
        timeZone: "Asia/Tokyo",
      },
    ]);
    const zones = parse(text).getAllSubcomponents("vtimezone");
    expect(zones.map((zone) => zone.getFirstPropertyValue("tzid")).sort()).toEqual([
      "America/New_York",
      "Asia/Tokyo",
    ]);
    expect(text).toContain("DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500");
    expect(vevent(text, "e1@crm-agenda").startDate.toJSDate().toISOString()).toBe("2026-11-01T15:00:00.000Z");
    expect(vevent(text, "e2@crm-agenda").startDate.toJSDate().toISOString()).toBe("2026-06-01T01:00:00.000Z");
  });

  it("writes all-day events as DATE values in the event's zone, the end exclusive", () => {
    const text = toICalendar([
      {
        ...base,
        id: "allday",
        title: "Salon",
        allDay: true,
        // Local midnights in Paris: 29 and 30 November.
        start: "2026-11-28T23:00:00.000Z",
        end: "2026-11-30T23:00:00.000Z",
        timeZone: "Europe/Paris",
      },
    ]);
    expect(text).toContain("DTSTART;VALUE=DATE:20261129");
    expect(text).toContain("DTEND;VALUE=DATE:20261201");
    const parsed = vevent(text, "allday@crm-agenda");
    expect(parsed.startDate.isDate).toBe(true);
    expect(parsed.startDate.toString()).toBe("2026-11-29");
    expect(parsed.endDate.toString()).toBe("2026-12-01");
  });

  it("escapes text so commas, semicolons, backslashes and line breaks come back as written", () => {
    const title = "Dupont, Durand; revue \\ budget";
    const description = "Ordre du jour :\n1. chiffres, marges; suite\n2. décisions";
    const text = toICalendar([
      {
        ...base,
        id: "t",
        title,
        description,
        location: "Salle 3, étage 2",
        start: "2026-02-02T09:00:00.000Z",
        end: "2026-02-02T10:00:00.000Z",
        timeZone: "UTC",
      },
    ]);
    const parsed = vevent(text, "t@crm-agenda");
    expect(parsed.summary).toBe(title);
    expect(parsed.description).toBe(description);
    expect(parsed.location).toBe("Salle 3, étage 2");
    // UTC needs no VTIMEZONE: the times are written with Z.
    expect(text).toContain("DTSTART:20260202T090000Z");
    expect(text).not.toContain("BEGIN:VTIMEZONE");
  });

  it("marks cancelled events and raises SEQUENCE with each change, DTSTAMP in UTC", () => {
    const first = {
      ...base,
      id: "s",
      title: "Revue",
      start: "2026-02-02T09:00:00.000Z",
      end: "2026-02-02T10:00:00.000Z",
      timeZone: "Europe/Paris",
    };
    const changed = { ...first, updatedAt: "2026-01-06T08:00:00.000Z", cancelled: true };
    const before = vevent(toICalendar([first]), "s@crm-agenda");
    const after = vevent(toICalendar([changed]), "s@crm-agenda");
    expect(before.component.getFirstPropertyValue("status")).toBeNull();
    expect(after.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(toICalendar([changed])).toContain("DTSTAMP:20260106T080000Z");
    // The same events give the same text: feeds can derive their ETag from it.
    expect(toICalendar([changed])).toBe(toICalendar([changed]));
  });

  it("puts a call's join link where calendar apps show it", () => {
    const text = toICalendar([
      {
        ...base,
        id: "call",
        title: "Appel",
        conference: { provider: "zoom", joinUrl: "https://zoom.us/j/123" },
        start: "2026-02-02T09:00:00.000Z",
        end: "2026-02-02T10:00:00.000Z",
        timeZone: "Europe/Paris",
      },
    ]);
    const parsed = vevent(text, "call@crm-agenda");
    expect(parsed.location).toBe("https://zoom.us/j/123");
    expect(parsed.component.getFirstPropertyValue("url")).toBe("https://zoom.us/j/123");
  });

  it("writes an event whose zone the runtime does not know in UTC rather than failing the calendar", () => {
    const text = toICalendar([
      {
        ...base,
        id: "odd",
        title: "Ancien",
        start: "2026-02-02T09:00:00.000Z",
        end: "2026-02-02T10:00:00.000Z",
        timeZone: "Mars/Olympus_Mons",
      },
    ]);
    expect(text).toContain("DTSTART:20260202T090000Z");
  });
});
