// A host CRM in its own process, for tests that must see whether the agenda can end it: an Express
// app mounting the router, with the host's own pg.Pool (`HOST_CONFIG.database: "pool"`) or a
// connection string. It prints JSON lines: `ready`, each `error` given to onError, and `closed` after
// the `stop` command (read from stdin) ran agenda.stop() then server.close().
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import express from "express";
import pg from "pg";
import { createAgenda } from "../src/index";

const config = JSON.parse(process.env.HOST_CONFIG ?? "{}") as {
  databaseUrl: string;
  database: "pool" | "connection string";
  schema: string;
};
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const describe = (error: unknown): string[] =>
  error instanceof Error ? [error.message, ...(error.cause ? describe(error.cause) : [])] : [String(error)];

const hostPool =
  config.database === "pool" ? new pg.Pool({ connectionString: config.databaseUrl, max: 5 }) : null;
const hostListeners = () => ({
  error: hostPool?.listenerCount("error") ?? 0,
  acquire: hostPool?.listenerCount("acquire") ?? 0,
});
const before = hostListeners();
const agenda = createAgenda({
  database: hostPool ?? config.databaseUrl,
  schema: config.schema,
  auth: (req) => {
    const user = req.header("x-test-user");
    return user ? { userId: user, tenantId: "acme", email: `${user}@acme.test` } : null;
  },
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  ai: { baseUrl: "http://127.0.0.1:9" },
  polling: false,
  jobs: { maintenanceIntervalSeconds: 1 },
  onError: (error) => say({ type: "error", messages: describe(error) }),
});
await agenda.start();
const app = express();
app.use("/api/agenda", agenda.router);
const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
say({ type: "ready", baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/agenda` });

const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line !== "stop") return;
  commands.close();
  process.stdin.destroy();
  (async () => {
    await agenda.stop();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    const after = hostListeners();
    await hostPool?.end();
    say({ type: "closed", listenersBefore: before, listenersAfter: after });
    // Nothing else is done: the process ends by itself once nothing of the agenda holds it open.
  })().catch((error) => {
    say({ type: "stop failed", messages: describe(error) });
    process.exitCode = 1;
  });
});
