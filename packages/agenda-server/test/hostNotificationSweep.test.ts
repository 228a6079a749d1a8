import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

// Only the interval timers are the test's: everything else (pg, pg-boss, HTTP) keeps real time.
vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({ polling: false, hooks: { onSummaryReady: () => {} } });
});
afterAll(async () => {
  await agenda.stop();
  vi.useRealTimers();
});

describe("the host notifications' sweep", () => {
  it("runs every 10 minutes in an instance running jobs, pruning what is past its retention", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Appel Dupont",
      start: "2026-10-01T09:00:00Z",
      end: "2026-10-01T09:30:00Z",
      timeZone: "Europe/Paris",
    });
    expect(created.status).toBe(201);
    // Told 40 days ago: past the 30 days delivered notifications are kept.
    await agenda.pool.query(
      `insert into "${agenda.schema}".host_notifications
         (event_id, tenant_id, user_id, hook, run, regenerated, state, delivered_at, created_at, updated_at)
       values ($1, 'acme', 'alice', 'onSummaryReady', 1, false, 'delivered',
               now() - interval '40 days', now() - interval '40 days', now() - interval '40 days')`,
      [created.body.id],
    );
    const left = async () =>
      (
        await agenda.pool.query(
          `select count(*)::int as left from "${agenda.schema}".host_notifications where event_id = $1`,
          [created.body.id],
        )
      ).rows[0].left as number;

    // The sweep at start ran before the row was there; the next is 10 minutes on, not 9.
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await left()).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    await expect.poll(left, { timeout: 10_000, interval: 100 }).toBe(0);
  });

  it("runs no more once the agenda is stopped", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Appel Martin",
      start: "2026-10-02T09:00:00Z",
      end: "2026-10-02T09:30:00Z",
      timeZone: "Europe/Paris",
    });
    await agenda.pool.query(
      `insert into "${agenda.schema}".host_notifications
         (event_id, tenant_id, user_id, hook, run, regenerated, state, delivered_at, created_at, updated_at)
       values ($1, 'acme', 'alice', 'onSummaryReady', 1, false, 'delivered',
               now() - interval '40 days', now() - interval '40 days', now() - interval '40 days')`,
      [created.body.id],
    );
    await agenda.agenda.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await agenda.pool.query(
      `select count(*)::int as left from "${agenda.schema}".host_notifications where event_id = $1`,
      [created.body.id],
    );
    expect(rows[0].left).toBe(1);
  });
});
