import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createReminderLinks } from "../src/reminders/reminderLinks";
import { type Person, startTestAgenda } from "./startTestAgenda";

// Every public route reached by a secret (the ICS feed, booking and guests' links, reminder links)
// shares one budget of failed lookups per client address: 20 at once, then 20 a minute. The host
// trusts its proxy here, so each test speaks from addresses of its own through X-Forwarded-For.
const key = { id: "k1", key: randomBytes(32).toString("base64") };
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({
    encryptionKeys: [key],
    polling: false,
    calendarSync: false,
    beforeRouter: (app) => app.set("trust proxy", true),
    // The booking pages' own limit per address (30 requests at once) is set aside: what these tests
    // see is the budget of failed lookups.
    bookingPages: { rateLimit: { perIp: { burst: 1_000, perMinute: 1_000 } } },
  });
});
afterAll(async () => {
  await agenda.stop();
});

const unknownToken = () => randomBytes(32).toString("base64url");
const from = (address: string, headers: Record<string, string> = {}) => ({
  headers: { "x-forwarded-for": address, ...headers },
});

async function feedUrlOf(person: Person): Promise<string> {
  const created = await agenda.call(person, "POST", "/ics/feed");
  expect(created.status).toBe(201);
  return created.body.url as string;
}

async function statusesOf(urls: string[], address: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const url of urls) statuses.push((await fetch(url, from(address))).status);
  return statuses;
}

const unknownFeeds = (count: number) =>
  Array.from({ length: count }, () => `${agenda.baseUrl}/ics/${unknownToken()}`);

async function bookingLink(): Promise<string> {
  const created = await agenda.call("alice", "POST", "/booking-types", {
    title: "Appel",
    durationMinutes: 30,
  });
  expect(created.status).toBe(201);
  return `${agenda.baseUrl}/public/booking/${created.body.linkToken}`;
}

/**
 * Watches the agenda's pool from now on; `lookups()` are the statements that read a feed, booking
 * link or guest's link (the queue's own statements on that pool are left out).
 */
function watchLookups() {
  const query = vi.spyOn(agenda.pool, "query");
  return {
    lookups: () =>
      query.mock.calls
        .map(([statement]) =>
          typeof statement === "string" ? statement : (statement as { text: string }).text,
        )
        .filter((text) => /"(ics_feeds|booking_types|guest_bookings)"/.test(text)),
    stop: () => query.mockRestore(),
  };
}

describe("the ICS feed", () => {
  it("answers a scan of unknown tokens 404 twenty times, then 429 with Retry-After, in the shared error shape", async () => {
    const scanner = "203.0.113.1";
    expect(await statusesOf(unknownFeeds(20), scanner)).toEqual(Array(20).fill(404));
    const limited = await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(scanner));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({
      error: {
        code: "rate_limited",
        message: expect.stringMatching(
          /^too many requests with links that do not work from your address; try again in \d+ seconds?$/,
        ),
        details: { retryAfterSeconds: expect.any(Number) },
      },
    });
    // A right guess amid a scan is answered as a wrong one, or 429 would tell the scan "wrong".
    expect((await fetch(await feedUrlOf("alice"), from(scanner))).status).toBe(429);
  });

  it("keeps answering valid feeds and misses of other addresses while one address is refused", async () => {
    const scanner = "203.0.113.2";
    await statusesOf(unknownFeeds(21), scanner);
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(scanner))).status).toBe(429);

    const calendarApp = "198.51.100.2";
    const feed = await fetch(await feedUrlOf("carol"), from(calendarApp));
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(calendarApp))).status).toBe(404);
  });

  it("never counts valid fetches: an address polling feeds far past the budget is answered, its budget whole", async () => {
    const calendarApp = "198.51.100.3";
    const feeds = await Promise.all((["alice", "carol", "bob"] as const).map(feedUrlOf));
    // 45 valid fetches from one address, 15 per feed (each feed's own limit is 20 at once).
    const polls = feeds.flatMap((url) => Array<string>(15).fill(url));
    expect(await statusesOf(polls, calendarApp)).toEqual(Array(45).fill(200));
    // Its own revoked or mistyped feeds still have all twenty tries.
    expect(await statusesOf(unknownFeeds(20), calendarApp)).toEqual(Array(20).fill(404));
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(calendarApp))).status).toBe(429);
  });

  it("counts an IPv6 address by its /64, which one subscriber holds whole", async () => {
    const statuses: number[] = [];
    for (let host = 1; host <= 21; host++) {
      const response = await fetch(
        `${agenda.baseUrl}/ics/${unknownToken()}`,
        from(`2001:db8:7:8::${host.toString(16)}`),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(20).fill(404), 429]);
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from("2001:db8:7:9::1"))).status).toBe(
      404,
    );
  });
});

