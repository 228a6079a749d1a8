// Full sync of N Google and N Graph events from the sandbox into the real Postgres, then an
// incremental sync of 100 changes: events per second, the peak heap of the syncing process, and the
// heap after a forced GC (during the run and once it ends), which is what the sync really holds.
// It drives the sync engine itself, which the package does not export, so it runs our source.
// Run: pnpm bench:sync   (DATABASE_URL to use a running Postgres; an embedded one otherwise)
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startDatabase } from "@crm-agenda/sandbox";
import pg from "pg";
import type { ConnectionService } from "../../packages/agenda-server/src/connections/connectionService";
import { runMigrations } from "../../packages/agenda-server/src/db/migrate";
import { createGoogleCalendar } from "../../packages/agenda-server/src/providers/google/googleCalendar";
import { createMicrosoftCalendar } from "../../packages/agenda-server/src/providers/microsoft/microsoftCalendar";
import { createOAuthProviders } from "../../packages/agenda-server/src/providers/oauthProviders";
import { type SyncContext, syncConnection } from "../../packages/agenda-server/src/sync/syncConnection";

const sizes = (process.env.SIZES ?? "2500,5000,10000").split(",").map(Number);
const dataDir = process.env.DATABASE_URL ? "" : mkdtempSync(join(tmpdir(), "crm-agenda-bench-pg-"));
const database = await startDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  databaseName: "agenda_bench",
  log: () => {},
});
const pool = new pg.Pool({ connectionString: database.url, max: 10 });

const child = fork(fileURLToPath(new URL("./providerProcess.ts", import.meta.url)), {
  execArgv: ["--conditions=@crm-agenda/source", "--import", "tsx"],
});
const nextMessage = () =>
  new Promise<Record<string, string>>((resolve) => child.once("message", resolve as never));
const urls = await nextMessage();
const ask = async (message: object) => {
  const answer = nextMessage();
  child.send(message);
  await answer;
};

async function token(authorizeBase: string, tokenUrl: string): Promise<string> {
  const redirect = "http://127.0.0.1:9/callback";
  const authorize = await fetch(
    `${authorizeBase}?response_type=code&client_id=bench&redirect_uri=${encodeURIComponent(redirect)}&login_hint=bench@acme.test&state=s`,
    { redirect: "manual" },
  );
  const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirect,
      client_id: "bench",
      client_secret: "bench-secret",
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

const providers = createOAuthProviders({
  google: { clientId: "bench", clientSecret: "bench-secret", baseUrl: urls.google! },
  microsoft: { clientId: "bench", clientSecret: "bench-secret", baseUrl: urls.graph! },
});
const tokens = {
  google: await token(`${urls.google}/o/oauth2/v2/auth`, `${urls.google}/token`),
  microsoft: await token(
    `${urls.graph}/common/oauth2/v2.0/authorize`,
    `${urls.graph}/common/oauth2/v2.0/token`,
  ),
};

const results: string[] = [];
let seeded = 0;
for (const size of sizes) {
  await ask({ seed: size - seeded });
  seeded = size;
  for (const provider of ["google", "microsoft"] as const) {
    const schema = `bench_${provider}_${size}`;
    await pool.query(`drop schema if exists "${schema}" cascade`);
    await runMigrations(pool, schema);
    const connectionId = crypto.randomUUID();
    await pool.query(
      `insert into "${schema}".connections (id, tenant_id, user_id, provider, account_id, account_email, access_token_sealed)
       values ($1, 'acme', 'bench', $2, 'acct-bench', 'bench@acme.test', 'unused')`,
      [connectionId, provider],
    );
    await pool.query(
      `insert into "${schema}".calendar_syncs (connection_id, tenant_id, user_id, provider, calendar_id)
       values ($1, 'acme', 'bench', $2, $3)`,
      [connectionId, provider, provider === "google" ? "primary" : ""],
    );
    const context: SyncContext = {
      pool,
      schema,
      connections: { accessToken: async () => tokens[provider] } as unknown as ConnectionService,
      calendars: {
        google: createGoogleCalendar(providers.google!),
        microsoft: createMicrosoftCalendar(providers.microsoft!),
      },
      clients: {
        async findByEmails(_tenantId, emails) {
          return emails
            .filter((email) => email.startsWith("client1"))
            .map((email) => ({ id: email, name: email, emails: [email] }));
        },
        async search() {
          return [];
        },
        async get() {
          return null;
        },
      },
      now: () => new Date(),
      window: { pastDays: 90, futureDays: 2000 },
      pollIntervalMs: 15 * 60_000,
    };
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    // What the sync really holds: the heap right after a forced collection, every 100 ms of the run.
    let live = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 10);
    const liveSampler = setInterval(() => {
      global.gc?.();
      live = Math.max(live, process.memoryUsage().heapUsed);
    }, 100);
    const started = performance.now();
    const full = await syncConnection(connectionId, context);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    clearInterval(liveSampler);
    global.gc?.();
    const retained = process.memoryUsage().heapUsed;
    const { rows } = await pool.query(`select count(*)::int as count from "${schema}".events`);
    if (rows[0].count !== size || full?.upserted !== size)
      throw new Error(`${provider}: ${rows[0].count} events synced of ${size}`);
    const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);
    const rate = Math.round(size / seconds).toString();
    results.push(
      `${provider.padEnd(9)} full sync ${String(size).padStart(6)} events: ` +
        `${(seconds * 1000).toFixed(0).padStart(6)} ms, ${rate.padStart(6)} events/s, ` +
        `peak heap +${megabytes(peak - baseline)} MB, ` +
        `after GC: at most +${megabytes(live - baseline)} MB during, +${megabytes(retained - baseline)} MB after`,
    );
    if (size === sizes.at(-1)) {
      await ask({ change: 100 });
      const incrementalStarted = performance.now();
      const incremental = await syncConnection(connectionId, context);
      const incrementalMs = performance.now() - incrementalStarted;
      results.push(
        `${provider.padEnd(9)} incremental sync of ${incremental?.upserted} changes: ${incrementalMs.toFixed(0)} ms`,
      );
    }
    await pool.query(`drop schema if exists "${schema}" cascade`);
  }
}
console.log(results.join("\n"));
child.kill();
await pool.end();
await database.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
