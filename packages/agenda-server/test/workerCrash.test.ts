import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createAiService, createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const secretToken = "zoom-webhook-secret-for-crash-tests";
const encryptionKeys = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const jobs = { timeoutSeconds: 4, maintenanceIntervalSeconds: 1, retryDelaySeconds: 1, retryLimit: 5 };
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const ai = createAiService();
let zoomServer: RunningSandbox;
let aiServer: { url: string; stop(): Promise<void> };
let web: Awaited<ReturnType<typeof startTestAgenda>>;
const workers: ChildProcess[] = [];

/** A worker instance in its own process, sharing the web instance's database and schema. */
async function startWorker(): Promise<ChildProcess> {
  const worker = spawn(
    process.execPath,
    [
      "--conditions=@crm-agenda/source",
      "--import",
      "tsx",
      new URL("./jobWorker.ts", import.meta.url).pathname,
    ],
    {
      env: {
        ...process.env,
        WORKER_CONFIG: JSON.stringify({
          databaseUrl: inject("databaseUrl"),
          schema: web.schema,
          providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
          encryptionKeys,
          publicUrl: web.baseUrl,
          ai: { baseUrl: aiServer.url, idleTimeoutMs: 60_000 },
          jobs,
        }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  workers.push(worker);
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: worker.stdout! }).on("line", (line) => line === "ready" && resolve());
    worker.once("exit", (code) => reject(new Error(`the worker exited early (${code})`)));
  });
  return worker;
}

beforeAll(async () => {
  zoomServer = await zoom.start();
  aiServer = await ai.start({ port: 0 });
  web = await startTestAgenda({
    runJobs: false,
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
    encryptionKeys,
    ai: { baseUrl: aiServer.url },
    polling: false,
    jobs,
  });
  await connectAccount(web.baseUrl, "zoom", "alice", "acct-alice");
}, 60_000);
afterAll(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await web.stop();
  await zoomServer.stop();
  await aiServer.stop();
});

describe("a worker killed in the middle of a summary", () => {
  it("leaves the job to another worker, which writes the one summary", async () => {
    const start = new Date(Date.now() - 3600_000);
    const event = await web.call("alice", "POST", "/events", {
      title: "Revue trimestrielle",
      start: start.toISOString(),
      end: new Date(start.getTime() + 3600_000).toISOString(),
      timeZone: "Europe/Paris",
      conference: { provider: "zoom", meetingId: "91000000001" },
    });
    const meeting = zoom.recordings.addRecording({
      account: sandboxAccounts[0]!,
      meetingId: 91000000001,
      topic: "Revue trimestrielle",
      startTime: start,
      durationMinutes: 3,
      vtt: "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nMarie Dupont: On a décidé de renouveler le contrat.\n\n2\n00:00:06.000 --> 00:00:09.000\nAlice Martin: Je vais envoyer l'avenant vendredi.\n",
      participants: [{ name: "Marie Dupont" }],
    });
    // The AI service answers slowly enough for the first worker to die in the middle.
    ai.respondSlowly({ firstTokenMs: 20_000 });
    const first = await startWorker();
    await zoom.recordings.deliver(
      `${web.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    const status = async () =>
      (await web.call("alice", "GET", `/events/${event.body.id}/summary`)).body.status;
    await expect.poll(status, { timeout: 20_000, interval: 100 }).toBe("in_progress");
    first.kill("SIGKILL");

    ai.respondSlowly({ firstTokenMs: 0, tokenMs: 0 });
    await startWorker();
    await expect.poll(status, { timeout: 45_000, interval: 250 }).toBe("ready");
    const summary = (await web.call("alice", "GET", `/events/${event.body.id}/summary`)).body;
    expect(summary.summary.executiveSummary.length).toBeGreaterThan(0);
    const { rows } = await web.pool.query(`select count(*)::int as count from "${web.schema}".summaries`);
    expect(rows[0].count).toBe(1);
  }, 90_000);
});
