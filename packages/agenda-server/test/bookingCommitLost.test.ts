import { createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import type { PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let zoomServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

/**
 * What happens to the next COMMIT: it really commits, or really rolls back, and either way the
 * connection then drops before its answer reaches the agenda.
 */
let nextCommit: "commits" | "rolls back" | null = null;
/** Whether reads through the pool fail too once the commit is lost (the database unreachable a while). */
let readsFailAfterCommit = false;
let poolReadsFail = false;

beforeAll(async () => {
  zoomServer = await zoom.start();
  agenda = await startTestAgenda({
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
  });
  await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
  const allDay = [{ start: "00:00", end: "24:00" }];
  const week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  const saved = await agenda.call("alice", "PUT", "/availability/settings", {
    timeZone: "UTC",
    workingHours: Object.fromEntries(week.map((weekday) => [weekday, allDay])),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    dailyCap: null,
  });
  expect(saved.status).toBe(200);

  const pool = agenda.pool;
  const wrapped = new WeakSet<PoolClient>();
  const wrap = (client: PoolClient) => {
    if (wrapped.has(client)) return client;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (args[0] !== "commit" || !nextCommit) return query(...args);
      const outcome = nextCommit;
      nextCommit = null;
      poolReadsFail = readsFailAfterCommit;
      return query(outcome === "commits" ? "commit" : "rollback").then(() => {
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        throw new Error("Connection terminated unexpectedly");
      });
    };
    return client;
  };
  // pg-pool's own query() asks for a client with a callback; the agenda's transactions with a promise.
  const connect = pool.connect.bind(pool) as (
    callback?: (error: Error | undefined, client: PoolClient, done: () => void) => void,
  ) => Promise<PoolClient> | undefined;
  (pool as { connect: unknown }).connect = (
    callback?: (error: Error | undefined, client: PoolClient, done: () => void) => void,
  ) =>
    callback
      ? connect((error, client, done) => callback(error, client && wrap(client), done))
      : connect()!.then(wrap);
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as { query: unknown }).query = async (...args: unknown[]) => {
    if (poolReadsFail) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    return poolQuery(...args);
  };
});
afterAll(async () => {
  await agenda.stop();
  await zoomServer.stop();
});

const at = (hour: number) => {
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCHours(hour, 0, 0, 0);
  return start.toISOString();
};

async function eventsAt(start: string) {
  const { rows } = await agenda.pool.query(
    `select id, conference from "${agenda.schema}".events where user_id = 'alice' and start_at = $1`,
    [start],
  );
  return rows as { id: string; conference: { meetingId?: string } | null }[];
}

describe("a booking whose COMMIT gets no answer", () => {
  it("answers 201 with the booking when the commit went through, and keeps its Zoom meeting", async () => {
    nextCommit = "commits";
    const start = at(9);
    const response = await agenda.call("alice", "POST", "/bookings", {
      start,
      duration: 30,
      conference: "zoom",
    });
    expect(response.status).toBe(201);
    const saved = await eventsAt(start);
    expect(saved.map(({ id }) => id)).toEqual([response.body.event.id]);
    // The booking carries the link of the meeting made for it.
    const meeting = zoom.meetings.get(response.body.event.conference.meetingId);
    expect(response.body.event.conference).toEqual({
      provider: "zoom",
      joinUrl: meeting!.join_url,
      meetingId: String(meeting!.id),
    });
    // Booking the time again is refused by the booking itself: the caller must not have retried.
    const again = await agenda.call("alice", "POST", "/bookings", { start, duration: 30 });
    expect(again.status).toBe(409);
  });

  it("fails, and deletes its Zoom meeting, when the commit did not go through", async () => {
    nextCommit = "rolls back";
    const before = zoom.meetings.list().length;
    const start = at(11);
    const response = await agenda.call("alice", "POST", "/bookings", {
      start,
      duration: 30,
      conference: "zoom",
      title: "Perdu",
    });
    expect(response.status).toBe(500);
    expect(await eventsAt(start)).toEqual([]);
    expect(zoom.meetings.list()).toHaveLength(before);
    expect(zoom.meetings.list().some((meeting) => meeting.topic === "Perdu")).toBe(false);
  });

  it("says the outcome is unknown, and keeps the Zoom meeting, when the database cannot be asked", async () => {
    nextCommit = "commits";
    readsFailAfterCommit = true;
    const start = at(14);
    let response: Awaited<ReturnType<typeof agenda.call>>;
    try {
      response = await agenda.call("alice", "POST", "/bookings", {
        start,
        duration: 30,
        conference: "zoom",
        title: "Incertain",
      });
    } finally {
      readsFailAfterCommit = false;
      poolReadsFail = false;
    }
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("unavailable");
    expect(response.body.error.message).toMatch(/whether it was saved is not known yet; look at the agenda/);
    // It was saved, with the meeting it was made with.
    const [saved] = await eventsAt(start);
    expect(zoom.meetings.get(saved!.conference!.meetingId!)).toMatchObject({ topic: "Incertain" });
  });
});

describe("two Zoom bookings of one slot at once", () => {
  it("books one, refuses the other with 409, and deletes the meeting made for the refused one", async () => {
    const start = at(16);
    const before = zoom.meetings.list().length;
    // The stand-in's own list: each meeting made is seen, even one deleted again at once.
    const made: string[] = [];
    const existing = zoom.meetings.list() as unknown as { topic: string }[];
    existing.push = (...meetings: { topic: string }[]) => {
      made.push(...meetings.map((meeting) => meeting.topic));
      return Array.prototype.push.apply(existing, meetings);
    };
    // Both pass the free-slot check before either is written, so each makes its meeting first.
    const answers = await Promise.all(
      ["Premier", "Second"].map((title) =>
        agenda.call("alice", "POST", "/bookings", { start, duration: 30, conference: "zoom", title }),
      ),
    ).finally(() => {
      delete (existing as { push?: unknown }).push;
    });
    expect(made.sort()).toEqual(["Premier", "Second"]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const booked = answers.find((answer) => answer.status === 201)!;
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.body.error.code).toBe("slot_taken");
    expect(refused.body.error.message).toMatch(/no longer free|already/);

    expect((await eventsAt(start)).map(({ id }) => id)).toEqual([booked.body.event.id]);
    await expect.poll(() => zoom.meetings.list().length).toBe(before + 1);
    expect(zoom.meetings.get(booked.body.event.conference.meetingId)).toMatchObject({
      topic: booked.body.event.title,
    });
  });
});
