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
import { demoCallTranscript } from "./demoCallScript";
import { createDemoSessions, type DemoPerson, demoPeople, isDemoPerson } from "./demoSession";
import { createReminderLog } from "./reminderLog";
import { dayFrom, reminderDemoEvent, seedEvents } from "./seedAgenda";
import type { startProviders } from "./startProviders";

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
  /** The running stand-ins, for the "simulate a call" action. */
  sandboxes?: Pick<Awaited<ReturnType<typeof startProviders>>, "zoomSandbox" | "sandboxAccountOf">;
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
  // An idle connection the server ends (a restart, a failover) is replaced on next use, not fatal.
  pool.on("error", (error) => console.error(`[demo] database connection lost: ${error.message}`));
  await installCrmDirectory(pool, crmSchema);
  const reminderLog = createReminderLog(pool, crmSchema, now);
  await reminderLog.install();
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
    // The demo answers on both loopback names (see the Host check below).
    allowedOrigins: [`http://127.0.0.1:${port}`],
    connectionsReturnTo: "/settings",
    // Reminders need keys to sign their links; a short offset lets the seeded event's show up soon.
    ...(options.encryptionKeys && {
      reminders: { offsetsMinutes: [1440, 60, demoReminderOffsetMinutes] },
      hooks: { onReminder: (reminder) => reminderLog.record(reminder) },
    }),
    now,
  });
  await agenda.start();

  const app = express();
  app.disable("x-powered-by");
  // DNS rebinding: a page of another site whose name was pointed at 127.0.0.1 reaches this port with
  // its own name in the Host header; only the demo's own names are answered.
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
  app.use((req, res, next) => {
    if (hosts.has((req.headers.host ?? "").toLowerCase())) return next();
    res
      .status(421)
      .type("text/plain")
      .send(`The demo answers only as http://localhost:${port} or http://127.0.0.1:${port}.`);
  });
  app.use("/api/agenda", agenda.router);

  // The demo's own writes come from its own pages only: a form of another site cannot sign anyone in.
  const ownOrigins = new Set([...hosts].map((host) => `http://${host}`));
  const sameOrigin: express.RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (req.headers["sec-fetch-site"] !== "cross-site" && (origin === undefined || ownOrigins.has(origin))) {
      return next();
    }
    res
      .status(403)
      .json({ error: { code: "csrf_rejected", message: "the demo takes writes from its own pages only" } });
  };

  app.get("/demo/login", (req, res) => {
    const asked = req.query.as;
    if (asked !== undefined && !isDemoPerson(asked)) {
      res
        .status(400)
        .type("text/plain")
        .send(`Unknown demo user "${String(asked)}". Use ?as=alice, ?as=carol or ?as=bob.`);
      return;
    }
    const names = asked === undefined ? (Object.keys(demoPeople) as DemoPerson[]) : [asked];
    res.type("html").send(signInPage(names));
  });
  app.post("/demo/login", sameOrigin, express.urlencoded({ extended: false, limit: "1kb" }), (req, res) => {
    const name = (req.body as Record<string, unknown> | undefined)?.as;
    if (!isDemoPerson(name)) {
      res.status(400).type("text/plain").send("Unknown demo user. Use alice, carol or bob.");
      return;
    }
    sessions.signIn(res, name);
    res.redirect(303, "/agenda");
  });
  app.post("/demo/logout", sameOrigin, (_req, res) => {
    sessions.signOut(res);
    res.redirect(303, "/");
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

  app.get("/demo/api/reminders", async (req, res) => {
    const session = sessions.auth(req);
    if (!session) {
      res.status(401).json({ error: { code: "unauthorized", message: "sign in first" } });
      return;
    }
    res.json({ enabled: options.encryptionKeys !== undefined, reminders: await reminderLog.list(session) });
  });

  app.post("/demo/api/simulate-call", sameOrigin, async (req, res) => {
    const name = sessions.person(req);
    if (!name) {
      res.status(401).json({ error: { code: "unauthorized", message: "sign in first" } });
      return;
    }
    try {
      res.json(await simulateCall(name));
    } catch (error) {
      res.status(409).json({ error: { code: "conflict", message: (error as Error).message } });
    }
  });

  /**
   * A Zoom call that just ended, end to end: the Zoom sandbox records it with a transcript and posts
   * the signed `recording.transcript_completed` webhook to the agenda, which takes it from there.
   */
  async function simulateCall(name: DemoPerson) {
    const zoomSandbox = options.sandboxes?.zoomSandbox;
    const secret = options.providers?.zoom?.webhookSecretToken;
    if (!zoomSandbox || !secret)
      throw new Error("Simuler un appel demande le bac à sable Zoom (laissez ZOOM_BASE_URL vide).");
    const cookie = sessions.cookieHeader(name);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}/api/agenda${path}`, {
        ...init,
        headers: { cookie, "content-type": "application/json", ...init.headers },
      });
    const { connections } = (await (await api("/connections")).json()) as {
      connections: { provider: string; status: string }[];
    };
    if (!connections.some((connection) => connection.provider === "zoom" && connection.status === "active")) {
      throw new Error("Connectez d’abord votre compte Zoom dans Paramètres.");
    }
    const person = demoPeople[name];
    const account = options.sandboxes!.sandboxAccountOf(person.email)!;
    const callEnd = now();
    const from = new Date(callEnd.getTime() - 14 * 3600_000).toISOString();
    const { events } = (await (await api(`/events?from=${from}&to=${callEnd.toISOString()}`)).json()) as {
      events: {
        id: string;
        title: string;
        start: string;
        end: string;
        summaryStatus: string;
        attendees: { email: string; name?: string }[];
        conference: { provider: string; meetingId?: string } | null;
      }[];
    };
    let call = events
      .reverse()
      .find(
        (event) =>
          event.conference?.provider === "zoom" &&
          event.summaryStatus === "none" &&
          Date.parse(event.start) <= callEnd.getTime(),
      );
    if (!call) {
      const meetingId = String(80_000_000_000 + Math.floor(Math.random() * 9_999_999_999));
      const start = new Date(callEnd.getTime() - 8 * 60_000);
      const created = await api("/events", {
        method: "POST",
        body: JSON.stringify({
          title: "Appel découverte — Dupont SA",
          start: start.toISOString(),
          end: callEnd.toISOString(),
          timeZone: "Europe/Paris",
          conference: { provider: "zoom", joinUrl: `https://zoom.us/j/${meetingId}`, meetingId },
          attendees: [{ email: "marie.dupont@dupont-sa.fr", name: "Marie Dupont" }],
        }),
      });
      call = await created.json();
    }
    const clientSpeaker =
      call!.attendees.find((attendee) => attendee.email !== person.email)?.name ?? "Marie Dupont";
    const meeting = zoomSandbox.recordings.addRecording({
      account,
      meetingId: Number(call!.conference?.meetingId ?? 80_000_000_001),
      topic: call!.title,
      startTime: new Date(call!.start),
      durationMinutes: 7,
      vtt: demoCallTranscript(person.name, { name: clientSpeaker }),
      participants: [
        { name: person.name, email: person.email },
        ...call!.attendees
          .filter((attendee) => attendee.email !== person.email)
          .map((attendee) => ({ name: attendee.name ?? attendee.email, email: attendee.email })),
      ],
    });
    const delivered = await zoomSandbox.recordings.deliver(
      `${url}/api/agenda/webhooks/zoom`,
      secret,
      zoomSandbox.recordings.transcriptCompletedEvent(meeting, now()),
      now(),
    );
    if (!delivered.ok) throw new Error(`the agenda refused the Zoom webhook (${delivered.status})`);
    return { eventId: call!.id, title: call!.title };
  }

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
  const bookingUrl = `${url}/book/${await seedBookingType(url, sessions)}`;
  if (options.encryptionKeys) await seedReminderDemo(url, sessions, now());

  return {
    url,
    /** Alice's public booking link, served by the demo. */
    bookingUrl,
    agenda,
    pool,
    /**
     * Stops taking requests, then stops the agenda, which ends its open summary streams so the
     * server's last connections close; a connection still open after `deadlineMs` is cut.
     */
    async stop(deadlineMs = 5_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await vite?.close();
      await agenda.stop();
      const cut = setTimeout(() => server.closeAllConnections(), deadlineMs);
      await closed;
      clearTimeout(cut);
      await pool.end();
    },
  };
}

