import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The published shape: what a CRM gets from the registry, not what the workspace sees from source.
// Needs `pnpm run build` first (the README's test command builds before it tests).
const root = resolve(import.meta.dirname, "..");
const published = {
  "@crm-agenda/shared": "packages/shared",
  "@crm-agenda/server": "packages/agenda-server",
  "@crm-agenda/ui": "packages/agenda-ui",
} as const;
type PackageName = keyof typeof published;

let workDir: string;
const tarballs = {} as Record<PackageName, string>;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function pnpm(args: string[], cwd: string): string {
  const local = (() => {
    try {
      run("pnpm", ["--version"], cwd);
      return true;
    } catch {
      return false;
    }
  })();
  return local ? run("pnpm", args, cwd) : run("npx", ["--yes", "pnpm@10", ...args], cwd);
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "crm-agenda-pack-"));
  for (const [name, folder] of Object.entries(published) as [PackageName, string][]) {
    const out = join(workDir, "tarballs");
    mkdirSync(out, { recursive: true });
    const before = new Set(readdirSync(out));
    pnpm(["pack", "--pack-destination", out], join(root, folder));
    const file = readdirSync(out).find((entry) => !before.has(entry));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[name] = join(out, file);
  }
  // A consumer project with the three packages installed from their tarballs, and their
  // dependencies and peers linked from the workspace's own install (no registry needed).
  const consumer = join(workDir, "consumer");
  for (const [name, folder] of Object.entries(published) as [PackageName, string][]) {
    const target = join(consumer, "node_modules", name);
    mkdirSync(target, { recursive: true });
    run("tar", ["-xzf", tarballs[name], "-C", target, "--strip-components=1"], workDir);
    const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8"));
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (dependency in published) continue;
      const link = join(consumer, "node_modules", dependency);
      try {
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(realpathSync(join(root, folder, "node_modules", dependency)), link, "dir");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
}, 180_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("the published packages", () => {
  it("ship no workspace protocol and no source-only export condition", () => {
    for (const name of Object.keys(published) as PackageName[]) {
      const manifest = readFileSync(join(workDir, "consumer", "node_modules", name, "package.json"), "utf8");
      expect(manifest, name).not.toContain("workspace:");
      expect(manifest, name).not.toContain("@crm-agenda/source");
    }
  });

  it("import from a plain ESM consumer", () => {
    const consumer = join(workDir, "consumer");
    writeFileSync(
      join(consumer, "check.mjs"),
      `import { createAgenda, AgendaError } from "@crm-agenda/server";
       import { eventSchema, contract } from "@crm-agenda/shared";
       import { Agenda, AgendaProvider } from "@crm-agenda/ui";
       import { createRequire } from "node:module";
       const require = createRequire(import.meta.url);
       const css = require.resolve("@crm-agenda/ui/styles.css");
       console.log(JSON.stringify({
         createAgenda: typeof createAgenda, AgendaError: typeof AgendaError, eventSchema: typeof eventSchema.parse,
         routes: Object.keys(contract).length, Agenda: typeof Agenda, AgendaProvider: typeof AgendaProvider,
         css: css.endsWith("dist/styles.css"),
       }));`,
    );
    const result = JSON.parse(run("node", ["check.mjs"], consumer));
    expect(result).toEqual({
      createAgenda: "function",
      AgendaError: "function",
      eventSchema: "function",
      routes: expect.any(Number),
      Agenda: "function",
      AgendaProvider: "function",
      css: true,
    });
  });

  it("require from a plain CommonJS consumer", () => {
    const consumer = join(workDir, "consumer");
    writeFileSync(
      join(consumer, "check.cjs"),
      `const { createAgenda } = require("@crm-agenda/server");
       const { createEventInputSchema } = require("@crm-agenda/shared");
       const { Agenda, AgendaProvider } = require("@crm-agenda/ui");
       const parsed = createEventInputSchema.safeParse({ title: "" });
       console.log(JSON.stringify({ createAgenda: typeof createAgenda, Agenda: typeof Agenda,
         AgendaProvider: typeof AgendaProvider, rejects: parsed.success === false }));`,
    );
    const result = JSON.parse(run("node", ["check.cjs"], consumer));
    expect(result).toEqual({
      createAgenda: "function",
      Agenda: "function",
      AgendaProvider: "function",
      rejects: true,
    });
  });

  it("ship the server's migrations, found from the built code", () => {
    const files = run("tar", ["-tzf", tarballs["@crm-agenda/server"]], workDir);
    expect(files).toContain("package/drizzle/meta/_journal.json");
    expect(files).toMatch(/package\/drizzle\/0000_\w+\.sql/);
  });

  it.each(Object.keys(published) as PackageName[])("%s passes publint and Are the Types Wrong", (name) => {
    const lint = run(
      join(root, "node_modules/.bin/publint"),
      ["run", tarballs[name], "--level", "warning", "--strict"],
      root,
    );
    expect(lint).not.toMatch(/Warnings?:|Errors?:/);
    // A stylesheet has no types to resolve; every other entry point must.
    const types = run(
      join(root, "node_modules/.bin/attw"),
      [tarballs[name], "--profile", "node16", "--format", "json", "--exclude-entrypoints", "./styles.css"],
      root,
    );
    expect(JSON.parse(types).analysis.problems).toEqual([]);
  });
});
