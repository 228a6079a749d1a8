import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, launchChromium } from "./chromium";
import { type PackageName, packPublished, pnpmArgs, published, run, workspaceRoot } from "./packPublished";

// What a CRM does with the published packages: install the tarballs into its own Vite + React app
// and Express server, outside this workspace (so no source condition and no workspace links), build
// the app, mount the router, and use the agenda in a browser. Once per pair of majors the README
// promises at the edges: the newest (React 19, Express 5) and the oldest (React 18, Express 4).
const hostPairs = [
  { name: "React 19 + Express 5", react: 19, express: 5, server: "esm" },
  { name: "React 18 + Express 4", react: 18, express: 4, server: "cjs" },
] as const;
type HostPair = (typeof hostPairs)[number];

const execFileAsync = promisify(execFile);

async function runAsync(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

function workspaceManifest(folder: string) {
  return JSON.parse(readFileSync(join(workspaceRoot, folder, "package.json"), "utf8"));
}

/** The host's own app: its QueryClient, its sign-in, and the agenda dropped in, as the README shows. */
const appSource = `import { Agenda, AgendaProvider } from "@crm-agenda/ui";
import { englishMessages } from "@crm-agenda/ui/messages/en";
import "@crm-agenda/ui/styles.css";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { createElement as h, StrictMode } from "react";
import { createRoot } from "react-dom/client";

const queryClient = new QueryClient();

function Crm() {
  const me = useQuery({ queryKey: ["crm", "me"], queryFn: async () => (await fetch("/me")).json() });
  if (me.isPending) return h("p", null, "Loading…");
  if (!me.data?.userId) return h("a", { href: "/login?as=alice" }, "Sign in as Alice");
  return h(
    AgendaProvider,
    { baseUrl: "/api/agenda", locale: "en", messages: englishMessages, timeZone: "Europe/Paris", queryClient },
    h(Agenda, { defaultView: "week" }),
  );
}

createRoot(document.getElementById("root")).render(
  h(StrictMode, null, h(QueryClientProvider, { client: queryClient }, h(Crm))),
);
`;

const indexHtml = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Host CRM</title></head>
  <body><div id="root"></div><script type="module" src="/main.js"></script></body>
</html>
`;

/** The host's server, written the way its majors are used: ESM with Express 5, CommonJS with Express 4. */
function serverSource(kind: HostPair["server"]): string {
  const imports =
    kind === "esm"
      ? `import express from "express";\nimport { createAgenda } from "@crm-agenda/server";`
      : `const express = require("express");\nconst { createAgenda } = require("@crm-agenda/server");`;
  return `${imports}

const people = { alice: { userId: "alice", tenantId: "acme", email: "alice@acme.test" } };
const clients = [{ id: "dupont", name: "Dupont SA", emails: ["marie@dupont.fr"] }];
const signedIn = (req) => people[/(?:^|;\\s*)crm_user=(\\w+)/.exec(req.headers.cookie ?? "")?.[1]] ?? null;

async function main() {
  const agenda = createAgenda({
    database: process.env.DATABASE_URL,
    schema: process.env.AGENDA_SCHEMA,
    auth: signedIn,
    clients: {
      findByEmails: async (_tenantId, emails) => clients.filter((c) => c.emails.some((e) => emails.includes(e))),
      search: async (_tenantId, q) => clients.filter((c) => c.name.toLowerCase().includes(q.toLowerCase())),
      get: async (_tenantId, id) => clients.find((c) => c.id === id) ?? null,
    },
    ai: { baseUrl: "http://127.0.0.1:9" },
    polling: false,
    calendarSync: false,
    onError: (error) => console.error("agenda:", error),
  });
  await agenda.start();
  const app = express();
  app.get("/login", (req, res) => {
    res.setHeader("set-cookie", \`crm_user=\${req.query.as}; Path=/; HttpOnly; SameSite=Lax\`);
    res.redirect("/");
  });
  app.get("/me", (req, res) => res.json(signedIn(req) ?? {}));
  app.use("/api/agenda", agenda.router);
  app.use(express.static("dist"));
  const server = app.listen(0, "127.0.0.1", () => console.log(\`listening \${server.address().port}\`));
  process.on("SIGTERM", async () => {
    server.close();
    await agenda.stop();
    process.exit(0);
  });
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}

interface Host {
  pair: HostPair;
  dir: string;
  url: string;
  server: ChildProcess;
  output: string[];
}

/** Installs the tarballs and the pair's majors into a fresh folder, builds the app with Vite. */
async function buildHost(pair: HostPair, root: string, tarballs: Record<PackageName, string>) {
  const dir = join(root, pair.name.replace(/\W+/g, "-").toLowerCase());
  mkdirSync(dir, { recursive: true });
  const tarball = (name: PackageName) => `file:${tarballs[name]}`;
  // The peers the packages ask for, at their ranges, except the majors this host pins.
  const peers = Object.assign(
    {},
    ...Object.values(published).map((folder) => workspaceManifest(folder).peerDependencies),
  );
  const manifest = {
    name: "host-crm",
    private: true,
    type: pair.server === "esm" ? "module" : "commonjs",
    dependencies: {
      ...peers,
      "@crm-agenda/server": tarball("@crm-agenda/server"),
      "@crm-agenda/shared": tarball("@crm-agenda/shared"),
      "@crm-agenda/ui": tarball("@crm-agenda/ui"),
      express: `^${pair.express}.0.0`,
      react: `^${pair.react}.0.0`,
      "react-dom": `^${pair.react}.0.0`,
    },
    devDependencies: { vite: workspaceManifest(".").devDependencies.vite },
    // The UI and the server ask for shared by version; a registry would serve it, here its tarball does.
    pnpm: { overrides: { "@crm-agenda/shared": tarball("@crm-agenda/shared") } },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, "index.html"), indexHtml);
  writeFileSync(join(dir, "main.js"), appSource);
  writeFileSync(join(dir, pair.server === "esm" ? "server.js" : "server.cjs"), serverSource(pair.server));
  // The workspace's store: what it already holds is linked, not downloaded again.
  const store = run(...pnpmArgs(["store", "path"]), workspaceRoot).trim();
  await runAsync(
    ...pnpmArgs([
      "install",
      "--prefer-offline",
      "--no-frozen-lockfile",
      "--store-dir",
      store,
      "--reporter",
      "silent",
    ]),
    dir,
  );
  await runAsync(
    process.execPath,
    [join(dir, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
    dir,
  );
  return dir;
}

async function startHost(pair: HostPair, dir: string): Promise<Host> {
  const server = spawn(process.execPath, [pair.server === "esm" ? "server.js" : "server.cjs"], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      AGENDA_SCHEMA: `host_${randomBytes(4).toString("hex")}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const port = await new Promise<string>((resolve, reject) => {
    server.stdout?.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      const listening = /listening (\d+)/.exec(output.join(""));
      if (listening?.[1]) resolve(listening[1]);
    });
    server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    server.once("exit", (code) =>
      reject(new Error(`the ${pair.name} host exited (${code}):\n${output.join("")}`)),
    );
  });
  return { pair, dir, url: `http://127.0.0.1:${port}`, server, output };
}

async function stopHost(host: Host) {
  if (host.server.exitCode !== null) return;
  const exited = new Promise((resolve) => host.server.once("exit", resolve));
  host.server.kill("SIGTERM");
  await exited;
}

function installedMajor(dir: string, name: string): number {
  const version: string = JSON.parse(
    readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"),
  ).version;
  return Number(version.split(".")[0]);
}

function todayInParis(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
}

// A minute per browser run: the whole suite shares two cores with it.
const timeout = 60_000;

describe.skipIf(chromiumMissing !== null)("a host CRM on the packed packages", { timeout }, () => {
  let workDir: string;
  let browser: Browser;
  const hosts = new Map<string, Host>();

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "crm-agenda-host-"));
    const tarballs = packPublished(join(workDir, "tarballs"));
    const [launched] = await Promise.all([
      launchChromium(),
      ...hostPairs.map(async (pair) => {
        const dir = await buildHost(pair, workDir, tarballs);
        hosts.set(pair.name, await startHost(pair, dir));
      }),
    ]);
    browser = launched as Browser;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...hosts.values()].map(stopHost));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it.each(hostPairs)("$name: sign in, drag an event into the week, find it after a reload", async (pair) => {
    const host = hosts.get(pair.name)!;
    expect(installedMajor(host.dir, "react")).toBe(pair.react);
    expect(installedMajor(host.dir, "react-dom")).toBe(pair.react);
    expect(installedMajor(host.dir, "express")).toBe(pair.express);
    const assets = join(host.dir, "dist/assets");
    const scripts = readdirSync(assets).filter((file) => file.endsWith(".js"));
    const appBytes = scripts.reduce((sum, file) => sum + statSync(join(assets, file)).size, 0);
    const appGzip = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(assets, file))).length, 0);
    // zod is installed in the host (a peer of shared and server); the browser build must not reach it.
    for (const file of scripts) expect(readFileSync(join(assets, file), "utf8")).not.toContain("ZodError");
    console.info(
      `${pair.name} host app (React included), vite build: ${(appBytes / 1000).toFixed(1)} kB, gzipped ${(appGzip / 1000).toFixed(1)} kB`,
    );

    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: "en-GB",
      timezoneId: "Europe/Paris",
    });
    context.setDefaultTimeout(15_000);
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(host.url);
    await tab.getByRole("link", { name: "Sign in as Alice" }).click();
    await tab.waitForSelector(".agenda-root:not([data-state])");

    const column = (await tab.locator(`[data-date="${todayInParis()}"]`).boundingBox())!;
    const hour = column.height / 24;
    const x = column.x + column.width / 2;
    await tab.mouse.move(x, column.y + hour * 10 + 4);
    await tab.mouse.down();
    await tab.mouse.move(x, column.y + hour * 10.5, { steps: 3 });
    await tab.mouse.move(x, column.y + hour * 11 - 4, { steps: 3 });
    await tab.mouse.up();

    const dialog = tab.getByRole("dialog", { name: "New event" });
    // The form writes dates the English way, month first, and the time on the 12-hour clock.
    const [year, month, day] = todayInParis().split("-");
    await expect
      .poll(() => dialog.getByLabel("Start", { exact: true }).inputValue())
      .toBe(`${month}/${day}/${year}`);
    expect(await dialog.getByLabel("Start time").inputValue()).toBe("10:00 AM");
    const title = `Call with Dupont SA (${pair.name})`;
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    await tab.reload();
    await expect
      .poll(() =>
        tab.getByRole("button", { name: new RegExp(`^${title.replace(/[()+]/g, "\\$&")}`) }).count(),
      )
      .toBe(1);
    expect(errors).toEqual([]);
    expect(host.output.join("")).not.toMatch(/agenda:/);
    await context.close();
  });
});
