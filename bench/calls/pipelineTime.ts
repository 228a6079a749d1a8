// The call-summary pipeline's own time for a 2-hour transcript, with an instant AI stand-in (so the
// AI's time is left out), in the built package as a host installs it (`npm run build` first): a Zoom
// `recording.transcript_completed` webhook reaches the router, and the call's summary job is timed by
// pg-boss's own start and completion stamps (the wait for a worker to fetch it left out): download the
// WebVTT from the sandbox Zoom, parse, chunk, build every prompt, read every answer over HTTP, merge,
// store. Target: under 1 s. The sandbox Zoom runs from source: it stands in for Zoom, which no host
// installs from us.
//
//   npm run bench:calls        (RUNS=7 by default; DATABASE_URL to use a running Postgres)
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createZoomSandbox, startDatabase } from "@crm-agenda/sandbox";
import express from "express";
import pg from "pg";
import { importBuiltServer } from "../builtServer";
import { connectAccount, lastJobRunMs, listen } from "../hostAgenda";

const { createAgenda } = await importBuiltServer();
const runCount = Number(process.env.RUNS ?? 7);
const secretToken = "bench-secret";
const schema = "bench_pipeline";
const account = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };

function twoHourTranscript(): string {
  const speakers = ["Marie Dupont", "Alice Martin", "Paul Lefèvre", "Sophie Leroy"];
  const sentences = [
    "On a validé le budget pour le déploiement à Lyon.",
    "Je vais envoyer la proposition révisée vendredi.",
    "La sécurité des données reste un point à éclaircir avec la DSI.",
    "On part sur l'offre Premium avec la formation incluse.",
    "Il faudra prévoir une démonstration pour l'équipe de Grenoble.",
    "Les délais de livraison dépendent du fournisseur de matériel.",
  ];
  const cues: string[] = [];
  const time = (seconds: number) =>
    `${String(Math.floor(seconds / 3600)).padStart(2, "0")}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.000`;
  for (let index = 0; index < 1_500; index++) {
    const start = index * 4.8;
    cues.push(
      `${index + 1}\n${time(Math.floor(start))} --> ${time(Math.floor(start + 4.5))}\n${speakers[index % 4]}: ${sentences[index % sentences.length]} (${index})`,
    );
  }
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/**
 * The AI service's contract (DESIGN.md, "The call-summary pipeline", step 5) answered at once: one
 * event with a valid summary that cites the first turn the prompt holds, then the final event.
 */
const ai = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://ai");
  if (url.pathname === "/ai/health") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ online: true }));
    return;
  }
  const turn = /\[(T\d{3,})/.exec(url.searchParams.get("q") ?? "")?.[1] ?? "T001";
  const answer = JSON.stringify({
    executiveSummary: "Le client valide l'offre Premium pour Lyon ; la sécurité reste à préciser.",
    keyPoints: [{ text: "Budget validé pour Lyon", turns: [turn] }],
    decisions: [{ text: "Offre Premium retenue", turns: [turn] }],
    actionItems: [
      { text: "Envoyer la proposition révisée", owner: "Alice Martin", due: "vendredi", turns: [turn] },
    ],
  });
  const event = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
  res
    .writeHead(200, { "content-type": "text/event-stream" })
    .end(event({ token: answer, is_final: false }) + event({ token: "", is_final: true }));
});
await new Promise<void>((resolve) => ai.listen(0, "127.0.0.1", resolve));
const aiUrl = `http://127.0.0.1:${(ai.address() as AddressInfo).port}`;

const zoom = createZoomSandbox({
  accounts: [account],
  client: { clientId: "bench", clientSecret: "bench-secret" },
  autoApprove: true,
});
const zoomServer = await zoom.start();
const dataDir = process.env.DATABASE_URL ? "" : mkdtempSync(join(tmpdir(), "crm-agenda-pipeline-pg-"));
const database = await startDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  databaseName: "agenda_pipeline",
  log: () => {},
});
const pool = new pg.Pool({ connectionString: database.url, application_name: "pipeline-bench" });
await pool.query(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`);

const summaries: string[] = [];
const app = express();
const server = await listen(app);
const agenda = createAgenda({
  database: pool,
  schema,
  auth: (req) => (req.header("x-user") ? { userId: "alice", tenantId: "acme", email: account.email } : null),
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  providers: {
    zoom: {
      clientId: "bench",
      clientSecret: "bench-secret",
      baseUrl: zoomServer.url,
      webhookSecretToken: secretToken,
    },
  },
  encryptionKeys: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  publicUrl: `${server.url}/agenda`,
  ai: { baseUrl: aiUrl },
  polling: false,
  calendarSync: false,
  hooks: { onSummaryReady: (subject) => void summaries.push(subject.eventId) },
});
app.use("/agenda", agenda.router);
await agenda.start();
await connectAccount(`${server.url}/agenda`, "zoom", "alice", account.email);

const vtt = twoHourTranscript();
const runs: number[] = [];
for (let run = 0; run < runCount; run++) {
  const meeting = zoom.recordings.addRecording({
    account,
    meetingId: 85_746_350_000 + run,
    topic: "Comité de pilotage",
    startTime: new Date(Date.now() - 3 * 3600_000),
    durationMinutes: 120,
    vtt,
    participants: [
      { name: "Marie Dupont", email: "marie@dupont.fr" },
      { name: "Alice Martin", email: account.email },
    ],
  });
  const delivered = await zoom.recordings.deliver(
    `${server.url}/agenda/webhooks/zoom`,
    secretToken,
    zoom.recordings.transcriptCompletedEvent(meeting),
  );
  if (!delivered.ok) throw new Error(`the webhook was answered ${delivered.status}`);
  const waitStarted = Date.now();
  while (summaries.length <= run) {
    if (Date.now() - waitStarted > 120_000) throw new Error(`no summary for run ${run + 1} in 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  runs.push(await lastJobRunMs(pool, schema, "agenda.call-summary"));
}
runs.sort((a, b) => a - b);
console.log(
  `Call-summary pipeline, 2-hour transcript (1,500 cues, ${Math.round(vtt.length / 1024)} KB), instant AI stand-in, built package`,
);
console.log(
  `median ${runs[Math.floor(runs.length / 2)]!.toFixed(1)} ms, best ${runs[0]!.toFixed(1)} ms, worst ${runs.at(-1)!.toFixed(1)} ms over ${runs.length} runs (target < 1000 ms)`,
);

await agenda.stop();
await server.close();
await pool.end();
await zoomServer.stop();
await new Promise((resolve) => ai.close(resolve));
await database.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
