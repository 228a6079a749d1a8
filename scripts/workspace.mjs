#!/usr/bin/env node
// Runs a root script through pnpm on a machine that has only Node.js and npm.
// corepack's download of pnpm cannot be relied on (its signature check fails behind some registries),
// so pnpm is taken from PATH when present and otherwise run through `npx pnpm@<version>`,
// with the version pinned by the root package.json's `packageManager` field.
//
//   node scripts/workspace.mjs run <script> [args…]   installs when needed, then `pnpm run <script>`
//   node scripts/workspace.mjs demo                    installs when needed, then runs the demo CRM
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager; // "pnpm@10.x.y"
const pinnedVersion = pinned.split("@")[1];

function pnpm(args) {
  const local = spawnSync("pnpm", ["--version"], { encoding: "utf8", shell: process.platform === "win32" });
  const usable = local.status === 0 && local.stdout.trim().split(".")[0] === pinnedVersion.split(".")[0];
  const [command, prefix] = usable ? ["pnpm", []] : ["npx", ["--yes", pinned]];
  const result = spawnSync(command, [...prefix, ...args], {
    cwd: root,
    stdio: "inherit",
    shell: process.platform === "win32",
    env: { ...process.env, COREPACK_ENABLE_STRICT: "0" },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function installIsCurrent() {
  const marker = join(root, "node_modules", ".modules.yaml");
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, "pnpm-lock.yaml")).mtimeMs;
}

/**
 * Runs the demo as this process's own child, with no shell or package manager in between: on a
 * Ctrl-C, sh (dash) and pnpm end by SIGINT even when the demo stopped cleanly, so `npm run demo`
 * would fail. In a terminal, Ctrl-C is read as a key (raw mode) and passed on as one SIGINT, which
 * the terminal would otherwise send to npm's shell as well; the demo stops and its exit code is ours.
 */
function runDemo() {
  const demo = spawn(
    process.execPath,
    ["--conditions=@crm-agenda/source", "--import", "tsx", "src/main.ts"],
    { cwd: join(root, "apps", "demo"), stdio: "inherit" },
  );
  const pass = (signal) => () => demo.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, pass(signal));
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.on("data", (keys) => {
      if (keys.includes(0x03)) demo.kill("SIGINT");
    });
  }
  demo.on("exit", (code, signal) => {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.exit(code ?? 128 + constants.signals[signal]);
  });
}

const [verb, script, ...rest] = process.argv.slice(2);
if (!(verb === "demo" || (verb === "run" && script))) {
  console.error("usage: node scripts/workspace.mjs run <script> [args…] | demo");
  process.exit(2);
}
if (!installIsCurrent()) {
  const status = pnpm(["install", ...(process.env.CI ? ["--frozen-lockfile"] : [])]);
  if (status !== 0) process.exit(status);
}
if (verb === "demo") runDemo();
else process.exit(pnpm(["run", script, ...rest]));
