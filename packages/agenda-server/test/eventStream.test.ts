import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTables } from "../src/db/schema";
import { createEventChangeFeed } from "../src/live/createEventChangeFeed";
import { followEventStream } from "./followEventStream";
import { type Person, startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  agenda = await startTestAgenda({ eventStreams: { maxPerUser: 3 } });
});
afterAll(async () => {
  await agenda.stop();
});

function eventInput(title: string, hour = 9) {
  const start = new Date(Date.UTC(2026, 11, 1, hour));
  return {
    title,
    start: start.toISOString(),
    end: new Date(start.getTime() + 3600_000).toISOString(),
    timeZone: "Europe/Paris",
  };
}

async function createEvent(person: Person, title: string, hour = 9, on = agenda) {
  const created = await on.call(person, "POST", "/events", eventInput(title, hour));
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe("GET /events/stream", () => {
  it("opens with a ready event carrying an id and a retry delay", async () => {
    const stream = await followEventStream(agenda.baseUrl, "alice");
    await expect.poll(() => stream.events.length).toBeGreaterThan(0);
    expect(stream.events[0]).toMatchObject({ event: "ready", data: { type: "ready" } });
    expect(stream.events[0]?.id).toMatch(/^\d+$/);
    expect(stream.retry()).toBe(2000);
    stream.close();
  });

  it("sends a change made through the API to the owner's other sessions, and not to another owner", async () => {
    const alice = await followEventStream(agenda.baseUrl, "alice");
    const bob = await followEventStream(agenda.baseUrl, "bob");
    await expect.poll(() => alice.events.length + bob.events.length).toBe(2);
    const id = await createEvent("alice", "Point client");
    await expect.poll(() => alice.changesOf(id).length).toBe(1);
    expect(alice.changesOf(id)[0]).toMatchObject({
      event: "change",
      data: {
        type: "created",
        eventId: id,
        before: null,
        after: { start: "2026-12-01T09:00:00.000Z", end: "2026-12-01T10:00:00.000Z" },
      },
    });
    expect(Number(alice.changesOf(id)[0]?.id)).toBeGreaterThan(Number(alice.events[0]?.id));

    const moved = await agenda.call("alice", "PATCH", `/events/${id}`, {
      start: "2026-12-02T14:00:00.000Z",
      end: "2026-12-02T15:00:00.000Z",
    });
    expect(moved.status).toBe(200);
    expect((await agenda.call("alice", "DELETE", `/events/${id}`)).status).toBe(204);
    await expect
      .poll(() => alice.changesOf(id).map((event) => event.data.type))
      .toEqual(["created", "updated", "deleted"]);
    expect(alice.changesOf(id)[1]?.data).toMatchObject({
      before: { start: "2026-12-01T09:00:00.000Z" },
      after: { start: "2026-12-02T14:00:00.000Z" },
    });
    expect(alice.changesOf(id)[2]?.data).toMatchObject({
      after: null,
      before: { start: "2026-12-02T14:00:00.000Z" },
    });
    // Bob's own change comes after Alice's on the same channel: once he has it, he would have had hers.
    const bobs = await createEvent("bob", "Revue Globex");
    await expect.poll(() => bob.changesOf(bobs).length).toBe(1);
    expect(bob.changesOf(id)).toEqual([]);
    alice.close();
    bob.close();
  });

  it("sends changes made outside the routes, such as the call pipeline's summary status", async () => {
    const id = await createEvent("alice", "Appel enregistré");
    const alice = await followEventStream(agenda.baseUrl, "alice");
    // `ready` first; the event's own creation may still arrive after it, announced a moment late.
    await expect.poll(() => alice.events.length).toBeGreaterThanOrEqual(1);
    const updates = () => alice.changesOf(id).filter((event) => event.data.type === "updated");
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'ready' where id = $1`, [
      id,
    ]);
    await expect.poll(() => updates().length).toBe(1);
    // Bookkeeping that changes nothing shown is not a change.
    await agenda.pool.query(
      `update "${agenda.schema}".events set synced_at = now(), updated_at = now() where id = $1`,
      [id],
    );
    const later = await createEvent("alice", "Après");
    await expect.poll(() => alice.changesOf(later).length).toBe(1);
    expect(updates()).toHaveLength(1);
    alice.close();
  });

  it("sends a change made on another server instance of the same database", async () => {
    const second = await startTestAgenda({ schema: agenda.schema });
    try {
      const alice = await followEventStream(agenda.baseUrl, "alice");
      await expect.poll(() => alice.events.length).toBe(1);
      const id = await createEvent("alice", "Créé ailleurs", 11, second);
      await expect.poll(() => alice.changesOf(id).map((event) => event.data.type)).toEqual(["created"]);
      alice.close();
    } finally {
      await second.stop();
    }
  });

  it("replays the changes missed while disconnected after Last-Event-ID, each once", async () => {
    const first = await followEventStream(agenda.baseUrl, "alice");
    await expect.poll(() => first.events.length).toBe(1);
    const lastId = first.lastId();
    first.close();
    const created = await createEvent("alice", "Pendant la coupure", 12);
    await agenda.call("alice", "PATCH", `/events/${created}`, { title: "Renommé pendant la coupure" });
    const carols = await createEvent("carol", "De Carol");

    const again = await followEventStream(agenda.baseUrl, "alice", lastId);
    await expect
      .poll(() => again.changesOf(created).map((event) => event.data.type))
      .toEqual(["created", "updated"]);
    expect(again.events.some((event) => event.event === "ready" || event.event === "reset")).toBe(false);
    expect(again.changesOf(carols)).toEqual([]);
    const ids = again.events.map((event) => Number(event.id)).filter((id) => id > 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    again.close();
  });

  it("tells an agenda to read everything again when its Last-Event-ID is older than the replay window", async () => {
    const id = await createEvent("alice", "Ancien");
    const [{ seq }] = (
      await agenda.pool.query<{ seq: string }>(
        `select max(seq) as seq from "${agenda.schema}".event_changes where event_id = $1`,
        [id],
      )
    ).rows as [{ seq: string }];
    // Older than the replay window, then forgotten by the prune every instance runs each minute.
    await agenda.pool.query(
      `update "${agenda.schema}".event_changes set changed_at = now() - interval '1 hour'`,
    );
    const feed = createEventChangeFeed({
      pool: agenda.pool,
      db: drizzle(agenda.pool),
      tables: createTables(agenda.schema),
      schema: agenda.schema,
      reportError: (error) => agenda.errors.push(error),
    });
    await feed.prune(10);
    const left = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".event_changes`,
    );
    expect(left.rows[0].count).toBe(0);
    const stale = await followEventStream(agenda.baseUrl, "alice", String(Number(seq) - 1));
    await expect.poll(() => stale.events.map((event) => event.event)).toEqual(["reset"]);
    expect(Number(stale.lastId())).toBeGreaterThanOrEqual(Number(seq));
    stale.close();

    // Bob's changes pruned are all older than that id: nothing of his was missed, nothing to start over.
    const bob = await followEventStream(agenda.baseUrl, "bob", String(Number(seq) - 1));
    const bobs = await createEvent("bob", "Après la purge");
    await expect.poll(() => bob.changesOf(bobs).length).toBe(1);
    expect(bob.events.map((event) => event.event)).toEqual(["change"]);
    bob.close();

    const foreign = await followEventStream(agenda.baseUrl, "alice", "not-a-number");
    await expect.poll(() => foreign.events.map((event) => event.event)).toEqual(["reset"]);
    foreign.close();
  });

  it("keeps sending changes when its listening connection is dropped, once each", async () => {
    const alice = await followEventStream(agenda.baseUrl, "alice");
    await expect.poll(() => alice.events.length).toBe(1);
    const dropped = await agenda.pool.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where query = $1",
      [`listen "${agenda.schema}_event_changes"`],
    );
    expect(dropped.rowCount).toBe(1);
    const id = await createEvent("alice", "Pendant la coupure de l'écoute");
    await expect.poll(() => alice.changesOf(id).length, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() =>
        agenda.errors.some((error) => /live agenda feed lost its database connection/.test(String(error))),
      )
      .toBe(true);
    // Listening again, it hears the next change as it commits.
    await expect
      .poll(
        async () => {
          const listening = await agenda.pool.query("select 1 from pg_stat_activity where query = $1", [
            `listen "${agenda.schema}_event_changes"`,
          ]);
          return listening.rowCount;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    const next = await createEvent("alice", "Après la coupure");
    await expect.poll(() => alice.changesOf(next).length).toBe(1);
    expect(alice.changesOf(id)).toHaveLength(1);
    alice.close();
  });

  it("refuses a user's stream past eventStreams.maxPerUser with a 429 saying what to do, and frees the slot", async () => {
    const open = [];
    for (let index = 0; index < 3; index++) open.push(await followEventStream(agenda.baseUrl, "carol"));
    const refused = await agenda.call("carol", "GET", "/events/stream");
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { limit: 3 } });
    expect(refused.body.error.message).toMatch(/close an agenda tab/);
    // Another user of the tenant is not held back by carol's tabs.
    const alice = await followEventStream(agenda.baseUrl, "alice");

    open[0]!.close();
    await open[0]!.reading;
    await expect
      .poll(async () => {
        const again = await fetch(`${agenda.baseUrl}/events/stream`, { headers: { "x-test-user": "carol" } });
        await again.body?.cancel();
        return again.status;
      })
      .toBe(200);
    for (const stream of [...open, alice]) stream.close();
  });

  it("refuses a stream without a session", async () => {
    const answer = await agenda.call(null, "GET", "/events/stream");
    expect(answer.status).toBe(401);
  });

  it("gives the host every change of one owner through agenda.events.subscribe", async () => {
    const heard: string[] = [];
    const unsubscribe = agenda.agenda.events.subscribe({ tenantId: "acme", userId: "carol" }, (change) =>
      heard.push(`${change.type} ${change.eventId}`),
    );
    const carols = await createEvent("carol", "Pour Carol");
    await createEvent("alice", "Pas pour Carol");
    await expect.poll(() => heard).toEqual([`created ${carols}`]);
    unsubscribe();
    await createEvent("carol", "Après la fin");
    const marker = await followEventStream(agenda.baseUrl, "carol");
    await expect.poll(() => marker.events.length).toBe(1);
    marker.close();
    expect(heard).toHaveLength(1);
  });

  it("reports a notification the agenda did not send and keeps going", async () => {
    const alice = await followEventStream(agenda.baseUrl, "alice");
    await expect.poll(() => alice.events.length).toBe(1);
    await agenda.pool.query("select pg_notify($1, $2)", [`${agenda.schema}_event_changes`, '{"not":"ours"}']);
    await expect
      .poll(() => agenda.errors.some((error) => /did not send was ignored/.test(String(error))))
      .toBe(true);
    const id = await createEvent("alice", "Toujours là");
    await expect.poll(() => alice.changesOf(id).length).toBe(1);
    alice.close();
  });
});

describe("stopping", () => {
  it("ends the open live streams on stop, and refuses new ones until started again", async () => {
    const own = await startTestAgenda();
    try {
      const alice = await followEventStream(own.baseUrl, "alice");
      await expect.poll(() => alice.events.length).toBe(1);
      await own.agenda.stop();
      await expect.poll(() => alice.ended()).toBe(true);
      const refused = await own.call("alice", "GET", "/events/stream");
      expect(refused.status).toBe(503);
      await own.agenda.start();
      const reopened = await followEventStream(own.baseUrl, "alice");
      await expect.poll(() => reopened.events.length).toBe(1);
      reopened.close();
    } finally {
      await own.stop();
    }
  });
});
