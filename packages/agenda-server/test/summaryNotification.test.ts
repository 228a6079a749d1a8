import type { CallSummary } from "@crm-agenda/shared";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSummaryStore } from "../src/calls/summaryStore";
import { createTables } from "../src/db/schema";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({ polling: false });
});
afterAll(async () => {
  await agenda.stop();
});

const summary: CallSummary = {
  executiveSummary: "Point sur le déploiement à Lyon.",
  keyPoints: [],
  decisions: [],
  actionItems: [],
};

describe("telling the host of a stored summary", () => {
  it("tells it once, and only for the run whose summary is stored, when a regenerate overtakes a run", async () => {
    const store = createSummaryStore(drizzle(agenda.pool), createTables(agenda.schema), () => new Date());
    const queued = async () => undefined;
    const start = new Date(Date.now() - 3600_000);
    const { eventId } = await store.claimCall(
      { tenantId: "acme", userId: "alice" },
      {
        provider: "zoom",
        connectionId: "connection-1",
        key: "meeting-uuid-overtaken",
        topic: "Point déploiement",
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 600_000).toISOString(),
      },
      queued,
    );
    const result = { summary, language: "fr", durationSeconds: 600, participants: [] };

    // Run 1 stores its summary; before it tells the host, a regenerate lets run 2 store another.
    const first = (await store.claimRun(eventId, 0))!;
    expect(await store.saveReady(eventId, first, result)).toBe(true);
    expect(await store.requeue(eventId, queued)).toBe(true);
    const second = (await store.claimRun(eventId, first))!;
    expect(await store.saveReady(eventId, second, result)).toBe(true);

    expect(await store.claimNotification(eventId, first)).toBe(false);
    expect(await store.claimNotification(eventId, second)).toBe(true);
    expect(await store.claimNotification(eventId, second)).toBe(false);
  });
});