describe("booking links and guests' booking links", () => {
  it("answer a scan 404 twenty times, then 429, a valid link from that address included", async () => {
    const scanner = "203.0.113.4";
    const valid = await bookingLink();
    const scan = Array.from({ length: 20 }, (_, index) =>
      index % 2
        ? `${agenda.baseUrl}/public/booking/${unknownToken()}`
        : `${agenda.baseUrl}/public/bookings/${unknownToken()}`,
    );
    expect(await statusesOf(scan, scanner)).toEqual(Array(20).fill(404));
    const limited = await fetch(`${agenda.baseUrl}/public/bookings/${unknownToken()}`, from(scanner));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect((await fetch(valid, from(scanner))).status).toBe(429);
    // Another address is not touched.
    expect((await fetch(valid, from("198.51.100.4"))).status).toBe(200);
  });

  it("never count a valid link's views against the address", async () => {
    const visitor = "198.51.100.5";
    const valid = await bookingLink();
    expect(await statusesOf(Array<string>(45).fill(valid), visitor)).toEqual(Array(45).fill(200));
    const scan = Array.from({ length: 20 }, () => `${agenda.baseUrl}/public/booking/${unknownToken()}`);
    expect(await statusesOf(scan, visitor)).toEqual(Array(20).fill(404));
    expect((await fetch(`${agenda.baseUrl}/public/booking/${unknownToken()}`, from(visitor))).status).toBe(
      429,
    );
  });
});

describe("reminder links", () => {
  async function genuineLink(): Promise<string> {
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3 * 3_600_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Revue de contrat",
      start: start.toISOString(),
      end: end.toISOString(),
      timeZone: "Europe/Paris",
    });
    expect(created.status).toBe(201);
    const token = createReminderLinks([key]).sign({
      eventId: created.body.id,
      action: "confirm",
      start,
      expiresAt: end,
    });
    return `${agenda.baseUrl}/reminders/${token}/confirm`;
  }

  /** The link with a signature that is not the agenda's. */
  const forge = (genuine: string) =>
    genuine.replace(/\.[A-Za-z0-9_-]{22}\/confirm$/, `.${randomBytes(16).toString("base64url")}/confirm`);

  it("answer forged links 403 twenty times, then 429 (a page in the browser's language), genuine ones elsewhere still", async () => {
    const scanner = "203.0.113.6";
    const genuine = await genuineLink();
    const forgeries = Array.from({ length: 20 }, () => forge(genuine));
    expect(await statusesOf(forgeries, scanner)).toEqual(Array(20).fill(403));
    const forged = forge(genuine);
    const limited = await fetch(forged, { method: "POST", ...from(scanner) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await limited.json()).error.code).toBe("rate_limited");
    const page = await fetch(forged, from(scanner, { accept: "text/html", "accept-language": "fr" }));
    expect(page.status).toBe(429);
    expect(await page.text()).toContain("Trop de liens invalides");

    expect((await fetch(genuine, from(scanner))).status).toBe(429);
    const client = await fetch(genuine, from("198.51.100.6"));
    expect(client.status).toBe(200);
    expect((await client.json()).title).toBe("Revue de contrat");
  });

  it("never count a genuine link's views against the address", async () => {
    const client = "198.51.100.8";
    const genuine = await genuineLink();
    expect(await statusesOf(Array<string>(30).fill(genuine), client)).toEqual(Array(30).fill(200));
    const forgeries = Array.from({ length: 20 }, () => forge(genuine));
    expect(await statusesOf(forgeries, client)).toEqual(Array(20).fill(403));
    expect((await fetch(forge(genuine), from(client))).status).toBe(429);
  });
});

