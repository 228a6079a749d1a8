import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "@crm-agenda/sandbox";
import { afterAll, describe, expect, it } from "vitest";

const repositoryRoot = resolve(import.meta.dirname, "../../..");
const dataDirs: string[] = [];
const started: ChildProcess[] = [];

afterAll(async () => {
  // A demo a failed test left running is stopped the clean way, so its PostgreSQL goes too.
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = exitCode(child);
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** A data folder the postgres user can enter, so the embedded database stays inside it and goes with it. */
function demoDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-demo-stop-"));
  chmodSync(dataDir, 0o755);
  dataDirs.push(dataDir);
  return dataDir;
}

/** Resolves with the output so far once the demo prints its banner; rejects if it exits before. */
function banner(child: ChildProcess, output: { text: string }): Promise<void> {
  return new Promise((resolveBanner, reject) => {
    const read = (chunk: Buffer) => {
      output.text += chunk.toString("utf8");
      if (output.text.includes("Press Ctrl+C to stop.")) resolveBanner();
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) =>
      reject(new Error(`the demo exited before serving (${code}):\n${output.text}`)),
    );
  });
}

function exitCode(child: ChildProcess): Promise<number | string> {
  return new Promise((resolveExit) =>
    child.once("exit", (code, signal) => resolveExit(code ?? String(signal))),
  );
}

/** What a clean stop never prints: a stack frame, a package manager's failure. */
const failureTraces = /^\s+at |ELIFECYCLE|ERR_PNPM|Unhandled|Error:/m;

// util-linux `script` gives `npm run demo` a terminal, where Ctrl-C is a key the terminal turns into
// SIGINT for the whole foreground group (npm, its sh, the demo) unless the program reads it raw.
const hasScript = process.platform === "linux" && spawnSync("script", ["--version"]).status === 0;

describe("stopping the demo", () => {
  it.runIf(hasScript)(
    "`npm run demo` in a terminal stops on Ctrl-C with exit code 0 and no stack trace, PostgreSQL last",
    async () => {
      const port = await freePort();
      const child = spawn("script", ["--quiet", "--return", "--command", "npm run demo", "/dev/null"], {
        cwd: repositoryRoot,
        env: { ...process.env, PORT: String(port), AGENDA_DATA_DIR: demoDataDir() },
        stdio: ["pipe", "pipe", "pipe"],
      });
      started.push(child);
      const output = { text: "" };
      await banner(child, output);
      expect((await fetch(`http://localhost:${port}/demo/api/me`)).status).toBe(200);
      const exited = exitCode(child);
      child.stdin?.write("\x03");
      expect(await exited).toBe(0);
      const stopping = output.text.slice(output.text.indexOf("Press Ctrl+C to stop."));
      expect(stopping).toContain("stopping the demo");
      expect(stopping).not.toMatch(failureTraces);
      // Nothing lost its database under it: PostgreSQL stopped after every connection had closed.
      expect(stopping).not.toContain("terminating connection");
      await expect(fetch(`http://localhost:${port}/demo/api/me`)).rejects.toThrow();
    },
    120_000,
  );

  it.each([
    ["SIGTERM to it", "SIGTERM", "SIGTERM: stopping the demo"],
    // What a terminal without raw mode, or a supervisor, does: every process of the group has it.
    ["SIGINT to its whole process group", "SIGINT", "Ctrl-C: stopping the demo"],
  ] as const)(
    "stops on %s with exit code 0 and no stack trace",
    async (_, signal, announced) => {
      const port = await freePort();
      const child = spawn(process.execPath, ["scripts/workspace.mjs", "demo"], {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          PORT: String(port),
          AGENDA_DATA_DIR: demoDataDir(),
          // No AI stand-in on port 8000, which the terminal test may be taking at the same moment.
          AI_SERVICE_URL: "http://127.0.0.1:9",
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      started.push(child);
      const output = { text: "" };
      await banner(child, output);
      const exited = exitCode(child);
      if (signal === "SIGTERM") child.kill("SIGTERM");
      else process.kill(-child.pid!, "SIGINT");
      expect(await exited).toBe(0);
      const stopping = output.text.slice(output.text.indexOf("Press Ctrl+C to stop."));
      expect(stopping).toContain(announced);
      expect(stopping.split(announced).length).toBe(2);
      expect(stopping).not.toMatch(failureTraces);
      expect(stopping).not.toContain("terminating connection");
    },
    120_000,
  );
});
