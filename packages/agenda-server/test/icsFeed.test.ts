import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

const inDays = (days: number, hour = 9) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
};

async function createEvent(person: "alice" | "carol" | "bob", title: string, days: number) {
  const created = await agenda.call(person, "POST", "/events", {
    title,
    start: inDays(days),
    end: inDays(days, 10),
    timeZone: "Europe/Paris",
  });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

function summaries(text: string): string[] {
  return new ICAL.Component(ICAL.parse(text))
    .getAllSubcomponents("vevent")
    .map((event) => String(event.getFirstPropertyValue("summary")));
}

describe("ICS feed", () => {
  it("serves the owner's events, and only theirs, behind a secret URL until it is revoked", async () => {
    await createEvent("alice", "Alice, demain", 1);
    await createEvent("alice", "Alice, dans deux ans", 800);
    await createEvent("carol", "Carol, même tenant", 1);
    await createEvent("bob", "Bob, autre tenant", 1);

    expect((await agenda.call("alice", "GET", "/ics/feed")).body).toEqual({ active: false, createdAt: null });
    const made = await agenda.call("alice", "POST", "/ics/feed");
    expect(made.status).toBe(201);
    const url = made.body.url as string;
    expect(url).toMatch(new RegExp(`^${agenda.baseUrl}/ics/[A-Za-z0-9_-]{43}$`));
    expect((await agenda.call("alice", "GET", "/ics/feed")).body).toMatchObject({ active: true });

    // A calendar app has no session: the URL alone opens the feed.
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(feed.headers.get("cache-control")).toContain("private");
    const text = await feed.text();
    expect(summaries(text)).toEqual(["Alice, demain"]);

    // The same content answers 304 to a subscriber that has it.
    const again = await fetch(url, { headers: { "if-none-match": feed.headers.get("etag")! } });
    expect(again.status).toBe(304);

    expect((await agenda.call("alice", "DELETE", "/ics/feed")).status).toBe(204);
    const revoked = await fetch(url);
    expect(revoked.status).toBe(404);
    const unknown = await fetch(`${agenda.baseUrl}/ics/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
    // Revoked and unknown read the same: a guesser cannot tell a once-valid token.
    expect(await revoked.json()).toEqual(await unknown.json());
    expect((await fetch(`${agenda.baseUrl}/ics/short`)).status).toBe(404);
  });

  it("lists a series as its occurrences in the feed's window, without the ones deleted", async () => {
    // Weekly from 70 days ago, 20 times: the feed (60 days back) holds the last 18.
    const series = await agenda.call("bob", "POST", "/events", {
      title: "Bob hebdo",
      start: inDays(-70),
      end: inDays(-70, 10),
      timeZone: "Europe/Paris",
      recurrence: "FREQ=WEEKLY;COUNT=20",
    });
    expect(series.status).toBe(201);
    const listed = await agenda.call("bob", "GET", `/events?from=${inDays(6, 0)}&to=${inDays(13, 0)}`);
    const nextOne = (listed.body.events as { id: string; title: string }[]).find(
      (event) => event.title === "Bob hebdo",
    );
    expect(nextOne).toBeDefined();
    expect((await agenda.call("bob", "DELETE", `/events/${nextOne!.id}?scope=this`)).status).toBe(204);

    const url = (await agenda.call("bob", "POST", "/ics/feed")).body.url as string;
    const titles = summaries(await (await fetch(url)).text());
    expect(titles.filter((title) => title === "Bob hebdo")).toHaveLength(17);
  });

  it("makes a new URL that replaces the previous one", async () => {
    const first = (await agenda.call("carol", "POST", "/ics/feed")).body.url as string;
    const second = (await agenda.call("carol", "POST", "/ics/feed")).body.url as string;
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    const feed = await fetch(second);
    expect(feed.status).toBe(200);
    expect(summaries(await feed.text())).toEqual(["Carol, même tenant"]);
  });

  it("keeps the token out of the database: only its hash is stored", async () => {
    const url = (await agenda.call("bob", "POST", "/ics/feed")).body.url as string;
    const token = url.slice(url.lastIndexOf("/") + 1);
    const { rows } = await agenda.pool.query(`select token_hash from "${agenda.schema}".ics_feeds`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.token_hash)).not.toContain(token);
  });

  it("refuses a feed asked for over and over", async () => {
    const url = (await agenda.call("alice", "POST", "/ics/feed")).body.url as string;
    const statuses: number[] = [];
    for (let request = 0; request < 22; request++) statuses.push((await fetch(url)).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await fetch(url);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });

  it("needs a session to make or revoke a feed", async () => {
    expect((await agenda.call(null, "POST", "/ics/feed")).status).toBe(401);
    expect((await agenda.call(null, "DELETE", "/ics/feed")).status).toBe(401);
  });
});

describe("one event as .ics", () => {
  it("downloads the signed-in user's event as an attachment, and not another user's", async () => {
    const event = await createEvent("alice", "Revue: budget/2027", 3);
    const response = await fetch(`${agenda.baseUrl}/events/${event.id}/ics`, {
      headers: { "x-test-user": "alice" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Revue budget 2027.ics"; filename*=UTF-8''Revue%20budget%202027.ics`,
    );
    const text = await response.text();
    expect(summaries(text)).toEqual(["Revue: budget/2027"]);
    expect(text).toContain(`UID:${event.id}@crm-agenda`);

    const other = await fetch(`${agenda.baseUrl}/events/${event.id}/ics`, {
      headers: { "x-test-user": "carol" },
    });
    expect(other.status).toBe(404);
    const anonymous = await fetch(`${agenda.baseUrl}/events/${event.id}/ics`);
    expect(anonymous.status).toBe(401);
  });
});
