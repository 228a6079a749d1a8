import { createGoogleSandbox, createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const accounts = [...sandboxAccounts, { id: "acct-bob", email: "bob@globex.test", name: "Bob Durand" }];
const zoom = createZoomSandbox({ accounts, client: sandboxClient });
const google = createGoogleSandbox({ accounts, client: sandboxClient });
let zoomServer: RunningSandbox;
let googleServer: RunningSandbox;
let first: Awaited<ReturnType<typeof startTestAgenda>>;
let second: Awaited<ReturnType<typeof startTestAgenda>>;
const connectionIds: string[] = [];
const poll = { timeout: 20_000, interval: 100 };

beforeAll(async () => {
  zoomServer = await zoom.start();
  googleServer = await google.start();
  google.calendar.control.dropNotifications = true;
  const options = {
    providers: {
      zoom: { ...sandboxClient, baseUrl: zoomServer.url },
      google: { ...sandboxClient, baseUrl: googleServer.url },
    },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false as const,
    calendarSync: { push: false },
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  };
  first = await startTestAgenda(options);
  second = await startTestAgenda({ ...options, schema: first.schema });
  for (const [person, account] of [
    ["alice", "acct-alice"],
    ["carol", "acct-carol"],
    ["bob", "acct-bob"],
  ] as const) {
    connectionIds.push((await connectAccount(first.baseUrl, "zoom", person, account)).id);
  }
});
afterAll(async () => {
  await second.stop();
  await first.stop();
  await googleServer.stop();
  await zoomServer.stop();
});

/** The jobs pg-boss holds for a queue, as its table has them. */
async function jobsOf(queue: string) {
  const { rows } = await first.pool.query<{ key: string; state: string; delaySeconds: number }>(
    `select singleton_key as key, state::text as state,
            extract(epoch from start_after - created_on)::float8 as "delaySeconds"
       from "${first.schema}_jobs".job where name = $1 order by singleton_key`,
    [queue],
  );
  return rows;
}

describe("the polling fallback, fanned out per connection", () => {
  it("queues one job per connection, spread over the interval, and a second tick adds none", async () => {
    await first.agenda.queue.send(jobQueues.callPoll, { spreadSeconds: 600 });
    await expect.poll(async () => (await jobsOf(jobQueues.callPollConnection)).length, poll).toBe(3);
    await second.agenda.queue.send(jobQueues.callPoll, { spreadSeconds: 600 });
    await expect
      .poll(async () => {
        const { rows } = await first.pool.query(
          `select count(*)::int as count from "${first.schema}_jobs".job where name = $1 and state = 'completed'`,
          [jobQueues.callPoll],
        );
        return rows[0].count;
      }, poll)
      .toBe(2);
    const jobs = await jobsOf(jobQueues.callPollConnection);
    expect(jobs.map((job) => job.key)).toEqual([...connectionIds].sort());
    expect(jobs.every((job) => job.state === "created")).toBe(true);
    for (const job of jobs) {
      expect(job.delaySeconds).toBeGreaterThanOrEqual(0);
      expect(job.delaySeconds).toBeLessThan(600);
    }
    // Each connection keeps its own moment in the interval.
    expect(new Set(jobs.map((job) => job.delaySeconds)).size).toBe(3);
    expect(zoom.recordings.stats.listsByAccount).toEqual({});
    await first.pool.query(`delete from "${first.schema}_jobs".job where name = $1`, [
      jobQueues.callPollConnection,
    ]);
  });

  it("reaches every connection from a tick sent by hand, never running two polls of one connection at once", async () => {
    zoom.recordings.control.listDelayMs = 400;
    zoom.recordings.stats.listsByAccount = {};
    zoom.recordings.stats.maxListsInFlight = 0;
    // Ticks from both instances while the first round still runs, as overlapping rounds would.
    for (let tick = 0; tick < 4; tick++) {
      await (tick % 2 ? second : first).agenda.queue.send(jobQueues.callPoll, {});
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await expect
      .poll(
        async () =>
          (await jobsOf(jobQueues.callPollConnection)).every((job) => job.state === "completed") &&
          accounts.every((account) => (zoom.recordings.stats.listsByAccount[account.id] ?? 0) >= 1),
        poll,
      )
      .toBe(true);
    expect(zoom.recordings.stats.maxListsInFlight).toBe(1);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    zoom.recordings.control.listDelayMs = 0;
  });

  it("spreads the calendar syncs that are due over the tick's minute", async () => {
    const calendarIds: string[] = [];
    for (const [person, account] of [
      ["alice", "acct-alice"],
      ["carol", "acct-carol"],
    ] as const) {
      calendarIds.push((await connectAccount(first.baseUrl, "google", person, account)).id);
    }
    await expect
      .poll(async () => {
        const { rows } = await first.pool.query(
          `select count(*)::int as count from "${first.schema}".calendar_syncs where last_success_at is not null`,
        );
        return rows[0].count;
      }, poll)
      .toBe(2);
    await first.pool.query(
      `update "${first.schema}".calendar_syncs set next_run_at = now() - interval '1 minute'`,
    );
    await first.agenda.queue.send(jobQueues.calendarPoll, { spreadSeconds: 60 });
    await expect
      .poll(
        async () => (await jobsOf(jobQueues.calendarSync)).filter((job) => job.state === "created").length,
        poll,
      )
      .toBe(2);
    const waiting = (await jobsOf(jobQueues.calendarSync)).filter((job) => job.state === "created");
    expect(waiting.map((job) => job.key).sort()).toEqual([...calendarIds].sort());
    for (const job of waiting) {
      expect(job.delaySeconds).toBeGreaterThanOrEqual(0);
      expect(job.delaySeconds).toBeLessThan(60);
    }
    expect(new Set(waiting.map((job) => job.delaySeconds)).size).toBe(2);
  });
});
