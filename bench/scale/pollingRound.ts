// One polling round of N connected accounts (a third each Zoom, Google, Microsoft) against the
// sandbox providers, run by two worker instances with a pool of at most 10 connections each: how
// long the round takes, how many statements each account costs, and the most connections held.
// The workers run the built packages (`npm run build` first), as a host installs them; the sandbox
// providers run from source, as they stand in for services no host installs from us.
// Run: pnpm bench:scale   (SIZES=1000,5000 by default; DATABASE_URL to use a running Postgres)
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startDatabase } from "@crm-agenda/sandbox";
import pg from "pg";
// Only to write the seeded rows as the agenda's OAuth callback writes them (the package does not export
// its cipher); nothing measured runs it.
import {
  createTokenCipher,
  parseEncryptionKeys,
} from "../../packages/agenda-server/src/connections/tokenCipher";
import { builtServer } from "../builtServer";

const sizes = (process.env.SIZES ?? "1000,5000").split(",").map(Number);
const workers = 2;
const providers = ["zoom", "google", "microsoft"] as const;
type ProviderId = (typeof providers)[number];
const dataDir = process.env.DATABASE_URL ? "" : mkdtempSync(join(tmpdir(), "crm-agenda-scale-pg-"));
const database = await startDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  databaseName: "agenda_scale",
  log: () => {},
});
const pool = new pg.Pool({ connectionString: database.url, max: 4, application_name: "scale-bench" });
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const execArgv = ["--import", "tsx"];
builtServer();

/** Sends a message to a child and waits for its answer. */
function ask<T>(child: ChildProcess, message?: object): Promise<T> {
  const answer = new Promise<T>((resolve) => child.once("message", resolve as never));
  if (message) child.send(message);
  return answer;
}

/** The authorization-code flow against a sandbox that consents at once for `login_hint`. */
async function accessToken(authorize: string, token: string, email: string, basic: boolean): Promise<string> {
  const redirect = "http://127.0.0.1:9/callback";
  const start = await fetch(
    `${authorize}?response_type=code&client_id=bench&redirect_uri=${encodeURIComponent(redirect)}&login_hint=${encodeURIComponent(email)}&state=s`,
    { redirect: "manual" },
  );
  const code = new URL(start.headers.get("location")!).searchParams.get("code")!;
  const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect });
  if (!basic) {
    form.set("client_id", "bench");
    form.set("client_secret", "bench-secret");
  }
  const response = await fetch(token, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic && { authorization: `Basic ${Buffer.from("bench:bench-secret").toString("base64")}` }),
    },
    body: form,
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface Round {
  size: number;
  round: string;
  seconds: number;
  jobs: number;
  failed: number;
  queriesPerAccount: number;
  peakConnections: number[];
}
const rounds: Round[] = [];

