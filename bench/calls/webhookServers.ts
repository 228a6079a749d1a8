// The two servers the webhook bench loads, in a process of their own so the load generator does
// not share their event loop. Prints their URLs as one JSON line, then serves until stdin closes. The
// agenda is the built package (packages/agenda-server/dist), as a host installs it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDatabase } from "@crm-agenda/sandbox";
import express from "express";
import pg from "pg";
import { importBuiltServer } from "../builtServer";
import { listen } from "../hostAgenda";

const { createAgenda } = await importBuiltServer();

export const secretToken = "bench-secret";

const dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-bench-"));
const database = await startDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(dataDir, "pg") });
const pool = new pg.Pool({ connectionString: database.url });
// The embedded server is stopped when this process exits, which can end idle connections before the
// pool is closed; that is no error of the bench.
pool.on("error", () => {});
const agenda = createAgenda({
  database: pool,
  schema: "bench_webhooks",
  auth: () => null,
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  providers: {
    zoom: {
      clientId: "bench",
      clientSecret: "bench",
      webhookSecretToken: secretToken,
      baseUrl: "http://127.0.0.1:9",
    },
  },
  encryptionKeys: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  publicUrl: "http://127.0.0.1/api/agenda",
  polling: false,
});
await agenda.start();
const agendaApp = express();
agendaApp.use("/api/agenda", agenda.router);
const agendaServer = await listen(agendaApp);

const bareApp = express();
bareApp.post("/webhook", express.raw({ type: "*/*" }), (_req, res) => {
  res.status(204).end();
});
const bareServer = await listen(bareApp);

console.log(
  JSON.stringify({
    agenda: `${agendaServer.url}/api/agenda/webhooks/zoom`,
    bare: `${bareServer.url}/webhook`,
  }),
);

// The load generator closes our stdin when it is done: an orderly stop (servers, agenda, pool, then
// the database), where a signal would also reach embedded PostgreSQL's own handler, which stops the
// database under jobs still running.
process.stdin.resume();
process.stdin.once("end", async () => {
  await agendaServer.close();
  await bareServer.close();
  await agenda.stop();
  await pool.end();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
