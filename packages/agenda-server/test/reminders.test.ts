import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { AgendaOptions, Reminder } from "../src/index";
import { startTestAgenda } from "./startTestAgenda";

type TestAgenda = Awaited<ReturnType<typeof startTestAgenda>>;

const encryptionKeys = [{ id: "k1", key: randomBytes(32).toString("base64") }];
const running: TestAgenda[] = [];
afterEach(async () => {
  for (const agenda of running.splice(0).reverse()) await agenda.stop();
});

/** An agenda whose reminders go to `told`, on a clock the test moves. */
async function startRemindingAgenda(
  told: Reminder[],
  clock: { now: Date },
  overrides: Partial<AgendaOptions> = {},
) {
  const agenda = await startTestAgenda({
    encryptionKeys,
    polling: false,
    calendarSync: false,
    now: () => clock.now,
    reminders: { offsetsMinutes: [60] },
    hooks: { onReminder: (reminder) => void told.push(reminder) },
    ...overrides,
  });
  running.push(agenda);
  return agenda;
}

/** An event of alice's with the client Dupont (matched by Marie's address), starting at `start`. */
async function createClientEvent(agenda: TestAgenda, start: Date, title = "Revue de contrat") {
  const created = await agenda.call("alice", "POST", "/events", {
    title,
    start: start.toISOString(),
    end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    timeZone: "Europe/Paris",
    attendees: [{ email: "marie@dupont.fr" }],
  });
  expect(created.status).toBe(201);
  expect(created.body.clientMatch.clientId).toBe("dupont");
  return created.body as { id: string; start: string };
}

/** Runs one reminders' round (as the minute's schedule does) and waits for it to finish. */
async function runRound(agenda: TestAgenda) {
  const id = await agenda.agenda.queue.send("agenda.reminder-tick", {});
  await expect
    .poll(async () => (await agenda.agenda.queue.getJobById("agenda.reminder-tick", id!))?.state, {
      timeout: 10_000,
      interval: 100,
    })
    .toBe("completed");
}

/** Waits until no reminder job waits or runs: whatever was going to be told has been. */
async function remindersSettled(agenda: TestAgenda) {
  await expect
    .poll(
      async () =>
        (
          await agenda.pool.query(
            `select count(*)::int as n from "${agenda.schema}_jobs".job
              where name = 'agenda.reminder' and state in ('created', 'retry', 'active')`,
          )
        ).rows[0].n,
      { timeout: 20_000, interval: 200 },
    )
    .toBe(0);
}

const wholeSecond = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000);