for (const size of sizes) {
  const schema = `scale_${size}`;
  await pool.query(
    `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
  );
  const provider = fork(here("./providerProcess.ts"), [String(size)], { execArgv });
  const urls = await ask<Record<"zoom" | "google" | "graph", string>>(provider);
  const keys = `k1:${randomBytes(32).toString("base64")}`;
  const cipher = createTokenCipher(parseEncryptionKeys(keys));

  // Each account connected as a user would, through the provider's OAuth flow; the rows and their
  // sealed tokens are then written directly, as the agenda's callback writes them.
  const seedStarted = performance.now();
  const endpoints: Record<ProviderId, { authorize: string; token: string; basic: boolean }> = {
    zoom: { authorize: `${urls.zoom}/oauth/authorize`, token: `${urls.zoom}/oauth/token`, basic: true },
    google: { authorize: `${urls.google}/o/oauth2/v2/auth`, token: `${urls.google}/token`, basic: false },
    microsoft: {
      authorize: `${urls.graph}/common/oauth2/v2.0/authorize`,
      token: `${urls.graph}/common/oauth2/v2.0/token`,
      basic: false,
    },
  };
  const accounts = Array.from({ length: size }, (_, index) => ({
    index,
    id: randomUUID(),
    provider: providers[index % 3]!,
    sealed: "",
  }));
  await eachLimited(accounts, 16, async (account) => {
    const endpoint = endpoints[account.provider];
    const token = await accessToken(
      endpoint.authorize,
      endpoint.token,
      `user${account.index}@bench.test`,
      endpoint.basic,
    );
    account.sealed = cipher.seal(token, `crm-agenda:connection:${account.id}:access`);
  });

  // Started one after the other: two pg-boss instances creating their schema at the same moment race.
  const instances: ChildProcess[] = [];
  for (let index = 0; index < workers; index++) {
    const instance = fork(
      here("./workerProcess.ts"),
      [database.url, schema, `scale-worker-${index + 1}`, JSON.stringify(urls)],
      { execArgv, env: { ...process.env, BENCH_ENCRYPTION_KEYS: keys } },
    );
    await ask(instance);
    instances.push(instance);
  }
  await pool.query(
    `insert into "${schema}".connections (id, tenant_id, user_id, provider, account_id, account_email,
        access_token_sealed, access_token_expires_at)
     select id, 'acme', 'user' || n, provider, 'acct-' || n, 'user' || n || '@bench.test', sealed,
        now() + interval '55 minutes'
       from unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) as t(id, n, provider, sealed)`,
    [
      accounts.map((account) => account.id),
      accounts.map((account) => account.index),
      accounts.map((account) => account.provider),
      accounts.map((account) => account.sealed),
    ],
  );
  await pool.query(
    `insert into "${schema}".calendar_syncs (connection_id, tenant_id, user_id, provider, calendar_id, push_crm_events)
     select id, tenant_id, user_id, provider, case provider when 'google' then 'primary' else '' end, true
       from "${schema}".connections where provider in ('google', 'microsoft')`,
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const callPolled = accounts.filter((account) => account.provider !== "microsoft").length;
  const calendars = accounts.filter((account) => account.provider !== "zoom").length;

  for (const round of ["first: full calendar syncs", "next: calendar deltas"]) {
    await pool.query(`update "${schema}".calendar_syncs set next_run_at = null`);
    const before = await Promise.all(
      instances.map((instance) => ask<{ queries: number }>(instance, { ask: "count" })),
    );
    const peak = instances.map(() => 0);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await pool.query<{ name: string; count: number }>(
          `select application_name as name, count(*)::int as count from pg_stat_activity
            where application_name like 'scale-worker-%' group by 1`,
        );
        for (const row of rows) {
          const index = Number(row.name.slice("scale-worker-".length)) - 1;
          peak[index] = Math.max(peak[index]!, row.count);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const { rows: clock } = await pool.query<{ now: Date }>("select now()");
    const startedAt = clock[0]!.now;
    const started = performance.now();
    await ask(instances[0]!, { ask: "tick" });
    let done = { polled: 0, synced: 0, failed: 0 };
    while (done.polled + done.synced + done.failed < callPolled + calendars) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rows } = await pool.query<typeof done>(
        `select (select count(*)::int from "${schema}_jobs".job
                  where name = 'agenda.call-poll-connection' and state = 'completed' and created_on >= $1) as polled,
                (select count(*)::int from "${schema}".calendar_syncs where last_success_at >= $1) as synced,
                (select count(*)::int from "${schema}_jobs".job
                  where name in ('agenda.call-poll-connection', 'agenda.calendar-sync') and state = 'failed'
                    and created_on >= $1)
                + (select count(*)::int from "${schema}".calendar_syncs where last_error_at >= $1) as failed`,
        [startedAt],
      );
      done = rows[0]!;
      if (performance.now() - started > 20 * 60_000)
        throw new Error(`round stuck at ${JSON.stringify(done)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const after = await Promise.all(
      instances.map((instance) =>
        ask<{ queries: number; errors: number; firstError: string }>(instance, { ask: "count" }),
      ),
    );
    const queries = after.reduce((sum, counts, index) => sum + counts.queries - before[index]!.queries, 0);
    for (const counts of after)
      if (counts.errors) console.error(`worker errors: ${counts.errors}, first: ${counts.firstError}`);
    rounds.push({
      size,
      round,
      seconds,
      jobs: callPolled + calendars,
      failed: done.failed,
      queriesPerAccount: queries / size,
      peakConnections: peak,
    });
    console.error(
      `${size} accounts (seeded in ${seedSeconds.toFixed(0)} s), ${round}: ${seconds.toFixed(1)} s`,
    );
  }
  await Promise.all(instances.map((instance) => ask(instance, { ask: "stop" })));
  for (const instance of instances) instance.kill();
  provider.kill();
  await pool.query(
    `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
  );
}

const target = 600;
const header = [
  "accounts",
  "round",
  "jobs",
  "failed",
  "round (s)",
  "ms per account",
  "queries per account",
  "peak connections (per worker)",
  `5,000 in 10 min?`,
];
const lines = rounds.map((round) => [
  round.size.toLocaleString("en"),
  round.round,
  String(round.jobs),
  String(round.failed),
  round.seconds.toFixed(1),
  ((round.seconds * 1000) / round.size).toFixed(1),
  round.queriesPerAccount.toFixed(1),
  round.peakConnections.join(" + "),
  round.size === 5000 ? (round.seconds <= target ? "yes" : "no") : "",
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...lines.map((line) => line[column]!.length)),
);
const row = (cells: string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
console.log([row(header), row(widths.map((width) => "-".repeat(width))), ...lines.map(row)].join("\n"));
for (const round of rounds.filter((candidate) => candidate.size === sizes[0])) {
  const largest = rounds.find(
    (candidate) => candidate.size === sizes.at(-1) && candidate.round === round.round,
  );
  if (!largest || largest === round) continue;
  const timeRatio = largest.seconds / largest.size / (round.seconds / round.size);
  const queryRatio = largest.queriesPerAccount / round.queriesPerAccount;
  console.log(
    `${round.round}: per account, ${largest.size} accounts cost ${timeRatio.toFixed(2)}× the time and ` +
      `${queryRatio.toFixed(2)}× the queries of ${round.size} (1.00 is linear)`,
  );
}
await pool.end();
await database.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
