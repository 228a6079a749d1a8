import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackageName, packPublished, published, workspaceRoot as root, run } from "./packPublished";

let workDir: string;
let tarballs: Record<PackageName, string>;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "crm-agenda-pack-"));
  tarballs = packPublished(join(workDir, "tarballs"));
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
       import { englishMessages } from "@crm-agenda/ui/messages/en";
       import { createRequire } from "node:module";
       const require = createRequire(import.meta.url);
       const css = require.resolve("@crm-agenda/ui/styles.css");
       console.log(JSON.stringify({
         createAgenda: typeof createAgenda, AgendaError: typeof AgendaError, eventSchema: typeof eventSchema.parse,
         routes: Object.keys(contract).length, Agenda: typeof Agenda, AgendaProvider: typeof AgendaProvider,
         css: css.endsWith("dist/styles.css"), english: englishMessages.today,
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
      english: "Today",
    });
  });

  it("require from a plain CommonJS consumer", () => {
    const consumer = join(workDir, "consumer");
    writeFileSync(
      join(consumer, "check.cjs"),
      `const { createAgenda } = require("@crm-agenda/server");
       const { createEventInputSchema } = require("@crm-agenda/shared");
       const { buildPath, routes } = require("@crm-agenda/shared/routes");
       const { Agenda, AgendaProvider } = require("@crm-agenda/ui");
       const { englishMessages } = require("@crm-agenda/ui/messages/en");
       const parsed = createEventInputSchema.safeParse({ title: "" });
       console.log(JSON.stringify({ createAgenda: typeof createAgenda, Agenda: typeof Agenda,
         AgendaProvider: typeof AgendaProvider, english: englishMessages.save, rejects: parsed.success === false,
         eventPath: buildPath(routes.getEvent.path, { id: "a b" }) }));`,
    );
    const result = JSON.parse(run("node", ["check.cjs"], consumer));
    expect(result).toEqual({
      createAgenda: "function",
      Agenda: "function",
      AgendaProvider: "function",
      english: "Save",
      rejects: true,
      eventPath: "/events/a%20b",
    });
  });

  it("take the UI's browser path without Zod, within its 49 kB: the packed build bundled as a host's bundler does", async () => {
    // What bench:ui measures too: every export kept, minified, production React paths, gzip level 9,
    // the host's React and TanStack Query left out, Radix Dialog and date-fns counted in.
    const bundled = await build({
      entryPoints: [join(workDir, "consumer/node_modules/@crm-agenda/ui/dist/index.js")],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["react", "react-dom", "react-dom/*", "react/*", "@tanstack/react-query"],
      define: { "process.env.NODE_ENV": '"production"' },
    });
    const modules = Object.keys(bundled.metafile.inputs);
    // zod is installed beside the packages (a peer of shared), so only the imports keep it out.
    expect(modules.some((module) => module.includes("@crm-agenda/shared/dist/routes"))).toBe(true);
    expect(modules.filter((module) => /(^|\/)node_modules\/(\.pnpm\/)?zod/.test(module))).toEqual([]);
    expect(modules.some((module) => module.includes("@radix-ui/react-dialog"))).toBe(true);
    const code = bundled.outputFiles[0]?.contents ?? new Uint8Array();
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.info(
      `@crm-agenda/ui packed, all in, minified: ${(code.length / 1024).toFixed(1)} kB, gzipped: ${(gzipped / 1024).toFixed(1)} kB (budget 49 kB)`,
    );
    // English is an entry of its own (`@crm-agenda/ui/messages/en`), for the hosts that import it.
    expect(new TextDecoder().decode(code)).not.toContain("Previous week");
    // 45 kB held until the live agenda, the "+N" week, the localized date fields with their zone
    // picker and the series' scope question joined the main entry (about 3.8 kB together, everything
    // optional having moved to entries of its own); 49 kB keeps it below the smallest peer that
    // bench:ui measures beside it (Schedule-X, 49.6 kB).
    expect(gzipped, "gzipped bytes of the packed UI, all in").toBeLessThanOrEqual(49 * 1024);
  });

  it("say what a registry needs: licence, engines, repository, Zod as one peer range", () => {
    const root_ = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const nodeVersion = /Node\.js (\d+\.\d+) or newer/.exec(readme)?.[1];
    expect(root_.engines.node).toBe(`>=${nodeVersion}`);
    const zodRanges = new Set<string>();
    for (const [name, folder] of Object.entries(published) as [PackageName, string][]) {
      const manifest = JSON.parse(
        readFileSync(join(workDir, "consumer/node_modules", name, "package.json"), "utf8"),
      );
      expect(manifest.license, name).toBe("MIT");
      expect(manifest.engines, name).toEqual(root_.engines);
      expect(manifest.repository, name).toEqual({
        type: "git",
        url: "git+https://github.com/crm-agenda/crm-agenda.git",
        directory: folder,
      });
      expect(run("tar", ["-tzf", tarballs[name]], workDir), name).toContain("package/LICENSE");
      expect(manifest.dependencies?.zod, name).toBeUndefined();
      if (manifest.peerDependencies?.zod) zodRanges.add(manifest.peerDependencies.zod);
      const source = JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8"));
      if (source.devDependencies?.zod) zodRanges.add(source.devDependencies.zod);
    }
    expect(zodRanges.size).toBe(1);
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
    // The node16 profile leaves out node10 resolution (no `exports` support), which no Node of our
    // engines range uses; the JSON output still lists what node10 cannot find, so it is left out here.
    const problems = JSON.parse(types).analysis.problems.filter(
      (problem: { resolutionKind?: string }) => problem.resolutionKind !== "node10",
    );
    expect(problems).toEqual([]);
  });
});
