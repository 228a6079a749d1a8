// Availability for a month over 2,000 events in three calendars, and bookings at 50 concurrent
// requests, through the router over HTTP on loopback (so the figures include Express and JSON). The
// booking clients run in a thread of their own (bookingClient.mjs). Targets: availability < 50 ms,
// booking p99 < 30 ms.
// The server is the built package (packages/agenda-server/dist), as a host installs it: run
// `npm run build` first.
// Run: npm run bench:booking   (ROUNDS=10 by default; DATABASE_URL to use a running Postgres)
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { startDatabase } from "@crm-agenda/sandbox";
import express from "express";
import pg from "pg";
import type { createAgenda as CreateAgenda } from "../../packages/agenda-server/src/index";
import { builtServer } from "../builtServer";

const { createAgenda } = (await import(builtServer().href)) as { createAgenda: typeof CreateAgenda };

const rounds = Number(process.env.ROUNDS ?? 10);
const concurrency = 50;
const dataDir = process.env.DATABASE_URL ? "" : mkdtempSync(join(tmpdir(), "crm-agenda-booking-pg-"));
const database = await startDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  databaseName: "agenda_booking",
  log: () => {},
});
// The pool a host would give: pg's default of 10 connections.
const pool = new pg.Pool({ connectionString: database.url, max: 10, application_name: "booking-bench" });
const schema = `bench_${Date.now()}`;
const agenda = createAgenda({
  database: pool,
  schema,
  auth: (req) => {
    const userId = req.header("x-user") ?? "alice";
    return { userId, tenantId: "acme", email: `${userId}@acme.test` };
  },
  clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
  // Calendar sync on, as a host has it: each booking queues its push to the user's Google calendar
  // (workers off, so only the queueing is measured).
  polling: false,
  runJobs: false,
});
await agenda.start();
const app = express();
// The server's time for each booking, as a host's own request timer would see it.
const serverTimes: number[] = [];
app.use((req, res, next) => {
  const arrived = performance.now();
  if (req.method === "POST") res.once("finish", () => serverTimes.push(performance.now() - arrived));
  next();
});
app.use("/agenda", agenda.router);
const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agenda`;

const workingWeek = {
  timeZone: "Europe/Paris",
  workingHours: {
    monday: [
      { start: "09:00", end: "12:30" },
      { start: "14:00", end: "18:00" },
    ],
    tuesday: [{ start: "09:00", end: "18:00" }],
    wednesday: [{ start: "09:00", end: "18:00" }],
    thursday: [{ start: "09:00", end: "18:00" }],
    friday: [{ start: "09:00", end: "17:00" }],
    saturday: [],
    sunday: [],
  },
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 120,
  dailyCap: 40,
};

async function call(method: string, path: string, user: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "x-user": user, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const day = 86_400_000;
const monthStart = new Date(Math.ceil(Date.now() / day) * day + day);
const monthEnd = new Date(monthStart.getTime() + 31 * day);

/** 2,000 events over the month in three calendars (the CRM's, a Google and an Outlook one), some free. */
async function seed(userId: string) {
  const calendars = [
    { source: "crm", connectionId: null },
    { source: "google", connectionId: randomUUID() },
    { source: "microsoft", connectionId: randomUUID() },
  ];
  const rows = Array.from({ length: 2_000 }, (_, index) => {
    const calendar = calendars[index % 3]!;
    // Spread over the month, 15 to 45 minutes long, a tenth of them free (transparent).
    const start = monthStart.getTime() + Math.floor(Math.random() * 31 * 96) * 15 * 60_000;
    const minutes = 15 + Math.floor(Math.random() * 3) * 15;
    return {
      ...calendar,
      start: new Date(start),
      end: new Date(start + minutes * 60_000),
      busy: index % 10 !== 0,
    };
  });
  await pool.query(
    `insert into "${schema}".events (tenant_id, user_id, title, start_at, end_at, time_zone, source, connection_id,
        external_id, busy)
     select 'acme', $1, 'Seeded', t.start_at, t.end_at, 'Europe/Paris', t.source, t.connection_id, t.external_id, t.busy
       from unnest($2::timestamptz[], $3::timestamptz[], $4::text[], $5::uuid[], $6::text[], $7::boolean[])
         as t(start_at, end_at, source, connection_id, external_id, busy)`,
    [
      userId,
      rows.map((row) => row.start),
      rows.map((row) => row.end),
      rows.map((row) => row.source),
      rows.map((row) => row.connectionId),
      rows.map((row) => (row.connectionId ? randomUUID() : null)),
      rows.map((row) => row.busy),
    ],
  );
  await call("PUT", "/availability/settings", userId, workingWeek);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const figures = (values: number[]) =>
  `median ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (n=${values.length})`;

// The floor on this machine: the lightest authenticated route (one primary-key read) over the same path.
const floor: number[] = [];
for (let run = 0; run < 50; run++) {
  const started = performance.now();
  await call("GET", "/availability/settings", "alice");
  floor.push(performance.now() - started);
}
console.log(`floor, GET /availability/settings: ${figures(floor)}`);
await seed("alice");
const query = `/availability?from=${monthStart.toISOString()}&to=${monthEnd.toISOString()}&duration=30`;
for (let warm = 0; warm < 5; warm++) await call("GET", query, "alice");
const availability: number[] = [];
let slots = 0;
for (let run = 0; run < 50; run++) {
  const started = performance.now();
  const answer = await call("GET", query, "alice");
  availability.push(performance.now() - started);
  slots = answer.body.slots.length;
}
console.log(
  `availability, one month, 2,000 events in 3 calendars (${slots} free slots): ${figures(availability)}`,
);

/**
 * `rounds` rounds of 50 bookings sent at once by clients in another thread, each to a time nobody
 * holds, over kept-alive connections; `users` says whose agendas. Prints what the clients waited and
 * the server's own time (from the request's arrival to its answer's last byte).
 */
async function bookingRounds(label: string, users: string[], firstStart: number) {
  serverTimes.length = 0;
  const loopBefore = performance.eventLoopUtilization();
  const { latencies, refused } = await new Promise<{ latencies: number[]; refused: number }>(
    (resolve, reject) => {
      const clients = new Worker(new URL("./bookingClient.mjs", import.meta.url), {
        workerData: { base, concurrency, rounds, firstStart, users },
      });
      clients.once("message", resolve);
      clients.once("error", reject);
    },
  );
  const loop = performance.eventLoopUtilization(loopBefore);
  // The first round only opened connections.
  const counted = serverTimes.slice(concurrency);
  console.log(`booking, ${concurrency} at once, ${label}:`);
  // The server's own work per round: what its one thread spends reading, checking, writing and
  // answering 50 bookings, whatever the other core is doing.
  console.log(
    `  server thread busy ${(loop.active / (rounds + 1)).toFixed(1)} ms per round of ${concurrency}`,
  );
  console.log(`  client: ${figures(latencies)}${refused ? `, ${refused} refused` : ""}`);
  console.log(`  server: ${figures(counted)}`);
}

const allDay = [{ start: "00:00", end: "24:00" }];
const everyDay = Object.fromEntries(
  Object.keys(workingWeek.workingHours).map((weekday) => [weekday, allDay]),
);
const noBuffers = { ...workingWeek, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyCap: null };
await call("PUT", "/availability/settings", "alice", noBuffers);
const bookers = ["solo", ...Array.from({ length: concurrency }, (_, index) => `user${index}`)];
for (const user of bookers) {
  await call("PUT", "/availability/settings", user, { ...noBuffers, workingHours: everyDay });
}
// A Google calendar for every booker that takes the CRM's events, as after connecting Google.
await pool.query(
  `with made as (
     insert into "${schema}".connections (id, tenant_id, user_id, provider, account_id, account_email,
         access_token_sealed, created_at, updated_at)
     select gen_random_uuid(), 'acme', u, 'google', 'acct-' || u, u || '@acme.test', 'sealed', now(), now() from unnest($1::text[]) as u
     returning id, user_id)
   insert into "${schema}".calendar_syncs (connection_id, tenant_id, user_id, provider, calendar_id,
       push_crm_events, created_at, updated_at)
   select id, 'acme', user_id, 'google', 'primary', true, now(), now() from made`,
  [[...bookers, "alice"]],
);
// One at a time first: the cost of a booking without waiting on others.
const alone: number[] = [];
for (let index = 0; index < concurrency; index++) {
  const at = new Date(monthEnd.getTime() + 2 * day + index * 6 * 60_000);
  at.setUTCHours(8, index * 6, 0, 0);
  const started = performance.now();
  await call("POST", "/bookings", "solo", { start: at.toISOString(), duration: 5, userId: undefined });
  alone.push(performance.now() - started);
}
console.log(`booking, one at a time: ${figures(alone)}`);
const everyone = Array.from({ length: concurrency }, (_, index) => `user${index}`);
await bookingRounds("one user each (50 agendas)", everyone, monthEnd.getTime() + 7 * day);
await bookingRounds("all for one user", ["alice"], monthEnd.getTime() + 7 * day);

await new Promise((resolve) => server.close(resolve));
await agenda.stop();
await pool.query(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`);
await pool.end();
await database.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
