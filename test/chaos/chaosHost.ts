// A CRM server process with the agenda mounted, for the chaos tests: the test breaks its database
// under it and asks afterwards whether it is still alive. A web instance serves the router (and works
// on jobs unless `runJobs` is false); a worker instance only works on jobs. Configured through
// CHAOS_HOST (JSON); it reports on stdout, one JSON line each: `ready`, every summary hook, every
// error the agenda hands to onError.
import type { AddressInfo } from "node:net";
import { type AgendaOptions, createAgenda } from "@crm-agenda/server";
import express from "express";
import pg from "pg";

interface HostConfig {
  databaseUrl: string;
  schema: string;
  web: boolean;
  port?: number;
  options: Pick<AgendaOptions, "providers" | "encryptionKeys" | "publicUrl" | "ai" | "jobs" | "runJobs">;
}

const config = JSON.parse(process.env.CHAOS_HOST ?? "{}") as HostConfig;
const report = (line: Record<string, unknown>) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const people: Record<string, { userId: string; tenantId: string; email: string }> = {
  alice: { userId: "alice", tenantId: "acme", email: "alice@acme.test" },
};

// The host's own pool, as a CRM has one, with no error listener of its own: whatever the agenda
// does with it must not take this process down when the database goes away.
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
const agenda = createAgenda({
  ...config.options,
  database: pool,
  schema: config.schema,
  auth: (req) => people[req.header("x-test-user") ?? ""] ?? null,
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  polling: false,
  hooks: {
    onSummaryReady: ({ eventId, regenerated }) => report({ hook: "summaryReady", eventId, regenerated }),
  },
  onError: (error) => report({ error: error instanceof Error ? error.message : String(error) }),
});
await agenda.start();

let port = 0;
if (config.web) {
  const app = express();
  app.use("/api/agenda", agenda.router);
  const server = app.listen(config.port ?? 0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
}
report({ ready: true, port, pid: process.pid });
