import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { lockOwnerBookings } from "../src/db/lockOwnerBookings";
import { people, startTestAgenda } from "./startTestAgenda";

type TestAgenda = Awaited<ReturnType<typeof startTestAgenda>>;
let agenda: TestAgenda | undefined;
afterEach(async () => {
  await agenda?.stop();
  agenda = undefined;
});

const questions = [
  { id: "topic", label: "What is it about?", required: true },
  { id: "company", label: "Your company", required: false },
];

/** A fortnight starting tomorrow: always in the future, always holding working days. */
function fortnight() {
  const from = new Date(Date.now() + 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  return { from: from.toISOString(), to: new Date(from.getTime() + 14 * 86_400_000).toISOString() };
}

async function createLink(test: TestAgenda, body: Record<string, unknown> = {}) {
  const created = await test.call("alice", "POST", "/booking-types", {
    title: "Discovery call",
    durationMinutes: 30,
    questions,
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; linkToken: string };
}

async function slotsOf(test: TestAgenda, path: string) {
  const range = fortnight();
  const answer = await test.call(null, "GET", `${path}/slots?from=${range.from}&to=${range.to}`);
  expect(answer.status).toBe(200);
  return (answer.body as { slots: { start: string; end: string }[] }).slots;
}

async function book(test: TestAgenda, token: string, start: string, email = "marie@dupont.fr") {
  return test.call(null, "POST", `/public/booking/${token}/bookings`, {
    start,
    name: "Marie Dupont",
    email,
    answers: { topic: "A quote for the new shop" },
    timeZone: "America/New_York",
  });
}

describe("booking types of their owner", () => {
  it("gives each an unguessable link, its owner's alone, that can be replaced", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    // 32 random bytes, base64url: 256 bits.
    expect(type.linkToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await agenda.call("alice", "GET", "/booking-types")).body.bookingTypes).toHaveLength(1);
    expect((await agenda.call("bob", "GET", "/booking-types")).body.bookingTypes).toEqual([]);
    expect((await agenda.call("bob", "PATCH", `/booking-types/${type.id}`, { title: "Mine" })).status).toBe(
      404,
    );
    expect((await agenda.call(null, "GET", "/booking-types")).status).toBe(401);

    const renewed = await agenda.call("alice", "POST", `/booking-types/${type.id}/link`);
    expect(renewed.body.linkToken).not.toBe(type.linkToken);
    const old = await agenda.call(null, "GET", `/public/booking/${type.linkToken}`);
    expect(old.status).toBe(404);
    expect(old.body.error.message).toMatch(/booking link does not work/);
    expect((await agenda.call(null, "GET", `/public/booking/${renewed.body.linkToken}`)).status).toBe(200);
  });

  it("refuses a type with two questions of one id, saying which field", async () => {
    agenda = await startTestAgenda();
    const refused = await agenda.call("alice", "POST", "/booking-types", {
      title: "Call",
      durationMinutes: 30,
      questions: [
        { id: "a", label: "One" },
        { id: "a", label: "Two" },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe("questions");
  });
});

describe("a booking link's public routes", () => {
  it("reveal nothing but the type's public fields and free slots", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const info = await agenda.call(null, "GET", `/public/booking/${type.linkToken}`);
    expect(info.body).toEqual({
      title: "Discovery call",
      durationMinutes: 30,
      description: null,
      video: null,
      questions,
    });

    const before = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    expect(before.length).toBeGreaterThan(0);
    const busy = before[0]!;
    const event = await agenda.call("alice", "POST", "/events", {
      title: "Secret negotiation with Martin SARL",
      start: busy.start,
      end: busy.end,
      timeZone: "Europe/Paris",
      location: "Head office",
      attendees: [{ email: "paul@martin.fr" }],
    });
    expect(event.status).toBe(201);

    const range = fortnight();
    const raw = await fetch(
      `${agenda.baseUrl}/public/booking/${type.linkToken}/slots?from=${range.from}&to=${range.to}`,
    );
    const text = await raw.text();
    for (const secret of ["Secret negotiation", "Martin", "paul@martin.fr", "Head office", "alice", "acme"]) {
      expect(text).not.toContain(secret);
    }
    const after = (JSON.parse(text) as { slots: Record<string, string>[] }).slots;
    for (const slot of after) expect(Object.keys(slot).sort()).toEqual(["end", "start"]);
    expect(after.some((slot) => slot.start! < busy.end && slot.end! > busy.start)).toBe(false);
  });

  it("books a slot: the event is in the owner's agenda with the client matched, the guest gets an .ics and a link", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const [slot] = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const booked = await book(agenda, type.linkToken, slot!.start);
    expect(booked.status).toBe(201);
    expect(booked.body.booking).toMatchObject({
      title: "Discovery call",
      start: new Date(slot!.start).toISOString(),
      status: "confirmed",
      email: "marie@dupont.fr",
    });
    expect(booked.body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ics = booked.body.ics as string;
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("SUMMARY:Discovery call");
    // In the zone the guest booked in, with its VTIMEZONE, so their calendar shows the right hour.
    const local = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/New_York",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(slot!.start));
    expect(ics).toMatch(new RegExp(`DTSTART;TZID=America/New_York:\\d{8}T${local.replace(":", "")}00`));
    expect(ics).toContain("BEGIN:VTIMEZONE");
    expect(ics).not.toContain("alice@acme.test");

    const { events } = (await agenda.call("alice", "GET", `/events?from=${slot!.start}&to=${slot!.end}`))
      .body as {
      events: { title: string; attendees: { email: string }[]; clientMatch: { clientId: string } }[];
    };
    expect(events).toHaveLength(1);
    expect(events[0]!.title).toBe("Discovery call — Marie Dupont");
    expect(events[0]!.attendees.map((attendee) => attendee.email)).toEqual(["marie@dupont.fr"]);
    expect(events[0]!.clientMatch.clientId).toBe("dupont");

    const again = await book(agenda, type.linkToken, slot!.start, "paul@martin.fr");
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/no longer free/);
    const slots = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    expect(slots.some((free) => free.start === slot!.start)).toBe(false);
  });

  it("gives one slot to one guest of many booking it at once", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const [slot] = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, guest) =>
        book(agenda!, type.linkToken, slot!.start, `guest${guest}@example.org`),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const { events } = (await agenda.call("alice", "GET", `/events?from=${slot!.start}&to=${slot!.end}`))
      .body;
    expect(events).toHaveLength(1);
  });

  it("never lets a reschedule and new bookings take one slot together", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const [first, , target] = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const booked = await book(agenda, type.linkToken, first!.start);
    const answers = await Promise.all([
      agenda.call(null, "POST", `/public/bookings/${booked.body.manageToken}/reschedule`, {
        start: target!.start,
      }),
      ...Array.from({ length: 6 }, (_, guest) =>
        book(agenda!, type.linkToken, target!.start, `guest${guest}@example.org`),
      ),
    ]);
    expect(answers.filter((answer) => answer.status < 300)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(6);
    const { events } = (await agenda.call("alice", "GET", `/events?from=${target!.start}&to=${target!.end}`))
      .body;
    expect(events).toHaveLength(1);
  });

  it("moves every guest waiting on the owner's lock, even when they hold every pool connection", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const slots = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const guests = 10; // The test agenda's pool size.
    const tokens: string[] = [];
    for (let guest = 0; guest < guests; guest++) {
      const booked = await book(agenda, type.linkToken, slots[guest]!.start, `guest${guest}@example.org`);
      expect(booked.status).toBe(201);
      tokens.push(booked.body.manageToken);
    }
    // The owner's booking lock held from outside the agenda's pool, as another instance would.
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    await holder.query("begin");
    await lockOwnerBookings(holder, [people.alice]);
    const moves = Promise.all(
      tokens.map((token, guest) =>
        agenda!.call(null, "POST", `/public/bookings/${token}/reschedule`, {
          start: slots[guests + guest]!.start,
        }),
      ),
    );
    try {
      // Every connection of the pool taken, the moves holding them queued on the lock, more queued for
      // a connection: a move that asked the pool for a second one would wait for ever.
      await expect
        .poll(async () => {
          const { rows } = await holder.query(
            "select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted",
          );
          return rows[0].waiting > 0 && agenda!.pool.waitingCount > 0;
        })
        .toBe(true);
    } finally {
      await holder.query("commit");
      await holder.end();
    }
    const answers = await moves;
    expect(answers.map((answer) => answer.status)).toEqual(tokens.map(() => 200));
  });

  it("refuses a booking missing a required answer, or not sent as JSON", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const [slot] = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const missing = await agenda.call(null, "POST", `/public/booking/${type.linkToken}/bookings`, {
      start: slot!.start,
      name: "Marie",
      email: "marie@dupont.fr",
      answers: { unknown: "x" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      { path: "answers.unknown", message: "this booking link asks no such question" },
      { path: "answers.topic", message: 'an answer to "What is it about?" is required' },
    ]);
    const form = await agenda.call(
      null,
      "POST",
      `/public/booking/${type.linkToken}/bookings`,
      `start=${slot!.start}&name=M&email=m@d.fr`,
      { "content-type": "application/x-www-form-urlencoded" },
    );
    expect(form.status).toBe(403);
    // A page on another site may book: the owner publishes the link anywhere.
    const crossSite = await agenda.call(
      null,
      "POST",
      `/public/booking/${type.linkToken}/bookings`,
      { start: slot!.start, name: "Marie", email: "marie@dupont.fr", answers: { topic: "Quote" } },
      { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(201);
  });

  it("lets the guest reschedule and cancel through their signed link, and refuses a tampered one", async () => {
    agenda = await startTestAgenda();
    const type = await createLink(agenda);
    const [first, , second] = await slotsOf(agenda, `/public/booking/${type.linkToken}`);
    const booked = await book(agenda, type.linkToken, first!.start);
    const token = booked.body.manageToken as string;
    const manage = `/public/bookings/${token}`;

    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const [method, path] of [
      ["GET", `/public/bookings/${tampered}`],
      ["POST", `/public/bookings/${tampered}/cancel`],
      ["POST", `/public/bookings/${tampered}/reschedule`],
    ] as const) {
      const refused = await agenda.call(
        null,
        method,
        path,
        method === "POST" ? { start: second!.start } : undefined,
      );
      expect(refused.status, `${method} ${path}`).toBe(404);
      expect(refused.body.error.code).toBe("not_found");
    }

    expect((await agenda.call(null, "GET", manage)).body.booking.status).toBe("confirmed");
    const moved = await agenda.call(null, "POST", `${manage}/reschedule`, { start: second!.start });
    expect(moved.status).toBe(200);
    expect(moved.body.booking.start).toBe(new Date(second!.start).toISOString());
    // The same UID, a higher SEQUENCE or not, replaces the entry in the guest's calendar.
    const uid = (ics: string) => /UID:(.+)/.exec(ics)?.[1];
    expect(uid(moved.body.ics)).toBe(uid(booked.body.ics));
    const range = fortnight();
    const listed = (await agenda.call("alice", "GET", `/events?from=${range.from}&to=${range.to}`)).body
      .events as {
      start: string;
    }[];
    expect(listed.map((event) => event.start)).toEqual([new Date(second!.start).toISOString()]);

    const cancelled = await agenda.call(null, "POST", `${manage}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.booking.status).toBe("cancelled");
    expect(cancelled.body.ics).toContain("STATUS:CANCELLED");
    expect(
      (await agenda.call("alice", "GET", `/events?from=${range.from}&to=${range.to}`)).body.events,
    ).toEqual([]);
    expect((await agenda.call(null, "POST", `${manage}/cancel`)).status).toBe(200);
    const late = await agenda.call(null, "POST", `${manage}/reschedule`, { start: second!.start });
    expect(late.status).toBe(409);
  });
});

describe("the public routes' rate limits", () => {
  it("answer 429 with Retry-After once an address has spent its burst", async () => {
    agenda = await startTestAgenda({ bookingPages: { rateLimit: { perIp: { burst: 3, perMinute: 1 } } } });
    const type = await createLink(agenda);
    for (let request = 0; request < 3; request++) {
      expect((await agenda.call(null, "GET", `/public/booking/${type.linkToken}`)).status).toBe(200);
    }
    const limited = await agenda.call(null, "GET", `/public/booking/${type.linkToken}`);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The owner's own routes are not limited.
    expect((await agenda.call("alice", "GET", "/booking-types")).status).toBe(200);
  });

  it("limit each link on its own", async () => {
    agenda = await startTestAgenda({ bookingPages: { rateLimit: { perLink: { burst: 2, perMinute: 1 } } } });
    const first = await createLink(agenda);
    const second = await createLink(agenda, { title: "Follow-up" });
    expect((await agenda.call(null, "GET", `/public/booking/${first.linkToken}`)).status).toBe(200);
    expect((await agenda.call(null, "GET", `/public/booking/${first.linkToken}`)).status).toBe(200);
    expect((await agenda.call(null, "GET", `/public/booking/${first.linkToken}`)).status).toBe(429);
    expect((await agenda.call(null, "GET", `/public/booking/${second.linkToken}`)).status).toBe(200);
  });
});
