import { type AvailabilitySettings, defaultAvailabilitySettings } from "@crm-agenda/shared";
import { describe, expect, it } from "vitest";
import { computeFreeSlots, countByLocalDate, refuseBooking } from "./computeFreeSlots";

const paris: AvailabilitySettings = {
  ...defaultAvailabilitySettings,
  timeZone: "Europe/Paris",
  workingHours: {
    ...defaultAvailabilitySettings.workingHours,
    sunday: [{ start: "09:00", end: "11:00" }],
    monday: [{ start: "09:00", end: "11:00" }],
  },
};
const longAgo = new Date("2026-01-01T00:00:00Z");
const at = (iso: string) => Date.parse(iso);
const starts = (slots: { start: number }[]) => slots.map((slot) => new Date(slot.start).toISOString());

describe("computeFreeSlots", () => {
  it("keeps 09:00 Paris time on the day clocks go forward (29 March 2026) and after", () => {
    const slots = computeFreeSlots(
      { settings: paris, busy: [], bookingsPerDay: new Map(), now: longAgo },
      new Date("2026-03-28T00:00:00Z"),
      new Date("2026-03-31T00:00:00Z"),
      60,
    );
    // Sunday 29 March is already summer time (UTC+2); Saturday is a day off.
    expect(starts(slots)).toEqual([
      "2026-03-29T07:00:00.000Z",
      "2026-03-29T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-30T08:00:00.000Z",
    ]);
  });

  it("keeps 09:00 Paris time on the day clocks go back (25 October 2026)", () => {
    const slots = computeFreeSlots(
      { settings: paris, busy: [], bookingsPerDay: new Map(), now: longAgo },
      new Date("2026-10-24T22:00:00Z"),
      new Date("2026-10-26T23:00:00Z"),
      60,
    );
    // Sunday 25 October is winter time (UTC+1) again.
    expect(starts(slots)).toEqual([
      "2026-10-25T08:00:00.000Z",
      "2026-10-25T09:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
      "2026-10-26T09:00:00.000Z",
    ]);
  });

  it("a working day through the night of the change is an hour shorter", () => {
    const night: AvailabilitySettings = {
      ...paris,
      workingHours: {
        ...paris.workingHours,
        saturday: [{ start: "22:00", end: "24:00" }],
        sunday: [{ start: "00:00", end: "04:00" }],
      },
    };
    const slots = computeFreeSlots(
      { settings: night, busy: [], bookingsPerDay: new Map(), now: longAgo },
      new Date("2026-03-28T12:00:00Z"),
      new Date("2026-03-29T12:00:00Z"),
      60,
    );
    // 22:00 to 04:00 local holds five hours, not six: 02:00 does not exist that night.
    expect(slots).toHaveLength(5);
    expect(starts(slots)[0]).toBe("2026-03-28T21:00:00.000Z");
    expect(new Date(slots.at(-1)!.end).toISOString()).toBe("2026-03-29T02:00:00.000Z");
  });

  it("leaves out slots whose buffers touch a busy event", () => {
    const settings = { ...paris, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    // Monday 30 March, 10:30 to 11:00 Paris is busy.
    const busy = [{ start: at("2026-03-30T08:30:00Z"), end: at("2026-03-30T09:00:00Z") }];
    const slots = computeFreeSlots(
      { settings, busy, bookingsPerDay: new Map(), now: longAgo },
      new Date("2026-03-30T00:00:00Z"),
      new Date("2026-03-31T00:00:00Z"),
      30,
    );
    // 09:00 and 09:30 stay; 10:00 ends 15 minutes before the busy event, inside the after-buffer.
    expect(starts(slots)).toEqual(["2026-03-30T07:00:00.000Z", "2026-03-30T07:30:00.000Z"]);
  });

  it("offers nothing sooner than the minimum notice", () => {
    const settings = { ...paris, minimumNoticeMinutes: 90 };
    const slots = computeFreeSlots(
      { settings, busy: [], bookingsPerDay: new Map(), now: new Date("2026-03-30T06:45:00Z") },
      new Date("2026-03-30T00:00:00Z"),
      new Date("2026-03-31T00:00:00Z"),
      30,
    );
    // Now is 08:45 Paris: the first start allowed is 10:15, so 10:30 is the first slot.
    expect(starts(slots)).toEqual(["2026-03-30T08:30:00.000Z"]);
  });

  it("offers nothing on a day whose cap of bookings is reached", () => {
    const settings = { ...paris, dailyCap: 2 };
    const bookingsPerDay = countByLocalDate(
      [new Date("2026-03-29T07:00:00Z"), new Date("2026-03-29T08:00:00Z"), new Date("2026-03-30T07:00:00Z")],
      "Europe/Paris",
    );
    const slots = computeFreeSlots(
      { settings, busy: [], bookingsPerDay, now: longAgo },
      new Date("2026-03-29T00:00:00Z"),
      new Date("2026-03-31T00:00:00Z"),
      60,
    );
    expect(starts(slots)).toEqual(["2026-03-30T07:00:00.000Z", "2026-03-30T08:00:00.000Z"]);
  });
});

describe("refuseBooking", () => {
  const input = {
    settings: { ...paris, dailyCap: 1 },
    busy: [{ start: at("2026-03-30T08:00:00Z"), end: at("2026-03-30T08:30:00Z") }],
    bookingsPerDay: countByLocalDate([new Date("2026-03-29T07:00:00Z")], "Europe/Paris"),
    now: longAgo,
  };

  it("accepts a free time in working hours off the slots' grid", () => {
    expect(refuseBooking(input, new Date("2026-03-30T07:15:00Z"), 30)).toBeNull();
  });

  it("refuses an overlap, a full day, a time outside working hours and a past time, each saying why", () => {
    expect(refuseBooking(input, new Date("2026-03-30T07:45:00Z"), 30)).toMatchObject({
      kind: "taken",
      message: expect.stringMatching(/no longer free/),
    });
    expect(refuseBooking(input, new Date("2026-03-29T08:00:00Z"), 30)).toMatchObject({
      kind: "taken",
      message: expect.stringMatching(/daily cap of 1/),
    });
    expect(refuseBooking(input, new Date("2026-03-30T12:00:00Z"), 30)).toMatchObject({
      kind: "not_offered",
      message: expect.stringMatching(/outside the working hours/),
    });
    expect(
      refuseBooking(
        { ...input, now: new Date("2026-03-31T00:00:00Z") },
        new Date("2026-03-30T07:00:00Z"),
        30,
      ),
    ).toMatchObject({ kind: "not_offered", message: expect.stringMatching(/has passed/) });
  });
});
