import type { CallSummary } from "@crm-agenda/shared";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHostNotificationStore } from "../src/calls/hostNotificationStore";
import { createSummaryStore } from "../src/calls/summaryStore";
import { createTables } from "../src/db/schema";
import type { AgendaHooks, HookSubject } from "../src/options";
import { startTestAgenda } from "./startTestAgenda";

const summary: CallSummary = {
  executiveSummary: "Point sur le déploiement à Lyon.",
  keyPoints: [],
  decisions: [],
  actionItems: [{ text: "Envoyer le bon de commande", owner: "Marie Dupont" }],
};

type Told = HookSubject & { summary?: CallSummary };
const told: Told[] = [];
const actionItemsTold: HookSubject[] = [];
/** What the host's CRM does on each call, per event: throw (its database down) or take it. */
const behaviour = new Map<string, () => void>();

const hooks: AgendaHooks = {
  onSummaryReady: (subject) => {
    told.push(subject);
    behaviour.get(subject.eventId)?.();
  },
  onActionItems: (subject) => void actionItemsTold.push(subject),
};

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({
    polling: false,
    hooks,
    jobs: { retryLimit: 2, retryDelaySeconds: 1 },
  });
});
afterAll(async () => {
  await agenda.stop();
});

/** The summaries as the call pipeline stores them, recording the host's notifications in the agenda's queue. */
function summaryStore(on = agenda) {
  const db = drizzle(on.pool);
  const tables = createTables(on.schema);
  const now = () => new Date();
  const notifications = createHostNotificationStore({ db, tables, queue: on.agenda.queue, hooks, now });
  return createSummaryStore(db, tables, now, notifications);
}

let callNumber = 0;
async function callOnAgenda(store: ReturnType<typeof summaryStore>) {
  const start = new Date(Date.now() - 3600_000);
  const { eventId } = await store.claimCall(
    { tenantId: "acme", userId: "alice" },
    {
      provider: "zoom",
      connectionId: "connection-1",
      key: `meeting-uuid-outbox-${callNumber++}-${Date.now()}`,
      topic: "Point déploiement",
      startTime: start.toISOString(),
      endTime: new Date(start.getTime() + 600_000).toISOString(),
    },
    async () => undefined,
  );
  return eventId;
}

const result = (executiveSummary: string) => ({
  summary: { ...summary, executiveSummary },
  language: "fr",
  durationSeconds: 600,
  participants: [],
});

async function notificationsOf(eventId: string, on = agenda) {
  const { rows } = await on.pool.query(
    `select id, hook, run, regenerated, state, attempts, error from "${on.schema}".host_notifications
     where event_id = $1 order by run, hook`,
    [eventId],
  );
  return rows;
}

const delivery = { timeout: 15_000, interval: 200 };

