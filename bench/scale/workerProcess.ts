// One worker instance of the agenda, as a host would run it: its own process and its own pool of at
// most 10 connections, running the built package (packages/agenda-server/dist). Every statement it
// sends is counted, whoever sends it (the agenda or pg-boss).
import pg from "pg";
import { importBuiltServer } from "../builtServer";

const { createAgenda } = await importBuiltServer();

const [databaseUrl, schema, name, urlsJson] = process.argv.slice(2) as [string, string, string, string];
const urls = JSON.parse(urlsJson) as Record<"zoom" | "google" | "graph", string>;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: name });
let queries = 0;
pool.on("connect", (client) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    queries++;
    return query(...args);
  }) as typeof client.query;
});
let errors = 0;
let firstError = "";
const client = { clientId: "bench", clientSecret: "bench-secret" };
const agenda = createAgenda({
  database: pool,
  schema,
  auth: () => null,
  clients: {
    findByEmails: async () => [],
    search: async () => [],
    get: async () => null,
  },
  providers: {
    zoom: { ...client, baseUrl: urls.zoom },
    google: { ...client, baseUrl: urls.google },
    microsoft: { ...client, baseUrl: urls.graph },
  },
  encryptionKeys: process.env.BENCH_ENCRYPTION_KEYS!,
  publicUrl: "http://127.0.0.1:9/agenda",
  ai: { baseUrl: "http://127.0.0.1:9" },
  polling: false,
  calendarSync: { push: false, pollIntervalMinutes: 10 },
  onError: (error) => {
    errors++;
    firstError ||= error instanceof Error ? error.message : String(error);
  },
});
await agenda.start();
// The minute's calendar tick would start syncs in the middle of a measured round: rounds are started by hand.
await agenda.queue.unschedule("agenda.calendar-poll");

process.on("message", async (message: { ask: "count" | "tick" | "stop" }) => {
  if (message.ask === "tick") {
    // Ticks sent by hand start every connection's job at once: the round runs as fast as the workers go.
    await agenda.queue.send("agenda.call-poll", {});
    await agenda.queue.send("agenda.calendar-poll", {});
  }
  if (message.ask === "stop") {
    await agenda.stop();
    await pool.end();
  }
  process.send?.({ queries, errors, firstError });
  if (message.ask === "stop") process.exit(0);
});
process.send?.({ ready: true });
