import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@crm-agenda/sandbox";
import { type AgendaOptions, createAgenda } from "@crm-agenda/server";
import express from "express";
import pg from "pg";
import { createCrmDirectory, demoClients, installCrmDirectory } from "./crmDirectory";
import { createDemoSessions, type DemoPerson, demoPeople } from "./demoSession";
import { dayFrom, seedEvents } from "./seedAgenda";

export interface DemoOptions {
  databaseUrl: string;
  /** Where the demo keeps its session secret. */
  dataDir: string;
  port?: number;
  /** Postgres schema of the agenda's tables; the demo CRM's own clients go in `${schema}_crm`. */
  schema?: string;
  ai?: { baseUrl?: string; token?: string };
  /** OAuth apps and the keys sealing their tokens (see startProviders). */
  providers?: AgendaOptions["providers"];
  encryptionKeys?: AgendaOptions["encryptionKeys"];
  /** Serve the UI through Vite; off for API-only use. @default true */
  ui?: boolean;
  now?: () => Date;
}

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A small CRM shell: demo sign-in, a clients page, and the agenda mounted at /api/agenda and shown at /agenda. */
export async function startDemo(options: DemoOptions) {
  const schema = options.schema ?? "agenda";
  const crmSchema = `${schema}_crm`;
  const now = options.now ?? (() => new Date());
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
  await installCrmDirectory(pool, crmSchema);
  const sessions = createDemoSessions(sessionSecret(options.dataDir));
  const port = options.port || (await freePort());

  const agenda = createAgenda({
    database: pool,
    schema,
    auth: sessions.auth,
    clients: createCrmDirectory(pool, crmSchema),
    ai: options.ai ?? {},
    ...(options.providers && { providers: options.providers }),
    ...(options.encryptionKeys && { encryptionKeys: options.encryptionKeys }),
    publicUrl: `http://localhost:${port}/api/agenda`,
    connectionsReturnTo: "/settings",
    now,
  });
  await agenda.start();

  const app = express();
  app.disable("x-powered-by");
  app.use("/api/agenda", agenda.router);

  app.get("/demo/login", (req, res) => {
    const name = String(req.query.as ?? "");
    if (!(name in demoPeople)) {
      res
        .status(400)
        .type("text/plain")
        .send(`Unknown demo user "${name}". Use ?as=alice, ?as=carol or ?as=bob.`);
      return;
    }
    sessions.signIn(res, name as DemoPerson);
    res.redirect(302, "/agenda");
  });
  app.get("/demo/logout", (_req, res) => {
    sessions.signOut(res);
    res.redirect(302, "/");
  });
  app.get("/demo/api/me", (req, res) => {
    const name = sessions.person(req);
    res.json(
      name ? { signedIn: true, id: name, ...demoPeople[name] } : { signedIn: false, people: demoPeople },
    );
  });
  app.get("/demo/api/clients", (req, res) => {
    const session = sessions.auth(req);
    if (!session) {
      res.status(401).json({ error: { code: "unauthorized", message: "sign in first" } });
      return;
    }
    res.json({ clients: demoClients.filter((client) => client.tenantId === session.tenantId) });
  });

  let vite: { close(): Promise<void>; middlewares: express.RequestHandler } | null = null;
  if (options.ui !== false) {
    const { createServer } = await import("vite");
    vite = await createServer({
      root: appRoot,
      configFile: join(appRoot, "vite.config.ts"),
      appType: "spa",
      server: { middlewareMode: true, hmr: false },
      logLevel: "warn",
    });
    app.use(vite.middlewares);
  }

  const server: Server = app.listen(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  // One host name everywhere, so the session cookie set at sign-in comes back on the OAuth callback.
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  await seedDemo(url, sessions, now());

  return {
    url,
    agenda,
    pool,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await vite?.close();
      await agenda.stop();
      await pool.end();
    },
  };
}

function sessionSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "demo-session-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Seeds each person's fortnight through the agenda's own API, unless their week already has events. */
async function seedDemo(url: string, sessions: ReturnType<typeof createDemoSessions>, today: Date) {
  for (const name of Object.keys(demoPeople) as DemoPerson[]) {
    const cookie = sessions.cookieHeader(name);
    const from = new Date(`${dayFrom(today, -7)}T00:00:00Z`).toISOString();
    const to = new Date(`${dayFrom(today, 8)}T00:00:00Z`).toISOString();
    const existing = await fetch(`${url}/api/agenda/events?from=${from}&to=${to}`, { headers: { cookie } });
    if (!existing.ok) throw new Error(`seeding: listing ${name}'s events answered ${existing.status}`);
    if (((await existing.json()) as { events: unknown[] }).events.length > 0) continue;
    for (const event of seedEvents(name, today)) {
      const created = await fetch(`${url}/api/agenda/events`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify(event),
      });
      if (!created.ok)
        throw new Error(
          `seeding: creating "${event.title}" answered ${created.status}: ${await created.text()}`,
        );
    }
  }
}