describe("telling the host of a stored summary through the outbox", () => {
  it("calls a hook that throws twice again until it takes the summary, with the same notification id", async () => {
    const store = summaryStore();
    const eventId = await callOnAgenda(store);
    let failures = 0;
    behaviour.set(eventId, () => {
      if (failures++ < 2) throw new Error("CRM database unreachable");
    });
    const run = (await store.claimRun(eventId, 0))!;
    expect(await store.saveReady(eventId, run, result("Premier résumé."))).toBe(true);

    await expect
      .poll(
        async () => (await notificationsOf(eventId)).find((row) => row.hook === "onSummaryReady")?.state,
        delivery,
      )
      .toBe("delivered");
    const calls = told.filter((subject) => subject.eventId === eventId);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((subject) => subject.notificationId)).size).toBe(1);
    const [row] = (await notificationsOf(eventId)).filter(
      (notification) => notification.hook === "onSummaryReady",
    );
    expect(row).toMatchObject({ id: calls[0]!.notificationId, attempts: 3, error: null, regenerated: false });
    expect(calls[2]).toMatchObject({ regenerated: false, summary: { executiveSummary: "Premier résumé." } });
    await expect
      .poll(() => actionItemsTold.filter((subject) => subject.eventId === eventId).length, delivery)
      .toBe(1);
    expect(agenda.errors).toEqual([]);
  });

  it("sends again a notification whose job was lost, once, and only when it is stale", async () => {
    const store = summaryStore();
    const eventId = await callOnAgenda(store);
    const run = (await store.claimRun(eventId, 0))!;
    expect(await store.saveReady(eventId, run, result("Résumé retrouvé."))).toBe(true);
    await expect
      .poll(
        async () => (await notificationsOf(eventId)).find((row) => row.hook === "onSummaryReady")?.state,
        delivery,
      )
      .toBe("delivered");
    // As if its job had run out of tries in processes that died each time: pending, and no job left.
    await agenda.pool.query(
      `update "${agenda.schema}".host_notifications set state = 'pending', updated_at = now() - interval '7 hours'
        where event_id = $1 and hook = 'onSummaryReady'`,
      [eventId],
    );
    const toldBefore = told.filter((subject) => subject.eventId === eventId).length;
    const notifications = createHostNotificationStore({
      db: drizzle(agenda.pool),
      tables: createTables(agenda.schema),
      queue: agenda.agenda.queue,
      hooks,
      now: () => new Date(),
    });
    // Not yet stale for an 8-hour threshold; stale for a 6-hour one, and then not again.
    expect(await notifications.resendStale(8 * 3600_000)).toBe(0);
    expect(await notifications.resendStale(6 * 3600_000)).toBe(1);
    expect(await notifications.resendStale(6 * 3600_000)).toBe(0);
    await expect
      .poll(
        async () => (await notificationsOf(eventId)).find((row) => row.hook === "onSummaryReady")?.state,
        delivery,
      )
      .toBe("delivered");
    await expect
      .poll(() => told.filter((subject) => subject.eventId === eventId).length, delivery)
      .toBe(toldBefore + 1);
  });

  it("prunes delivered and superseded notifications after 30 days and failed ones after 90, a bounded number at a time", async () => {
    const store = summaryStore();
    const eventIds: string[] = [];
    for (let call = 0; call < 3; call++) {
      const eventId = await callOnAgenda(store);
      const run = (await store.claimRun(eventId, 0))!;
      expect(await store.saveReady(eventId, run, result(`Résumé ${call}.`))).toBe(true);
      eventIds.push(eventId);
    }
    await expect
      .poll(
        async () =>
          (await Promise.all(eventIds.map((eventId) => notificationsOf(eventId))))
            .flat()
            .every((row) => row.state === "delivered"),
        delivery,
      )
      .toBe(true);
    const age = async (eventId: string, state: string, days: number) =>
      agenda.pool.query(
        `update "${agenda.schema}".host_notifications
            set state = $2, updated_at = now() - make_interval(days => $3) where event_id = $1`,
        [eventId, state, days],
      );
    await age(eventIds[0]!, "delivered", 31);
    await age(eventIds[1]!, "failed", 31);
    await age(eventIds[2]!, "superseded", 29);
    const notifications = createHostNotificationStore({
      db: drizzle(agenda.pool),
      tables: createTables(agenda.schema),
      queue: agenda.agenda.queue,
      hooks,
      now: () => new Date(),
    });
    const policy = { settledMs: 30 * 86_400_000, failedMs: 90 * 86_400_000 };
    // Two rows are due (the onSummaryReady and onActionItems of the first call): one per call at limit 1.
    expect(await notifications.prune({ ...policy, limit: 1 })).toBe(1);
    expect(await notifications.prune({ ...policy, limit: 1 })).toBe(1);
    expect(await notifications.prune({ ...policy, limit: 1 })).toBe(0);
    expect(await notificationsOf(eventIds[0]!)).toEqual([]);
    expect((await notificationsOf(eventIds[1]!)).length).toBeGreaterThan(0);
    expect((await notificationsOf(eventIds[2]!)).length).toBeGreaterThan(0);
    await age(eventIds[1]!, "failed", 91);
    expect(await notifications.prune({ ...policy, limit: 1_000 })).toBe(2);
    expect(await notificationsOf(eventIds[1]!)).toEqual([]);
    expect((await notificationsOf(eventIds[2]!)).length).toBeGreaterThan(0);
  });

  it("records a hook that always throws as failed with its message, secrets masked, and reports it", async () => {
    const store = summaryStore();
    const eventId = await callOnAgenda(store);
    behaviour.set(eventId, () => {
      throw new Error("connect to postgres://crm:hunter2@crm-db:5432/crm failed, token=abc123");
    });
    const run = (await store.claimRun(eventId, 0))!;
    expect(await store.saveReady(eventId, run, result("Résumé jamais reçu."))).toBe(true);

    await expect
      .poll(
        async () => (await notificationsOf(eventId)).find((row) => row.hook === "onSummaryReady")?.state,
        delivery,
      )
      .toBe("failed");
    const [row] = (await notificationsOf(eventId)).filter(
      (notification) => notification.hook === "onSummaryReady",
    );
    expect(row.attempts).toBe(3);
    expect(row.error).toContain("connect to postgres://***@crm-db:5432/crm failed");
    expect(row.error).not.toMatch(/hunter2|abc123/);
    const reported = agenda.errors.map(String).filter((error) => error.includes(row.id));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/onSummaryReady hook threw/);
    expect(reported[0]).not.toMatch(/hunter2|abc123/);
    agenda.errors.length = 0;
    // The host's process is still up, and the agenda still answers.
    expect((await agenda.call("alice", "GET", `/events/${eventId}/summary`)).status).toBe(200);
  });

  it("tells the host once, of the latest summary and as regenerated, when a regenerate overtakes the automatic run", async () => {
    // No instance runs jobs while both runs store their summaries: the automatic run's notification is
    // still undelivered when the regenerate's summary is stored, whatever the machine's speed.
    const quiet = await startTestAgenda({ polling: false, hooks, runJobs: false });
    const store = summaryStore(quiet);
    const eventId = await callOnAgenda(store);
    const automatic = (await store.claimRun(eventId, 0))!;
    expect(await store.saveReady(eventId, automatic, result("Résumé automatique."))).toBe(true);
    expect(await store.requeue(eventId, async () => undefined)).toBe(true);
    const regenerate = (await store.claimRun(eventId, automatic))!;
    expect(await store.saveReady(eventId, regenerate, result("Résumé régénéré."))).toBe(true);
    const worker = await startTestAgenda({ schema: quiet.schema, polling: false, hooks });
    try {
      await expect
        .poll(
          async () =>
            (await notificationsOf(eventId, quiet)).map((row) => `${row.run}:${row.hook}:${row.state}`),
          delivery,
        )
        .toEqual([
          `${automatic}:onActionItems:superseded`,
          `${automatic}:onSummaryReady:superseded`,
          `${regenerate}:onActionItems:delivered`,
          `${regenerate}:onSummaryReady:delivered`,
        ]);
      const calls = told.filter((subject) => subject.eventId === eventId);
      expect(calls.map((subject) => [subject.regenerated, subject.summary?.executiveSummary])).toEqual([
        [true, "Résumé régénéré."],
      ]);
      expect(
        actionItemsTold
          .filter((subject) => subject.eventId === eventId)
          .map((subject) => subject.regenerated),
      ).toEqual([true]);
    } finally {
      await worker.stop();
      await quiet.stop();
    }
  });

  it("delivers a notification once with two instances on one database", async () => {
    const second = await startTestAgenda({
      schema: agenda.schema,
      polling: false,
      hooks,
      jobs: { retryLimit: 2, retryDelaySeconds: 1 },
    });
    try {
      const store = summaryStore();
      const events = [await callOnAgenda(store), await callOnAgenda(store), await callOnAgenda(store)];
      for (const eventId of events) {
        const run = (await store.claimRun(eventId, 0))!;
        expect(await store.saveReady(eventId, run, result("Résumé partagé."))).toBe(true);
      }
      for (const eventId of events) {
        await expect
          .poll(async () => (await notificationsOf(eventId)).map((row) => row.state), delivery)
          .toEqual(["delivered", "delivered"]);
        expect(told.filter((subject) => subject.eventId === eventId)).toHaveLength(1);
        expect(actionItemsTold.filter((subject) => subject.eventId === eventId)).toHaveLength(1);
      }
    } finally {
      await second.stop();
    }
  });
});
