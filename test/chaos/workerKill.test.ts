import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Chaos, printFigures, startChaos } from "./chaosHarness";

// A worker instance killed with SIGKILL (a crash, an OOM kill, a node taken away) while it holds
// jobs: another instance takes them over once they are overdue, and does them once.
const rows: Parameters<typeof printFigures>[0] = [];
let chaos: Chaos | undefined;
afterEach(async () => {
  await chaos?.stop();
  chaos = undefined;
});
afterAll(() => printFigures(rows));

async function summariesInProgress(): Promise<number> {
  const listed = await fetch(
    `${chaos!.baseUrl}/events?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`,
    { headers: { "x-test-user": "alice" } },
  ).then((response) => response.json() as Promise<{ events: { summaryStatus: string }[] }>);
  return listed.events.filter((event) => event.summaryStatus === "in_progress").length;
}

describe("a worker process killed mid-job", () => {
  it("leaves its jobs to the other worker: every summary and calendar write done once", async () => {
    chaos = await startChaos({ workers: 2, timeoutSeconds: 6 });
    await chaos.scheduleCalls(4);
    await chaos.createCrmEvents(4);
    // Slow enough that each worker is in the middle of a summary when the first one dies.
    chaos.ai.respondSlowly({ firstTokenMs: 2_500, tokenMs: 5 });
    await chaos.deliverTranscripts();
    await expect.poll(summariesInProgress, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    chaos.kill(chaos.workers()[0]!);
    chaos.ai.respondSlowly({ firstTokenMs: 0, tokenMs: 0 });
    await chaos.settle();
    const figures = await chaos.figures();
    rows.push({ case: "worker SIGKILLed mid-job", figures });
    expect(await chaos.webAlive()).toBe(true);
    expect(figures).toMatchObject({ unfinishedJobs: 0, failedJobs: 0, duplicated: 0, lost: 0 });
  }, 120_000);
});