/** The sign-in page: one button a person, each posting a form to /demo/login. */
function signInPage(names: DemoPerson[]): string {
  const buttons = names
    .map(
      (name) =>
        `<form method="post" action="/demo/login"><input type="hidden" name="as" value="${name}"><button type="submit">Se connecter : ${demoPeople[name].name} (${demoPeople[name].tenantId})</button></form>`,
    )
    .join("\n");
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Acme CRM — connexion</title></head><body><h1>Acme CRM — démo</h1>\n${buttons}\n</body></html>`;
}

function sessionSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "demo-session-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Minutes before an event at which the demo also reminds, so the event seeded soon is reminded within minutes. */
const demoReminderOffsetMinutes = 10;

/**
 * An appointment of alice's with a client starting in a quarter of an hour, unless she has one with a
 * client within the hour: its 10-minute reminder comes about five minutes after the demo starts.
 */
async function seedReminderDemo(url: string, sessions: ReturnType<typeof createDemoSessions>, now: Date) {
  const cookie = sessions.cookieHeader("alice");
  const to = new Date(now.getTime() + 60 * 60_000).toISOString();
  const soon = await fetch(`${url}/api/agenda/events?from=${now.toISOString()}&to=${to}`, {
    headers: { cookie },
  });
  if (!soon.ok) throw new Error(`seeding: listing alice's next hour answered ${soon.status}`);
  const { events } = (await soon.json()) as {
    events: { start: string; clientMatch: { clientId: string | null } }[];
  };
  if (events.some((event) => event.clientMatch.clientId !== null && Date.parse(event.start) > now.getTime()))
    return;
  const created = await fetch(`${url}/api/agenda/events`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify(reminderDemoEvent(now, demoReminderOffsetMinutes + 5)),
  });
  if (!created.ok) throw new Error(`seeding: the reminder demo event answered ${created.status}`);
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

/** Alice's booking type, through the agenda's own API, unless she has one: its public link's token. */
async function seedBookingType(
  url: string,
  sessions: ReturnType<typeof createDemoSessions>,
): Promise<string> {
  const headers = { cookie: sessions.cookieHeader("alice"), "content-type": "application/json" };
  const listed = await fetch(`${url}/api/agenda/booking-types`, { headers });
  if (!listed.ok) throw new Error(`seeding: listing alice's booking types answered ${listed.status}`);
  const existing = ((await listed.json()) as { bookingTypes: { linkToken: string }[] }).bookingTypes[0];
  if (existing) return existing.linkToken;
  const created = await fetch(`${url}/api/agenda/booking-types`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      title: "Premier rendez-vous avec Alice Martin",
      durationMinutes: 30,
      description: "Une demi-heure pour faire connaissance et parler de votre projet.",
      questions: [
        { id: "sujet", label: "Quel est l’objet du rendez-vous ?", required: true },
        { id: "societe", label: "Votre société", required: false },
      ],
    }),
  });
  if (!created.ok)
    throw new Error(`seeding: alice's booking type answered ${created.status}: ${await created.text()}`);
  return ((await created.json()) as { linkToken: string }).linkToken;
}
