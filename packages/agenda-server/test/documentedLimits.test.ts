import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followEventStream } from "./followEventStream";
import { followSummaryStream } from "./followSummaryStream";
import { startTestAgenda } from "./startTestAgenda";

// Limits and headers the README states in numbers, checked with the default options.
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

const day = 86_400_000;

/** A range starting tomorrow at midnight UTC, `days` long, as a query string. */
function range(days: number) {
  const from = new Date(Date.now() + day);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + days * day);
  return `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
}

describe("ranges", () => {
  it("GET /events spans at most 400 days per request", async () => {
    expect((await agenda.call("alice", "GET", `/events?${range(400)}`)).status).toBe(200);
    const refused = await agenda.call("alice", "GET", `/events?${range(401)}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ path: "to", message: "the range may span at most 400 days" }),
    ]);
  });

  it("GET /availability gives free slots over at most 62 days", async () => {
    expect((await agenda.call("alice", "GET", `/availability?${range(62)}&duration=30`)).status).toBe(200);
    const refused = await agenda.call("alice", "GET", `/availability?${range(63)}&duration=30`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain("at most 62 days");
  });

  it("a public booking link's slots span at most 62 days", async () => {
    const type = await agenda.call("alice", "POST", "/booking-types", {
      title: "Appel",
      durationMinutes: 30,
    });
    expect(type.status).toBe(201);
    const slots = `/public/booking/${type.body.linkToken}/slots`;
    expect((await agenda.call(null, "GET", `${slots}?${range(62)}`)).status).toBe(200);
    const refused = await agenda.call(null, "GET", `${slots}?${range(63)}`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain("at most 62 days");
  });
});

describe("the live stream", () => {
  it("allows 10 streams per user by default; one more is a 429 saying what to do", async () => {
    const open = [];
    for (let stream = 0; stream < 10; stream++) open.push(await followEventStream(agenda.baseUrl, "carol"));
    const refused = await agenda.call("carol", "GET", "/events/stream");
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/10 live/),
    });
    // Another user is counted apart.
    const bob = await followEventStream(agenda.baseUrl, "bob");
    bob.close();
    for (const stream of open) stream.close();
  });
});

describe("summary streams", () => {
  it("allow 10 per user by default; one more is a 429", async () => {
    const start = new Date(Date.now() - 3600_000);
    const created = await agenda.call("carol", "POST", "/events", {
      title: "Appel enregistré",
      start: start.toISOString(),
      end: new Date(start.getTime() + 1800_000).toISOString(),
      timeZone: "Europe/Paris",
    });
    // A summary being written keeps its stream open.
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'pending' where id = $1`, [
      created.body.id,
    ]);
    const open = Array.from({ length: 10 }, () =>
      followSummaryStream(agenda.baseUrl, created.body.id, "carol"),
    );
    await expect.poll(() => open.every((stream) => stream.events.length >= 1)).toBe(true);
    const refused = await agenda.call("carol", "GET", `/events/${created.body.id}/summary/stream`);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { limit: 10 } });
    // The summary is settled: every stream ends.
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'failed' where id = $1`, [
      created.body.id,
    ]);
    await agenda.pool.query("select pg_notify($1, $2)", [
      `${agenda.schema}_summary_feed`,
      JSON.stringify({ eventId: created.body.id, message: { type: "changed" } }),
    ]);
    await Promise.all(open.map((stream) => stream.reading));
  });
});

describe("the ICS feed", () => {
  it("is private, cached 5 minutes, and asks calendar apps to refresh hourly", async () => {
    const url = (await agenda.call("alice", "POST", "/ics/feed")).body.url as string;
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("cache-control")).toBe("private, max-age=300");
    const text = await feed.text();
    expect(text).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:PT1H\r?$/m);
    expect(text).toMatch(/^X-PUBLISHED-TTL:PT1H\r?$/m);
  });
});

describe("public booking links", () => {
  it("keep only the SHA-256 of a guest's manage token", async () => {
    const type = await agenda.call("alice", "POST", "/booking-types", {
      title: "Rendez-vous",
      durationMinutes: 30,
    });
    const slots = await agenda.call(null, "GET", `/public/booking/${type.body.linkToken}/slots?${range(14)}`);
    const booked = await agenda.call(null, "POST", `/public/booking/${type.body.linkToken}/bookings`, {
      start: slots.body.slots[0].start,
      name: "Marie Dupont",
      email: "marie@dupont.fr",
      answers: {},
    });
    expect(booked.status).toBe(201);
    const token = booked.body.manageToken as string;
    const { rows } = await agenda.pool.query(`select * from "${agenda.schema}".guest_bookings`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].manage_token_hash).toBe(createHash("sha256").update(token).digest("base64url"));
  });

  it("give one address a burst of 30 requests by default, then answer 429 with Retry-After", async () => {
    // A process of its own: the buckets are kept in each agenda, and this one has spent none.
    const fresh = await startTestAgenda();
    try {
      const type = await fresh.call("alice", "POST", "/booking-types", {
        title: "Appel",
        durationMinutes: 30,
      });
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => fresh.call(null, "GET", `/public/booking/${type.body.linkToken}`)),
      );
      const statuses = answers.map((answer) => answer.status);
      // 30 at once (and one more now and then as the bucket refills at 30 a minute), not 40.
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(30);
      const limited = answers.find((answer) => answer.status === 429);
      expect(limited?.body.error.code).toBe("rate_limited");
      expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await fresh.stop();
    }
  });
});