describe("one budget for every secret link", () => {
  it("is spent by misses spread over the feed, booking links and reminder links", async () => {
    const scanner = "203.0.113.7";
    const forged = (
      await fetch(`${agenda.baseUrl}/reminders/a.c.b.c.k1.${unknownToken()}/confirm`, from(scanner))
    ).status;
    expect(forged).toBe(403);
    expect(await statusesOf(unknownFeeds(10), scanner)).toEqual(Array(10).fill(404));
    const bookings = Array.from({ length: 9 }, () => `${agenda.baseUrl}/public/booking/${unknownToken()}`);
    expect(await statusesOf(bookings, scanner)).toEqual(Array(9).fill(404));
    expect(
      (await fetch(`${agenda.baseUrl}/reminders/a.c.b.c.k1.${unknownToken()}/confirm`, from(scanner))).status,
    ).toBe(429);
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(scanner))).status).toBe(429);
    expect((await fetch(`${agenda.baseUrl}/public/booking/${unknownToken()}`, from(scanner))).status).toBe(
      429,
    );
  });
});

describe("an address that has spent its budget", () => {
  it("is answered 429 with Retry-After before any lookup: no feed, booking or guest's link is read", async () => {
    const scanner = "203.0.113.11";
    const [feed, booking] = [await feedUrlOf("alice"), await bookingLink()];
    expect(await statusesOf(unknownFeeds(20), scanner)).toEqual(Array(20).fill(404));

    const pool = watchLookups();
    try {
      for (const url of [
        `${agenda.baseUrl}/ics/${unknownToken()}`,
        feed,
        `${agenda.baseUrl}/public/booking/${unknownToken()}`,
        booking,
        `${agenda.baseUrl}/public/bookings/${unknownToken()}`,
      ]) {
        const refused = await fetch(url, from(scanner));
        expect(refused.status, url).toBe(429);
        expect(refused.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        expect((await refused.json()).error.code).toBe("rate_limited");
      }
      expect(pool.lookups()).toEqual([]);
      // The watch does see a lookup: the same feed, asked from an address with its budget whole.
      expect((await fetch(feed, from("198.51.100.11"))).status).toBe(200);
      expect(pool.lookups()).toHaveLength(1);
    } finally {
      pool.stop();
    }
  });
});

describe("a token of the wrong shape", () => {
  it("is answered 400 before any lookup, and takes nothing from the address's budget", async () => {
    const visitor = "203.0.113.12";
    const wrongShapes = [
      "/public/booking/abc",
      `/public/booking/${"a".repeat(65)}`,
      `/public/booking/${unknownToken().slice(0, 30)}!`,
      "/public/bookings/abc",
      `/public/bookings/${unknownToken()}%20`,
      "/reminders/not%20a%20token/confirm",
      `/reminders/${"a".repeat(301)}/confirm`,
    ];
    const pool = watchLookups();
    try {
      // Four rounds: 28 requests, more than the whole budget of 20.
      for (let round = 0; round < 4; round++) {
        for (const path of wrongShapes) {
          const refused = await fetch(`${agenda.baseUrl}${path}`, from(visitor));
          expect(refused.status, path).toBe(400);
          const { error } = await refused.json();
          expect(error.code).toBe("validation_failed");
          expect(error.message).toMatch(/^invalid path: token: /);
        }
      }
      expect(pool.lookups()).toEqual([]);
    } finally {
      pool.stop();
    }
    // The budget is whole: twenty misses, then 429.
    expect(await statusesOf(unknownFeeds(20), visitor)).toEqual(Array(20).fill(404));
    expect((await fetch(`${agenda.baseUrl}/ics/${unknownToken()}`, from(visitor))).status).toBe(429);
  });
});

describe("a host whose proxy Express does not trust", () => {
  let untrusted: Awaited<ReturnType<typeof startTestAgenda>> | undefined;
  afterEach(async () => {
    await untrusted?.stop();
  });

  it("is told once, and the budget set in linkGuessLimit applies", async () => {
    untrusted = await startTestAgenda({ linkGuessLimit: { burst: 2, perMinute: 1 } });
    const url = () => `${untrusted!.baseUrl}/ics/${unknownToken()}`;
    const statuses: number[] = [];
    for (const address of ["203.0.113.8", "203.0.113.9", "203.0.113.10"]) {
      statuses.push((await fetch(url(), from(address))).status);
    }
    // Every client is the proxy's address: the three count as one.
    expect(statuses).toEqual([404, 404, 429]);
    const told = untrusted.errors.filter((error) => String(error).includes("trust proxy"));
    expect(told).toHaveLength(1);
    expect(String(told[0])).toContain('set app.set("trust proxy", …) to your proxies');
  });
});
