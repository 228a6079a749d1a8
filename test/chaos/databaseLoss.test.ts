import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Chaos, printFigures, sleep, startChaos } from "./chaosHarness";

// The agenda's database goes away under load, as it does in a failover, a restart or when an
// idle-connection reaper ends sessions: the host process lives on, and every call is summarized
// once, every event written to Google Calendar once, every webhook delivery worked on.
const rows: Parameters<typeof printFigures>[0] = [];
let chaos: Chaos;
// A fresh host and database for each case, so that one case's failure says nothing of the next.
beforeEach(async () => {
  chaos = await startChaos();
}, 60_000);
afterEach(async () => {
  await chaos?.stop();
});
afterAll(() => printFigures(rows));

async function summaryStatuses(): Promise<string[]> {
  const listed = await fetch(
    `${chaos.baseUrl}/events?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`,
    { headers: { "x-test-user": "alice" } },
  ).then((response) => response.json() as Promise<{ events: { summaryStatus: string }[] }>);
  return listed.events.map((event) => event.summaryStatus);
}

async function expectEverythingDoneOnce(name: string) {
  await chaos.settle();
  const figures = await chaos.figures();
  rows.push({ case: name, figures });
  expect(await chaos.webAlive()).toBe(true);
  expect(figures).toMatchObject({ unfinishedJobs: 0, failedJobs: 0, duplicated: 0, lost: 0 });
  return figures;
}

describe("every database connection dropped", () => {
  it("mid-summary: each call's summary is written once", async () => {
    await chaos.scheduleCalls(4);
    // The AI service takes its time, so the summaries are being written when the connections go.
    chaos.ai.respondSlowly({ firstTokenMs: 1_500, tokenMs: 5 });
    await chaos.deliverTranscripts();
    await expect.poll(summaryStatuses, { timeout: 20_000, interval: 100 }).toContain("in_progress");
    expect(await chaos.dropEveryConnection()).toBeGreaterThan(0);
    await sleep(700);
    await chaos.dropEveryConnection();
    chaos.ai.respondSlowly({ firstTokenMs: 0, tokenMs: 0 });
    await expectEverythingDoneOnce("connections dropped mid-summary");
  }, 90_000);

  it("mid-sync: each event created in the agenda is written to Google Calendar once", async () => {
    await chaos.createCrmEvents(12);
    for (let round = 0; round < 5; round++) {
      await chaos.dropEveryConnection();
      await sleep(300);
    }
    await expectEverythingDoneOnce("connections dropped mid-sync");
  }, 90_000);

  it("mid-webhook-burst: no delivery is lost, each call is summarized once", async () => {
    await chaos.scheduleCalls(8);
    // Zoom may send an event more than once: three copies of each, all at once.
    const burst = chaos.deliverTranscripts({ copies: 3 });
    for (let round = 0; round < 4; round++) {
      await chaos.dropEveryConnection();
      await sleep(200);
    }
    await burst;
    await expectEverythingDoneOnce("connections dropped mid-webhook-burst");
  }, 90_000);
});

describe("PostgreSQL stopped and started again under load", () => {
  it("leaves the host running, with every webhook, summary and calendar write done once", async () => {
    await chaos.scheduleCalls(6);
    chaos.ai.respondSlowly({ firstTokenMs: 800, tokenMs: 5 });
    await chaos.createCrmEvents(6);
    // The events' writes to Google are queued, and the webhooks arrive while the database is down.
    const restart = chaos.restartDatabase(3_000);
    await sleep(300);
    await chaos.deliverTranscripts();
    await restart;
    chaos.ai.respondSlowly({ firstTokenMs: 0, tokenMs: 0 });
    const figures = await expectEverythingDoneOnce("PostgreSQL restarted under load");
    expect(figures.deliveriesRefusedFirst).toBeGreaterThan(0);
  }, 90_000);
});

describe("PostgreSQL down while summaries wait on the AI service", () => {
  it("leaves the host running: the jobs that end while it is down are done when it is back", async () => {
    await chaos.scheduleCalls(2);
    chaos.ai.respondSlowly({ firstTokenMs: 2_500, tokenMs: 1 });
    await chaos.deliverTranscripts();
    await expect.poll(summaryStatuses, { timeout: 20_000, interval: 100 }).toContain("in_progress");
    // The AI service answers while the database is down: the job's end cannot be written.
    await chaos.restartDatabase(5_000);
    chaos.ai.respondSlowly({ firstTokenMs: 0, tokenMs: 0 });
    await expectEverythingDoneOnce("PostgreSQL down while summaries wait on the AI service");
  }, 90_000);
});
