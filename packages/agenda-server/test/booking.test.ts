import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockOwnerBookings } from "../src/db/lockOwnerBookings";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { people, startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
const poll = { timeout: 15_000, interval: 100 };

/** Working every day from 00:00 to 24:00 UTC, so any test time is bookable unless something takes it. */
const allDayEveryDay = {
  timeZone: "UTC",
  workingHours: Object.fromEntries(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((day) => [
      day,
      [{ start: "00:00", end: "24:00" }],
    ]),
  ),
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  dailyCap: null,
};

/** `offset` days from today at `hour`:00 UTC. */
const day = (offset: number, hour: number) => {
  const at = new Date();
  at.setUTCHours(hour, 0, 0, 0);
  return new Date(at.getTime() + offset * 86_400_000).toISOString();
};

beforeAll(async () => {
  googleServer = await google.start();
  google.calendar.put("acct-alice", {
    id: "busyrevue01",
    summary: "Revue (busy)",
    start: { dateTime: day(3, 10) },
    end: { dateTime: day(3, 11) },
  });
  google.calendar.put("acct-alice", {
    id: "freereminder01",
    summary: "Rappel (free)",
    transparency: "transparent",
    start: { dateTime: day(3, 14) },
    end: { dateTime: day(3, 15) },
  });
  google.calendar.put("acct-alice", {
    id: "declined01",
    summary: "Comité (declined)",
    attendees: [{ email: "alice@acme.test", self: true, responseStatus: "declined" }],
    start: { dateTime: day(3, 12) },
    end: { dateTime: day(3, 13) },
  });
  google.calendar.put("acct-alice", {
    id: "workplace01",
    summary: "Bureau (working location)",
    eventType: "workingLocation",
    start: { dateTime: day(3, 9) },
    end: { dateTime: day(3, 10) },
  });
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    calendarSync: { pollIntervalMinutes: 15 },
    canBookFor: (session, userId) => session.userId === "alice" && userId === "carol",
  });
  for (const person of ["alice", "carol", "bob"] as const) {
    expect((await agenda.call(person, "PUT", "/availability/settings", allDayEveryDay)).status).toBe(200);
  }
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

describe("availability settings", () => {
  it("are the defaults until saved, then what was saved", async () => {
    await agenda.pool.query(`delete from "${agenda.schema}".availability_settings where user_id = 'carol'`);
    const defaults = await agenda.call("carol", "GET", "/availability/settings");
    expect(defaults.body).toMatchObject({ timeZone: "Europe/Paris", workingHours: { saturday: [] } });
    const saved = await agenda.call("carol", "PUT", "/availability/settings", allDayEveryDay);
    expect(saved.body).toEqual(allDayEveryDay);
    expect((await agenda.call("carol", "GET", "/availability/settings")).body).toEqual(allDayEveryDay);
  });

  it("refuse overlapping working intervals, naming the field", async () => {
    const response = await agenda.call("alice", "PUT", "/availability/settings", {
      ...allDayEveryDay,
      workingHours: {
        ...allDayEveryDay.workingHours,
        monday: [
          { start: "09:00", end: "12:00" },
          { start: "11:00", end: "13:00" },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      { path: "workingHours.monday", message: "intervals of one day must not overlap" },
    ]);
  });
});

describe("booking", () => {
  it("gives exactly one of 20 concurrent bookings of one slot, and 19 clear 409s", async () => {
    const booking = { start: day(5, 9), duration: 30, client: { email: "marie@dupont.fr", name: "Marie" } };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => agenda.call("alice", "POST", "/bookings", booking)),
    );
    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const answer of refused) {
      expect(answer.body.error).toMatchObject({
        code: "slot_taken",
        message: expect.stringMatching(/no longer free.*pick another slot/),
      });
    }
    expect(created[0]!.body.event).toMatchObject({
      start: booking.start,
      end: day(5, 9).replace("09:00:00", "09:30:00"),
      title: "Marie",
      source: "crm",
      attendees: [{ email: "marie@dupont.fr", name: "Marie", responseStatus: "needsAction" }],
      clientMatch: { clientId: "dupont", clientName: "Dupont SA", method: "auto" },
    });
    const { rows } = await agenda.pool.query(
      `select count(*)::int as n from "${agenda.schema}".events where user_id = 'alice' and booked`,
    );
    expect(rows[0].n).toBe(1);
    // The slot is gone from the free slots.
    const free = await agenda.call(
      "alice",
      "GET",
      `/availability?from=${encodeURIComponent(day(5, 8))}&to=${encodeURIComponent(day(5, 11))}&duration=30`,
    );
    expect(free.body.slots.map((slot: { start: string }) => slot.start)).toEqual([
      day(5, 8),
      day(5, 8).replace("08:00:00", "08:30:00"),
      day(5, 9).replace("09:00:00", "09:30:00"),
      day(5, 10),
      day(5, 10).replace("10:00:00", "10:30:00"),
    ]);
  });

  it("checks bookings sent together against each other: one owner's buffer and cap hold, another's are apart", async () => {
    await agenda.call("carol", "PUT", "/availability/settings", {
      ...allDayEveryDay,
      bufferAfterMinutes: 30,
      dailyCap: 2,
    });
    const carolTimes = [day(9, 9), day(9, 9).replace("09:00", "09:15"), day(9, 11), day(9, 13), day(9, 15)];
    const bobTimes = [day(9, 9), day(9, 11), day(9, 13)];
    const answers = await Promise.all([
      ...carolTimes.map((start) => agenda.call("carol", "POST", "/bookings", { start, duration: 30 })),
      ...bobTimes.map((start) => agenda.call("bob", "POST", "/bookings", { start, duration: 30 })),
    ]);
    const carols = answers.slice(0, carolTimes.length);
    const bobs = answers.slice(carolTimes.length);
    expect(bobs.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(carols.filter((answer) => answer.status === 201)).toHaveLength(2);
    const refused = carols.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(3);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toMatch(
        /daily cap of 2 is reached|overlaps another event or its buffer/,
      );
    }
    const { rows } = await agenda.pool.query(
      `select start_at from "${agenda.schema}".events where user_id = 'carol' and booked
          and start_at >= $1 and start_at < $2 order by start_at`,
      [day(9, 0), day(10, 0)],
    );
    expect(rows).toHaveLength(2);
    // Whichever two won, they keep the 30 minutes after each free.
    expect(rows[1].start_at.getTime() - rows[0].start_at.getTime()).toBeGreaterThanOrEqual(60 * 60_000);
    await agenda.call("carol", "PUT", "/availability/settings", allDayEveryDay);
  });

  it("refuses a time a synced busy event takes, and offers the time a transparent event, a declined invitation or a working location leaves free", async () => {
    await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
    const titles = async () => {
      const from = encodeURIComponent(day(2, 0));
      const to = encodeURIComponent(day(4, 0));
      const response = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
      return response.body.events.map((event: { title: string }) => event.title).sort();
    };
    await expect
      .poll(titles, poll)
      .toEqual(["Bureau (working location)", "Comité (declined)", "Rappel (free)", "Revue (busy)"]);

    const overlapping = await agenda.call("alice", "POST", "/bookings", { start: day(3, 10), duration: 30 });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe("slot_taken");

    const free = await agenda.call(
      "alice",
      "GET",
      `/availability?from=${encodeURIComponent(day(3, 9))}&to=${encodeURIComponent(day(3, 16))}&duration=60`,
    );
    expect(free.body.slots.map((slot: { start: string }) => slot.start)).toEqual(
      [9, 11, 12, 13, 14, 15].map((hour) => day(3, hour)),
    );
    expect(
      (await agenda.call("alice", "POST", "/bookings", { start: day(3, 14), duration: 60 })).status,
    ).toBe(201);
  });

  it("syncs a booking out to the user's calendar, with a Meet link when asked", async () => {
    // Runs after alice's Google account is connected (the test above).
    const booked = await agenda.call("alice", "POST", "/bookings", {
      start: day(4, 16),
      duration: 45,
      conference: "meet",
      client: { email: "paul@martin.fr" },
    });
    expect(booked.status).toBe(201);
    expect(booked.body.event).toMatchObject({
      conference: { provider: "meet" },
      clientMatch: { clientId: "martin", method: "auto" },
    });
    const id = booked.body.event.id as string;
    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${id}`)).body.conference?.joinUrl, poll)
      .toMatch(/^https:\/\/meet\.google\.com\//);
    const copy = google.calendar
      .list("acct-alice")
      .find((event) => event.extendedProperties?.private?.crmAgendaEventId === id);
    expect(copy?.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
  });

  it("syncs out every booking of a batch", async () => {
    // Alice's booking lock held elsewhere: the first bookings wait on it and the rest gather behind
    // them, to be written together once it is released.
    const holder = await agenda.pool.connect();
    await holder.query("begin");
    await lockOwnerBookings(holder, [people.alice]);
    const starts = [18, 19, 20, 21, 22, 23].map((hour) => day(4, hour));
    const pending = Promise.all(
      starts.map((start) => agenda.call("alice", "POST", "/bookings", { start, duration: 30 })),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query("commit");
    holder.release();
    const answers = await pending;
    expect(answers.map((answer) => answer.status)).toEqual(starts.map(() => 201));
    const ids = answers.map((answer) => answer.body.event.id as string);
    await expect
      .poll(
        () =>
          google.calendar
            .list("acct-alice")
            .map((event) => event.extendedProperties?.private?.crmAgendaEventId)
            .filter((id) => ids.includes(id as string)).length,
        poll,
      )
      .toBe(starts.length);
  });

  it("answers 503 instead of waiting for ever on an owner's lock held elsewhere, and only for that owner", async () => {
    const holder = await agenda.pool.connect();
    await holder.query("begin");
    await lockOwnerBookings(holder, [people.carol]);
    try {
      // Sent together, so they share batches: bob's must not fail with carol's.
      const answers = await Promise.all(
        [9, 10, 11].flatMap((hour) => [
          agenda.call("carol", "POST", "/bookings", { start: day(11, hour), duration: 30 }),
          agenda.call("bob", "POST", "/bookings", { start: day(11, hour), duration: 30 }),
        ]),
      );
      const carols = answers.filter((_, index) => index % 2 === 0);
      const bobs = answers.filter((_, index) => index % 2 === 1);
      for (const stuck of carols) {
        expect(stuck.status).toBe(503);
        expect(stuck.body.error).toMatchObject({
          code: "unavailable",
          message: expect.stringMatching(/busy with another booking.*try again/),
        });
      }
      expect(bobs.map(({ status }) => status)).toEqual([201, 201, 201]);
    } finally {
      await holder.query("commit");
      holder.release();
    }
    expect(
      (await agenda.call("carol", "POST", "/bookings", { start: day(11, 9), duration: 30 })).status,
    ).toBe(201);
  });

  it("counts each occurrence of a recurring series made in the agenda as busy", async () => {
    const series = await agenda.call("alice", "POST", "/events", {
      title: "Point quotidien",
      start: day(10, 9),
      end: day(10, 10),
      timeZone: "UTC",
      recurrence: "RRULE:FREQ=DAILY;COUNT=5",
    });
    expect(series.status).toBe(201);
    const third = await agenda.call("alice", "POST", "/bookings", { start: day(12, 9), duration: 30 });
    expect(third.status).toBe(409);
    const free = await agenda.call(
      "alice",
      "GET",
      `/availability?from=${encodeURIComponent(day(12, 8))}&to=${encodeURIComponent(day(12, 11))}&duration=60`,
    );
    expect(free.body.slots.map((slot: { start: string }) => slot.start)).toEqual([day(12, 8), day(12, 10)]);
  });

  it("books for a colleague only when the host's canBookFor allows, and never across tenants", async () => {
    const forCarol = await agenda.call("alice", "POST", "/bookings", {
      start: day(6, 9),
      duration: 30,
      userId: "carol",
    });
    expect(forCarol.status).toBe(201);
    const carolsDay = await agenda.call(
      "carol",
      "GET",
      `/events?from=${encodeURIComponent(day(6, 0))}&to=${encodeURIComponent(day(7, 0))}`,
    );
    expect(carolsDay.body.events.map((event: { id: string }) => event.id)).toEqual([forCarol.body.event.id]);

    const forAlice = await agenda.call(
      "carol",
      "GET",
      `/availability?from=${encodeURIComponent(day(6, 0))}&to=${encodeURIComponent(day(7, 0))}&duration=30&userId=alice`,
    );
    expect(forAlice.status).toBe(403);
    expect(forAlice.body.error.message).toMatch(/may not see or book the agenda of user alice/);
    // Bob, of another tenant, is never reached, whatever canBookFor answers.
    const forBob = await agenda.call("bob", "POST", "/bookings", {
      start: day(6, 9),
      duration: 30,
      userId: "carol",
    });
    expect(forBob.status).toBe(403);
  });

  it("refuses a time outside working hours or past the daily cap, saying what to do", async () => {
    await agenda.call("carol", "PUT", "/availability/settings", {
      ...allDayEveryDay,
      workingHours: {
        ...allDayEveryDay.workingHours,
        [weekdayOf(day(8, 0))]: [{ start: "09:00", end: "12:00" }],
      },
      dailyCap: 1,
    });
    const outside = await agenda.call("carol", "POST", "/bookings", { start: day(8, 14), duration: 30 });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toMatch(/outside the working hours \(UTC\)/);
    expect((await agenda.call("carol", "POST", "/bookings", { start: day(8, 9), duration: 30 })).status).toBe(
      201,
    );
    const capped = await agenda.call("carol", "POST", "/bookings", { start: day(8, 11), duration: 30 });
    expect(capped.status).toBe(409);
    expect(capped.body.error.message).toMatch(/daily cap of 1 is reached/);
  });
});

function weekdayOf(iso: string): string {
  return ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][
    new Date(iso).getUTCDay()
  ]!;
}
