import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

// The README's promise: "The feed holds the user's events from 60 days back to a year ahead (at most
// 5,000)". A heavy agenda still gets a feed, cut at 5,000 events, occurrences of series included.
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

const day = 86_400_000;

/** `count` one-hour events of alice's spread over the feed's window, written in one statement. */
async function seedEvents(count: number) {
  const first = Date.now() - 59 * day;
  const step = Math.floor((420 * day) / count);
  const starts = Array.from({ length: count }, (_, index) => new Date(first + index * step));
  await agenda.pool.query(
    `insert into "${agenda.schema}".events (tenant_id, user_id, title, start_at, end_at, time_zone)
     select 'acme', 'alice', 'Seeded', t.start_at, t.start_at + interval '1 hour', 'Europe/Paris'
       from unnest($1::timestamptz[]) as t(start_at)`,
    [starts],
  );
}

describe("the ICS feed's cap", () => {
  it("holds at most 5,000 events, the occurrences of a series counted", async () => {
    await seedEvents(5_000);
    const tomorrow = new Date(Date.now() + day);
    tomorrow.setUTCHours(7, 0, 0, 0);
    const series = await agenda.call("alice", "POST", "/events", {
      title: "Quotidien",
      start: tomorrow.toISOString(),
      end: new Date(tomorrow.getTime() + 1_800_000).toISOString(),
      timeZone: "Europe/Paris",
      recurrence: "FREQ=DAILY;COUNT=10",
    });
    expect(series.status).toBe(201);
    const { rows } = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".events where user_id = 'alice'`,
    );
    expect(rows[0].count).toBe(5_001);

    const url = (await agenda.call("alice", "POST", "/ics/feed")).body.url as string;
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    const text = await feed.text();
    // 5,010 events in the window (5,000 rows and 10 occurrences): the feed holds 5,000, and reads whole.
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");
    expect(events).toHaveLength(5_000);
    // The earliest are kept: all ten occurrences (from tomorrow), and the far future is what is cut.
    expect(events.filter((event) => event.getFirstPropertyValue("summary") === "Quotidien")).toHaveLength(10);
    const starts = events.map((event) => (event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate());
    const { rows: latest } = await agenda.pool.query(
      `select max(start_at) as at from "${agenda.schema}".events where user_id = 'alice' and title = 'Seeded'`,
    );
    expect(Math.max(...starts.map((start) => start.getTime()))).toBeLessThan(latest[0].at.getTime());
  });
});