describe("reminders", () => {
  it("tells the host once, at the reminder's time, with the client and signed links", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const start = wholeSecond(Date.now() + 60 * 60_000 + 4_000);
    const event = await createClientEvent(agenda, start);

    await runRound(agenda);
    const { rows } = await agenda.pool.query(
      `select j.start_after, r.due_at, r.state from "${agenda.schema}".reminders r
         join "${agenda.schema}_jobs".job j on j.name = 'agenda.reminder' and j.data->>'reminderId' = r.id::text`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].due_at.getTime()).toBe(start.getTime() - 60 * 60_000);
    // The job waits for the reminder's time (pg-boss starts it by the database's clock).
    expect(rows[0].start_after.getTime()).toBeGreaterThanOrEqual(rows[0].due_at.getTime() - 1_000);

    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(Date.now()).toBeGreaterThanOrEqual(rows[0].due_at.getTime() - 1_000);
    await runRound(agenda);
    await remindersSettled(agenda);
    expect(told).toHaveLength(1);
    const reminder = told[0]!;
    expect(reminder).toMatchObject({
      tenantId: "acme",
      userId: "alice",
      offset: 60,
      event: { id: event.id, start: start.toISOString(), clientMatch: { clientId: "dupont" } },
      client: { id: "dupont", name: "Dupont SA", emails: ["marie@dupont.fr"] },
    });
    expect(reminder.confirmUrl).toMatch(new RegExp(`^${agenda.baseUrl}/reminders/[A-Za-z0-9._~-]+/confirm$`));
    expect(reminder.cancelUrl).toMatch(/\/cancel$/);
    const state = await agenda.pool.query(`select state from "${agenda.schema}".reminders`);
    expect(state.rows).toEqual([{ state: "sent" }]);
  });

  it("reminds of a moved event's new time only", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const first = wholeSecond(Date.now() + 60 * 60_000 + 6_000);
    const event = await createClientEvent(agenda, first);
    await runRound(agenda);

    const moved = new Date(first.getTime() + 2 * 60 * 60_000);
    const patched = await agenda.call("alice", "PATCH", `/events/${event.id}`, {
      start: moved.toISOString(),
      end: new Date(moved.getTime() + 30 * 60_000).toISOString(),
    });
    expect(patched.status).toBe(200);
    // The old time's job runs, finds the event moved, and drops its reminder.
    await remindersSettled(agenda);
    expect(told).toHaveLength(0);
    expect((await agenda.pool.query(`select 1 from "${agenda.schema}".reminders`)).rows).toHaveLength(0);

    clock.now = new Date(moved.getTime() - 60 * 60_000);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    await remindersSettled(agenda);
    expect(told).toHaveLength(1);
    expect(told[0]!.event.start).toBe(moved.toISOString());
  });

  it("drops the reminders of a deleted event", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const event = await createClientEvent(agenda, wholeSecond(Date.now() + 60 * 60_000 + 6_000));
    await runRound(agenda);
    expect((await agenda.call("alice", "DELETE", `/events/${event.id}`)).status).toBe(204);
    await remindersSettled(agenda);
    expect(told).toHaveLength(0);
    expect((await agenda.pool.query(`select 1 from "${agenda.schema}".reminders`)).rows).toHaveLength(0);
  });

  it("skips an offset already past when the event is made", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock, { reminders: { offsetsMinutes: [1440, 60] } });
    const start = wholeSecond(Date.now() + 2 * 60 * 60_000);
    await createClientEvent(agenda, start);
    await runRound(agenda);
    expect((await agenda.pool.query(`select 1 from "${agenda.schema}".reminders`)).rows).toHaveLength(0);

    clock.now = new Date(start.getTime() - 60 * 60_000);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    await remindersSettled(agenda);
    expect(told.map((reminder) => reminder.offset)).toEqual([60]);
  });

  it("skips a reminder found more than a quarter of its offset late", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const start = wholeSecond(Date.now() + 3 * 60 * 60_000);
    await createClientEvent(agenda, start);
    const later = await createClientEvent(agenda, new Date(start.getTime() + 10 * 60_000), "Point mensuel");
    // No round ran while the reminders were due (the agenda was down): the first one is 20 minutes
    // late and is not sent; the second, 10 minutes late, still is.
    clock.now = new Date(start.getTime() - 40 * 60_000);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    await remindersSettled(agenda);
    expect(told).toHaveLength(1);
    expect(told[0]!.event.id).toBe(later.id);
  });

  it("reminds once with two instances running the rounds and the same reminder's job several times", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const first = await startRemindingAgenda(told, clock);
    const second = await startRemindingAgenda(told, clock, { schema: first.schema });
    const start = wholeSecond(Date.now() + 60 * 60_000);
    await createClientEvent(first, start);
    clock.now = new Date(start.getTime() - 60 * 60_000);

    await Promise.all([runRound(first), runRound(second), runRound(first), runRound(second)]);
    const { rows } = await first.pool.query<{ id: string }>(`select id from "${first.schema}".reminders`);
    expect(rows).toHaveLength(1);
    // Jobs repeated (a retry, a second sender): each instance takes some; the claim lets one through.
    await first.agenda.queue.insert(
      Array.from({ length: 6 }, () => ({ name: "agenda.reminder", data: { reminderId: rows[0]!.id } })),
    );
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    await remindersSettled(first);
    expect(told).toHaveLength(1);
  });

  it("still reminds once after a restart between the round and the reminder's time", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const before = await startRemindingAgenda(told, clock, { schema });
    const start = wholeSecond(Date.now() + 60 * 60_000 + 5_000);
    await createClientEvent(before, start);
    await runRound(before);
    running.splice(running.indexOf(before), 1);
    await before.stop();
    expect(told).toHaveLength(0);

    const after = await startRemindingAgenda(told, clock, { schema });
    try {
      await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
      await runRound(after);
      await remindersSettled(after);
      expect(told).toHaveLength(1);
    } finally {
      await after.pool.query(
        `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
      );
    }
  });

  it("calls the hook again when it failed, until it goes through", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    let failures = 1;
    const agenda = await startRemindingAgenda(told, clock, {
      jobs: { retryDelaySeconds: 1 },
      hooks: {
        onReminder(reminder) {
          if (failures-- > 0) throw new Error("the mail service is down");
          told.push(reminder);
        },
      },
    });
    const start = wholeSecond(Date.now() + 60 * 60_000);
    await createClientEvent(agenda, start);
    clock.now = new Date(start.getTime() - 60 * 60_000);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 20_000, interval: 100 }).toBe(1);
    await remindersSettled(agenda);
    expect(told).toHaveLength(1);
    expect(agenda.errors.map((error) => (error as Error).message)).toContain("the mail service is down");
  });

  it("refuses a hook without encryption keys to sign its links, and runs nothing when turned off", async () => {
    await expect(
      startTestAgenda({ hooks: { onReminder: () => {} }, calendarSync: false, polling: false }),
    ).rejects.toThrow(/hooks.onReminder needs encryptionKeys/);
    // Turned off, the hook is not called and needs nothing.
    const off = await startTestAgenda({
      hooks: { onReminder: () => {} },
      reminders: false,
      calendarSync: false,
      polling: false,
    });
    running.push(off);
    expect((await off.agenda.queue.getSchedules()).map((schedule) => schedule.name)).not.toContain(
      "agenda.reminder-tick",
    );
  });
});
