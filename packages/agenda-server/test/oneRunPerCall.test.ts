import { createAiService, createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import type { HookSubject } from "../src/options";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const secretToken = "zoom-webhook-secret-for-one-run-tests";
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const ai = createAiService();
let zoomServer: RunningSandbox;
let aiServer: { url: string; stop(): Promise<void> };
let instances: Awaited<ReturnType<typeof startTestAgenda>>[] = [];
const told: { summaryReady: HookSubject[]; actionItems: HookSubject[] } = {
  summaryReady: [],
  actionItems: [],
};
let meetingNumber = 93100000000;

const vtt = `WEBVTT

1
00:00:01.000 --> 00:00:09.000
Marie Dupont: Bonjour Alice, on a validé le budget de quarante mille euros pour le déploiement à Lyon.

2
00:00:10.000 --> 00:00:19.000
Alice Martin: Parfait, on part donc sur l'offre premium avec la formation incluse, c'est décidé.

3
00:00:20.000 --> 00:00:29.000
Marie Dupont: Je vais envoyer le bon de commande signé vendredi, et vous planifiez la formation.
`;

beforeAll(async () => {
  zoomServer = await zoom.start();
  aiServer = await ai.start({ port: 0 });
  const options = {
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ai: { baseUrl: aiServer.url, idleTimeoutMs: 30_000 },
    polling: false as const,
    // A job is taken as lost after 2 seconds: a slow AI service keeps a run going well past that.
    jobs: { timeoutSeconds: 2, maintenanceIntervalSeconds: 1, retryDelaySeconds: 1, retryLimit: 20 },
    hooks: {
      onSummaryReady: (subject: HookSubject) => void told.summaryReady.push(subject),
      onActionItems: (subject: HookSubject) => void told.actionItems.push(subject),
    },
  };
  const first = await startTestAgenda(options);
  instances = [
    first,
    await startTestAgenda({ ...options, schema: first.schema }),
    await startTestAgenda({ ...options, schema: first.schema }),
  ];
  await connectAccount(first.baseUrl, "zoom", "alice", "acct-alice");
}, 60_000);
afterAll(async () => {
  for (const instance of [...instances].reverse()) await instance.stop();
  await zoomServer.stop();
  await aiServer.stop();
});

async function plannedCall() {
  const meetingId = meetingNumber++;
  const start = new Date(Date.now() - 2 * 3600_000);
  const created = await instances[0]!.call("alice", "POST", "/events", {
    title: "Point déploiement — Dupont SA",
    start: start.toISOString(),
    end: new Date(start.getTime() + 3600_000).toISOString(),
    timeZone: "Europe/Paris",
    conference: { provider: "zoom", meetingId: String(meetingId) },
  });
  expect(created.status).toBe(201);
  const meeting = zoom.recordings.addRecording({
    account: sandboxAccounts[0]!,
    meetingId,
    topic: "Point déploiement",
    startTime: new Date(start.getTime() + 60_000),
    durationMinutes: 1,
    vtt,
    participants: [{ name: "Marie Dupont", email: "marie@dupont.fr" }],
  });
  return { eventId: created.body.id as string, meeting };
}

async function statusOf(eventId: string) {
  return (await instances[1]!.call("alice", "GET", `/events/${eventId}/summary`)).body.status as string;
}

/** Waits until no summary job is queued, retried or running, so nothing more can happen. */
async function queueDrained() {
  const { schema, pool } = instances[0]!;
  await expect
    .poll(
      async () =>
        (
          await pool.query(
            `select count(*)::int as count from "${schema}_jobs".job where name = any($1) and state < 'completed'`,
            // The host's hooks are told by jobs of their own, queued when the summary is stored.
            [[jobQueues.callSummary, jobQueues.hostNotification]],
          )
        ).rows[0].count,
      { timeout: 60_000, interval: 200 },
    )
    .toBe(0);
}

/** The generate requests, and whether any prompt went out twice (a second run sends the same ones). */
function aiRuns() {
  const prompts = ai.requests.filter((request) => request.path === "/ai/generate").map((r) => r.q);
  return { requests: prompts.length, distinct: new Set(prompts).size };
}

describe("one run per call, across three worker instances", () => {
  it("downloads, summarizes and tells the host once for both Zoom events delivered 20 times each", async () => {
    const { eventId, meeting } = await plannedCall();
    const downloadsBefore = zoom.recordings.stats.downloads;
    // Slow enough that the job outlives its 2-second expiry and pg-boss hands it out again.
    ai.respondSlowly({ firstTokenMs: 2_500, tokenMs: 1 });
    const at = Date.now();
    const bodies = Array.from({ length: 20 }, (_, index) => [
      zoom.recordings.recordingCompletedEvent(meeting, new Date(at + index)),
      zoom.recordings.transcriptCompletedEvent(meeting, new Date(at + index)),
    ]).flat();
    const statuses = await Promise.all(
      bodies.map((body, index) =>
        zoom.recordings
          .deliver(`${instances[index % 3]!.baseUrl}/webhooks/zoom`, secretToken, body)
          .then((response) => response.status),
      ),
    );
    expect(statuses).toEqual(Array(40).fill(204));

    await expect.poll(() => statusOf(eventId), { timeout: 60_000, interval: 200 }).toBe("ready");
    await queueDrained();

    expect(zoom.recordings.stats.downloads - downloadsBefore).toBe(1);
    const runs = aiRuns();
    expect(runs.requests).toBeGreaterThan(0);
    expect(runs.distinct).toBe(runs.requests);
    const { rows } = await instances[0]!.pool.query(
      `select count(*)::int as count, min(attempts) as attempts from "${instances[0]!.schema}".summaries
        where source_key = $1`,
      [meeting.uuid],
    );
    expect(rows[0]).toEqual({ count: 1, attempts: 1 });
    // The one job did run past its expiry and was handed out again, and its retries found the run going.
    const jobs = await instances[0]!.pool.query(
      `select retry_count from "${instances[0]!.schema}_jobs".job where name = $1 and singleton_key = $2`,
      [jobQueues.callSummary, eventId],
    );
    expect(jobs.rows).toHaveLength(1);
    expect(jobs.rows[0].retry_count).toBeGreaterThan(0);
    expect(told.summaryReady.map((subject) => subject.eventId)).toEqual([eventId]);
    expect(told.actionItems.map((subject) => subject.eventId)).toEqual([eventId]);
    for (const instance of instances) expect(instance.errors).toEqual([]);
  }, 120_000);

  it("stops a run whose lock went with its database connection, and writes the summary once", async () => {
    await ai.reset();
    told.summaryReady.length = 0;
    told.actionItems.length = 0;
    const { eventId, meeting } = await plannedCall();
    ai.respondSlowly({ firstTokenMs: 1_500, tokenMs: 1 });
    await zoom.recordings.deliver(
      `${instances[0]!.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    const { pool } = instances[0]!;
    // The session holding the run's advisory lock (its 64-bit key is split over classid and objid).
    const holder = async () =>
      (
        await pool.query(
          `select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1
              and ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
          [`crm-agenda:summary:${eventId}`],
        )
      ).rows[0]?.pid as number | undefined;
    await expect.poll(holder, { timeout: 20_000, interval: 50 }).toBeDefined();
    await expect.poll(() => ai.generateCount(), { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
    await pool.query("select pg_terminate_backend($1)", [await holder()]);

    await expect.poll(() => statusOf(eventId), { timeout: 60_000, interval: 200 }).toBe("ready");
    await queueDrained();
    const { rows } = await pool.query(
      `select count(*)::int as count, min(attempts) as attempts from "${instances[0]!.schema}".summaries
        where source_key = $1`,
      [meeting.uuid],
    );
    expect(rows[0]).toEqual({ count: 1, attempts: 2 });
    // This transcript is one chunk: a run asks twice (the chunk, then the merge). The first run stopped
    // at its first request, the second made both.
    expect(ai.requests.filter((request) => request.path === "/ai/generate")).toHaveLength(3);
    expect(told.summaryReady.map((subject) => subject.eventId)).toEqual([eventId]);
    expect(told.actionItems).toHaveLength(1);
  }, 120_000);

  it("writes a summary again once on concurrent regenerate requests, and retries a failed one", async () => {
    await ai.reset();
    told.summaryReady.length = 0;
    told.actionItems.length = 0;
    const { eventId, meeting } = await plannedCall();
    // Unusable answers twice in a row end the summary as failed.
    ai.answerInvalidJson(2);
    await zoom.recordings.deliver(
      `${instances[2]!.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    await expect.poll(() => statusOf(eventId), { timeout: 60_000, interval: 200 }).toBe("failed");
    await queueDrained();
    expect(told.summaryReady).toHaveLength(0);

    const retried = await Promise.all(
      instances.map((instance) => instance.call("alice", "POST", `/events/${eventId}/summary/regenerate`)),
    );
    expect(retried.map((response) => response.status).sort()).toEqual([202, 409, 409]);
    await expect.poll(() => statusOf(eventId), { timeout: 60_000, interval: 200 }).toBe("ready");
    await queueDrained();
    expect(told.summaryReady.map((subject) => subject.regenerated)).toEqual([false]);

    await ai.reset();
    const again = await Promise.all(
      instances.map((instance) => instance.call("alice", "POST", `/events/${eventId}/summary/regenerate`)),
    );
    expect(again.map((response) => response.status).sort()).toEqual([202, 409, 409]);
    await expect.poll(() => statusOf(eventId), { timeout: 60_000, interval: 200 }).toBe("ready");
    await queueDrained();
    const runs = aiRuns();
    expect(runs.requests).toBeGreaterThan(0);
    expect(runs.distinct).toBe(runs.requests);
    expect(told.summaryReady.map((subject) => subject.regenerated)).toEqual([false, true]);
    expect(told.actionItems).toHaveLength(2);
  }, 120_000);
});
