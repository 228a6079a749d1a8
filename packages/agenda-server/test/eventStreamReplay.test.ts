import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followEventStream } from "./followEventStream";
import { startTestAgenda } from "./startTestAgenda";

// The README's promise, with the default options: "A client that reconnects with `Last-Event-ID` is
// sent what it missed (changes are kept 10 minutes, `eventStreams.replayMinutes`); one that may have
// missed a change of its user's already forgotten [...] gets `reset`".
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

async function createEvent(title: string) {
  const created = await agenda.call("alice", "POST", "/events", {
    title,
    start: "2026-12-03T09:00:00.000Z",
    end: "2026-12-03T10:00:00.000Z",
    timeZone: "Europe/Paris",
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** The agenda's user was away this long: every change so far was made that many minutes ago. */
async function awayFor(minutes: number) {
  await agenda.pool.query(
    `update "${agenda.schema}".event_changes set changed_at = now() - make_interval(mins => $1)`,
    [minutes],
  );
  // Each instance forgets changes past the window when it starts and every minute: starting another
  // one runs that prune now instead of a minute from now.
  const other = await startTestAgenda({ schema: agenda.schema });
  await other.stop();
}

/** The `id:` an agenda holds when it drops: where it was when it went away. */
async function idBeforeLeaving() {
  const stream = await followEventStream(agenda.baseUrl, "alice");
  await expect.poll(() => stream.events.length).toBeGreaterThanOrEqual(1);
  const id = stream.lastId();
  stream.close();
  expect(id).toMatch(/^\d+$/);
  return id as string;
}

describe("the live stream's replay window", () => {
  it("sends an agenda back after 9 minutes the changes it missed", async () => {
    const lastId = await idBeforeLeaving();
    const missed = await createEvent("Pendant l'absence");
    await awayFor(9);

    const back = await followEventStream(agenda.baseUrl, "alice", lastId);
    await expect.poll(() => back.changesOf(missed).map((event) => event.data.type)).toEqual(["created"]);
    expect(back.events.map((event) => event.event)).not.toContain("reset");
    back.close();
  });

  it("tells an agenda back after 11 minutes to read everything again", async () => {
    const lastId = await idBeforeLeaving();
    const missed = await createEvent("Trop tôt");
    await awayFor(11);

    const back = await followEventStream(agenda.baseUrl, "alice", lastId);
    await expect.poll(() => back.events.map((event) => event.event)).toEqual(["reset"]);
    expect(back.changesOf(missed)).toEqual([]);
    expect(Number(back.lastId())).toBeGreaterThan(Number(lastId));
    back.close();
  });
});
