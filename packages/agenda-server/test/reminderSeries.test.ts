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

const minute = 60_000;
const week = 7 * 24 * 60 * minute;

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

/**
 * A weekly series of alice's with the client Dupont, its first occurrence two hours from now, four
 * occurrences in all; gives its id and the starts of its occurrences.
 */
async function createClientSeries(agenda: TestAgenda, clock: { now: Date }) {
  clock.now = new Date();
  const first = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2 * 60 * minute);
  const created = await agenda.call("alice", "POST", "/events", {
    title: "Point hebdo Dupont",
    start: first.toISOString(),
    end: new Date(first.getTime() + 30 * minute).toISOString(),
    timeZone: "UTC",
    recurrence: "FREQ=WEEKLY;COUNT=4",
    attendees: [{ email: "marie@dupont.fr" }],
  });
  expect(created.status).toBe(201);
  expect(created.body.clientMatch.clientId).toBe("dupont");
  const starts = [0, 1, 2, 3].map((weeks) => new Date(first.getTime() + weeks * week));
  return { seriesId: created.body.id as string, starts };
}

/** An occurrence's id: the series' and its start in the series. */
function occurrenceId(seriesId: string, start: Date): string {
  return `${seriesId}_${start
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "")}`;
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

async function reminderRows(agenda: TestAgenda) {
  const { rows } = await agenda.pool.query<{ occurrence_start_at: Date; state: string }>(
    `select occurrence_start_at, state from "${agenda.schema}".reminders order by due_at`,
  );
  return rows.map((row) => ({ occurrence: row.occurrence_start_at.toISOString(), state: row.state }));
}

const toldOf = (told: Reminder[]) =>
  told.map((reminder) => ({ id: reminder.event.id, start: reminder.event.start, offset: reminder.offset }));

describe("reminders of a series' occurrences", () => {
  it("reminds of the 2nd and 3rd occurrences at each offset, once each across rounds and two instances", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const offsets = { reminders: { offsetsMinutes: [60, 30] } };
    const first = await startRemindingAgenda(told, clock, offsets);
    const second = await startRemindingAgenda(told, clock, { ...offsets, schema: first.schema });
    const { seriesId, starts } = await createClientSeries(first, clock);

    const expected: { id: string; start: string; offset: number }[] = [];
    for (const start of [starts[1]!, starts[2]!]) {
      for (const offset of [60, 30]) {
        clock.now = new Date(start.getTime() - offset * minute);
        await Promise.all([runRound(first), runRound(second), runRound(first), runRound(second)]);
        expected.push({ id: occurrenceId(seriesId, start), start: start.toISOString(), offset });
        await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(expected.length);
        await remindersSettled(first);
        await runRound(second);
        await remindersSettled(first);
        expect(toldOf(told)).toEqual(expected);
      }
    }
    expect(told[0]).toMatchObject({
      tenantId: "acme",
      userId: "alice",
      event: { seriesId, originalStart: starts[1]!.toISOString(), clientMatch: { clientId: "dupont" } },
      client: { id: "dupont" },
    });
    expect(await reminderRows(first)).toEqual(
      [starts[1]!, starts[1]!, starts[2]!, starts[2]!].map((start) => ({
        occurrence: start.toISOString(),
        state: "sent",
      })),
    );
  });

  it("moves the reminder of a moved occurrence only", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    const second = starts[1]!;
    // The second occurrence's reminder is waiting for its time when the occurrence moves.
    clock.now = new Date(second.getTime() - 60 * minute - 5_000);
    await runRound(agenda);
    expect(await reminderRows(agenda)).toEqual([{ occurrence: second.toISOString(), state: "pending" }]);

    const moved = new Date(second.getTime() + 2 * 60 * minute);
    const patched = await agenda.call("alice", "PATCH", `/events/${occurrenceId(seriesId, second)}`, {
      start: moved.toISOString(),
      end: new Date(moved.getTime() + 30 * minute).toISOString(),
    });
    expect(patched.status).toBe(200);
    await remindersSettled(agenda);
    expect(told).toHaveLength(0);
    expect(await reminderRows(agenda)).toEqual([]);

    clock.now = new Date(moved.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    clock.now = new Date(starts[2]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(2);
    await remindersSettled(agenda);
    expect(toldOf(told)).toEqual([
      { id: occurrenceId(seriesId, second), start: moved.toISOString(), offset: 60 },
      { id: occurrenceId(seriesId, starts[2]!), start: starts[2]!.toISOString(), offset: 60 },
    ]);
  });

  it("moves the reminders with the whole series", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute - 5_000);
    await runRound(agenda);

    const shift = 3 * 60 * minute;
    const patched = await agenda.call("alice", "PATCH", `/events/${seriesId}`, {
      start: new Date(starts[0]!.getTime() + shift).toISOString(),
      end: new Date(starts[0]!.getTime() + shift + 30 * minute).toISOString(),
    });
    expect(patched.status).toBe(200);
    await remindersSettled(agenda);
    expect(told).toHaveLength(0);

    const moved = new Date(starts[1]!.getTime() + shift);
    clock.now = new Date(moved.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    await remindersSettled(agenda);
    expect(toldOf(told)).toEqual([
      { id: occurrenceId(seriesId, moved), start: moved.toISOString(), offset: 60 },
    ]);
  });

  it("drops the reminders of a deleted occurrence, and keeps the next one's", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute - 5_000);
    await runRound(agenda);
    expect(await reminderRows(agenda)).toHaveLength(1);

    const deleted = await agenda.call("alice", "DELETE", `/events/${occurrenceId(seriesId, starts[1]!)}`);
    expect(deleted.status).toBe(204);
    await remindersSettled(agenda);
    expect(told).toHaveLength(0);
    expect(await reminderRows(agenda)).toEqual([]);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute);
    await runRound(agenda);
    expect(await reminderRows(agenda)).toEqual([]);

    clock.now = new Date(starts[2]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(told[0]!.event.id).toBe(occurrenceId(seriesId, starts[2]!));
  });

  it("drops the reminders from the cut on when the series is ended at an occurrence", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    clock.now = new Date(starts[2]!.getTime() - 60 * minute - 5_000);
    await runRound(agenda);

    const cut = await agenda.call(
      "alice",
      "DELETE",
      `/events/${occurrenceId(seriesId, starts[2]!)}?scope=following`,
    );
    expect(cut.status).toBe(204);
    await remindersSettled(agenda);
    for (const start of [starts[2]!, starts[3]!]) {
      clock.now = new Date(start.getTime() - 60 * minute);
      await runRound(agenda);
    }
    await remindersSettled(agenda);
    expect(toldOf(told)).toEqual([
      { id: occurrenceId(seriesId, starts[1]!), start: starts[1]!.toISOString(), offset: 60 },
    ]);
    expect(await reminderRows(agenda)).toEqual([{ occurrence: starts[1]!.toISOString(), state: "sent" }]);
  });

  it("records the answer of an occurrence's link on that occurrence alone", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock, { reminders: { offsetsMinutes: [60, 30] } });
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    const reminder = told[0]!;

    const shown = await fetch(reminder.confirmUrl);
    expect(await shown.json()).toMatchObject({
      action: "confirm",
      start: starts[1]!.toISOString(),
      attendance: null,
    });
    // The client clicks several times at once: each click is answered, the occurrence confirmed once.
    const clicks = await Promise.all(
      Array.from({ length: 4 }, () => fetch(reminder.confirmUrl, { method: "POST" })),
    );
    expect(clicks.map((click) => click.status)).toEqual([200, 200, 200, 200]);
    expect(await clicks[0]!.json()).toMatchObject({
      start: starts[1]!.toISOString(),
      attendance: "confirmed",
    });

    const from = new Date(starts[0]!.getTime() - minute).toISOString();
    const to = new Date(starts[3]!.getTime() + 60 * minute).toISOString();
    const listed = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
    expect(listed.status).toBe(200);
    expect(
      listed.body.events.map((event: { id: string; start: string; attendance: string | null }) => ({
        id: event.id,
        attendance: event.attendance,
      })),
    ).toEqual(
      starts.map((start, index) => ({
        id: occurrenceId(seriesId, start),
        attendance: index === 1 ? "confirmed" : null,
      })),
    );
    const one = await agenda.call("alice", "GET", `/events/${occurrenceId(seriesId, starts[1]!)}`);
    expect(one.body).toMatchObject({ start: starts[1]!.toISOString(), attendance: "confirmed" });

    // A cancel from the same occurrence's link stops its later reminder, and the next occurrence's
    // still goes.
    const cancelled = await fetch(reminder.cancelUrl, { method: "POST" });
    expect((await cancelled.json()).attendance).toBe("cancelled");
    clock.now = new Date(starts[1]!.getTime() - 30 * minute);
    await runRound(agenda);
    clock.now = new Date(starts[2]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(2);
    await remindersSettled(agenda);
    expect(toldOf(told).map((one) => one.id)).toEqual([
      occurrenceId(seriesId, starts[1]!),
      occurrenceId(seriesId, starts[2]!),
    ]);

    // The answered occurrence still moves with its series, and its answer, given for the old time,
    // no longer holds.
    const hour = 60 * minute;
    const moved = await agenda.call("alice", "PATCH", `/events/${seriesId}`, {
      start: new Date(starts[0]!.getTime() + hour).toISOString(),
      end: new Date(starts[0]!.getTime() + hour + 30 * minute).toISOString(),
    });
    expect(moved.status).toBe(200);
    const later = new Date(starts[3]!.getTime() + 2 * hour).toISOString();
    const relisted = await agenda.call("alice", "GET", `/events?from=${from}&to=${later}`);
    expect(
      relisted.body.events.map((event: { start: string; attendance: string | null }) => ({
        start: event.start,
        attendance: event.attendance,
      })),
    ).toEqual(
      starts.map((start) => ({ start: new Date(start.getTime() + hour).toISOString(), attendance: null })),
    );
  });

  it("keeps an answered occurrence in its series: a later edit of all reaches it, and no exception is made", async () => {
    const told: Reminder[] = [];
    const clock = { now: new Date() };
    const agenda = await startRemindingAgenda(told, clock);
    const { seriesId, starts } = await createClientSeries(agenda, clock);
    clock.now = new Date(starts[1]!.getTime() - 60 * minute);
    await runRound(agenda);
    await expect.poll(() => told.length, { timeout: 15_000, interval: 100 }).toBe(1);
    const from = new Date(starts[0]!.getTime() - minute).toISOString();
    const to = new Date(starts[3]!.getTime() + 2 * 60 * minute).toISOString();
    const before = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);

    const confirmed = await fetch(told[0]!.confirmUrl, { method: "POST" });
    expect(confirmed.status).toBe(200);
    const { rows } = await agenda.pool.query(
      `select id from "${agenda.schema}".events where series_master_id = $1`,
      [seriesId],
    );
    expect(rows).toEqual([]);
    const answered = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
    expect(answered.body.events[1]).toEqual({ ...before.body.events[1], attendance: "confirmed" });

    const lengthened = await agenda.call("alice", "PATCH", `/events/${seriesId}`, {
      end: new Date(starts[0]!.getTime() + 60 * minute).toISOString(),
    });
    expect(lengthened.status).toBe(200);
    const listed = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
    expect(
      listed.body.events.map((event: { start: string; end: string; attendance: string | null }) => ({
        minutes: (Date.parse(event.end) - Date.parse(event.start)) / minute,
        attendance: event.attendance,
      })),
    ).toEqual(starts.map((_start, index) => ({ minutes: 60, attendance: index === 1 ? "confirmed" : null })));
    const one = await agenda.call("alice", "GET", `/events/${occurrenceId(seriesId, starts[1]!)}`);
    expect(one.body).toMatchObject({
      end: new Date(starts[1]!.getTime() + 60 * minute).toISOString(),
      attendance: "confirmed",
    });
  });
});
