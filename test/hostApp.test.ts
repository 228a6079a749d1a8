import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createGoogleSandbox, freePort, type RunningSandbox } from "@crm-agenda/sandbox";
import express from "express";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// A CRM as most are written: global JSON and form parsers, a cookie session, and the BUILT router
// (what a host installs), tried from the outside over HTTP. Needs `pnpm run build` first.
const builtServer = resolve(import.meta.dirname, "../packages/agenda-server/dist/index.js");

const zoomSecret = "zoom-webhook-secret-for-the-host-test";
const pubsubTopic = "projects/crm-host-test/topics/meet-transcripts";
const serviceAccountEmail = "meet-push@crm-host-test.iam.gserviceaccount.com";
const googleClient = { clientId: "crm-host-test", clientSecret: "test-secret-not-real" };
const google = createGoogleSandbox({ accounts: [], client: googleClient });
let googleServer: RunningSandbox;
let pool: pg.Pool;

interface HostApp {
  origin: string;
  agendaUrl: string;
  errors: unknown[];
  schema: string;
  signIn(userId: "alice" | "bob"): Promise<string>;
  stop(): Promise<void>;
}

/** The host CRM: `keepRawBody` says whether its parsers keep the bytes for the agenda's webhooks. */
async function startHostApp(options: { keepRawBody: boolean }): Promise<HostApp> {
  if (!existsSync(builtServer)) throw new Error(`${builtServer} is missing: run pnpm run build first`);
  const { createAgenda } = (await import(
    pathToFileURL(builtServer).href
  )) as typeof import("@crm-agenda/server");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const schema = `host_${randomBytes(5).toString("hex")}`;
  const errors: unknown[] = [];
  const sessions = new Map<string, { userId: string; tenantId: string; email: string }>();
  const sessionOf = (req: express.Request) => {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    return (sid && sessions.get(sid)) || null;
  };
  const agenda = createAgenda({
    database: pool,
    schema,
    auth: sessionOf,
    clients: { findByEmails: async () => [], search: async () => [], get: async () => null },
    providers: {
      zoom: { ...googleClient, baseUrl: "http://127.0.0.1:9", webhookSecretToken: zoomSecret },
      google: {
        ...googleClient,
        baseUrl: googleServer.url,
        pubsub: { topic: pubsubTopic, serviceAccountEmail },
      },
    },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    publicUrl: `${origin}/api/agenda`,
    ai: { baseUrl: "http://127.0.0.1:9" },
    runJobs: false,
    onError: (error) => errors.push(error),
  });
  await agenda.start();

  const app = express();
  const verify = options.keepRawBody ? { verify: agenda.keepRawBody } : {};
  app.use(express.json(verify));
  app.use(express.urlencoded({ extended: true, ...verify }));
  app.post("/login", (req, res) => {
    const userId = req.body.user as "alice" | "bob";
    const sid = randomBytes(16).toString("hex");
    sessions.set(sid, {
      userId,
      tenantId: userId === "bob" ? "globex" : "acme",
      email: `${userId}@crm.test`,
    });
    res.cookie("sid", sid, { httpOnly: true, sameSite: "lax", path: "/" }).status(204).end();
  });
  app.use("/api/agenda", agenda.router);
  const server: Server = app.listen(port, "127.0.0.1");
  await new Promise((done) => server.once("listening", done));

  return {
    origin,
    agendaUrl: `${origin}/api/agenda`,
    errors,
    schema,
    async signIn(userId) {
      const response = await fetch(`${origin}/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ user: userId }),
      });
      return response.headers.get("set-cookie")!.split(";")[0]!;
    },
    async stop() {
      await new Promise((done) => server.close(done));
      await agenda.stop();
      await pool.query(
        `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_jobs" cascade`,
      );
    },
  };
}

let keeping: HostApp;
let parsing: HostApp;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 10 });
  googleServer = await google.start();
  keeping = await startHostApp({ keepRawBody: true });
  parsing = await startHostApp({ keepRawBody: false });
}, 60_000);
afterAll(async () => {
  await keeping?.stop();
  await parsing?.stop();
  await googleServer?.stop();
  await pool?.end();
});

const meeting = {
  title: "Revue de contrat",
  start: "2026-11-24T09:00:00Z",
  end: "2026-11-24T10:00:00Z",
  timeZone: "Europe/Paris",
};

async function eventTitles(host: HostApp, cookie: string): Promise<string[]> {
  const response = await fetch(`${host.agendaUrl}/events?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z`, {
    headers: { cookie },
  });
  return ((await response.json()) as { events: { title: string }[] }).events.map((event) => event.title);
}

describe("a host with global body parsers and a cookie session", () => {
  it("refuses a cross-site form posted into the signed-in user's agenda", async () => {
    const cookie = await parsing.signIn("alice");
    // What a browser sends for an auto-submitted <form method="post"> on another site (SameSite=None
    // cookies, or an older browser): the host's urlencoded parser reads it before the router.
    const forged = await fetch(`${parsing.agendaUrl}/events`, {
      method: "POST",
      headers: {
        cookie,
        origin: "https://evil.test",
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ ...meeting, title: "Forged" }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");
    expect(await eventTitles(parsing, cookie)).not.toContain("Forged");
  });

  it("refuses a form posted from the same origin, whose body the host parsed", async () => {
    const cookie = await parsing.signIn("alice");
    const forged = await fetch(`${parsing.agendaUrl}/events`, {
      method: "POST",
      headers: { cookie, origin: parsing.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...meeting, title: "Form" }),
    });
    expect(forged.status).toBe(403);
    expect(await eventTitles(parsing, cookie)).not.toContain("Form");
  });

  it("refuses a body-less cross-site DELETE and regenerate", async () => {
    const cookie = await parsing.signIn("alice");
    const created = await fetch(`${parsing.agendaUrl}/events`, {
      method: "POST",
      headers: { cookie, origin: parsing.origin, "content-type": "application/json" },
      body: JSON.stringify({ ...meeting, title: "Kept" }),
    });
    const { id } = (await created.json()) as { id: string };
    for (const [method, path] of [
      ["DELETE", `/events/${id}`],
      ["POST", `/events/${id}/summary/regenerate`],
    ] as const) {
      const response = await fetch(`${parsing.agendaUrl}${path}`, {
        method,
        headers: { cookie, origin: "https://evil.test", "sec-fetch-site": "cross-site" },
      });
      expect(response.status).toBe(403);
    }
    expect(await eventTitles(parsing, cookie)).toContain("Kept");
  });

  it("accepts JSON from its own origin", async () => {
    const cookie = await parsing.signIn("bob");
    const created = await fetch(`${parsing.agendaUrl}/events`, {
      method: "POST",
      headers: {
        cookie,
        origin: parsing.origin,
        "sec-fetch-site": "same-origin",
        "content-type": "application/json",
      },
      body: JSON.stringify({ ...meeting, title: "Same origin" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const deleted = await fetch(`${parsing.agendaUrl}/events/${id}`, {
      method: "DELETE",
      headers: { cookie, origin: parsing.origin, "content-type": "application/json" },
    });
    expect(deleted.status).toBe(204);
  });
});

/** A Zoom delivery signed over these exact bytes: spaced and ordered as no JSON.stringify writes them. */
function zoomDelivery(host: HostApp) {
  const body = `{ "payload": { "object": { "id": ${Date.now()} } },  "event": "meeting.started", "event_ts": ${Date.now()} }`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", zoomSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return fetch(`${host.agendaUrl}/webhooks/zoom`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-zm-request-timestamp": timestamp,
      "x-zm-signature": signature,
    },
    body,
  });
}

function graphNotification(host: HostApp) {
  return fetch(`${host.agendaUrl}/webhooks/microsoft`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      value: [
        { subscriptionId: "not-ours", clientState: "x", changeType: "updated", resource: "me/events/1" },
      ],
    }),
  });
}

/** As Google documents it: Content-Type application/json and an empty body, the channel in headers. */
function googleCalendarPush(host: HostApp) {
  return fetch(`${host.agendaUrl}/webhooks/google/calendar`, {
    method: "POST",
    headers: {
      "content-type": "application/json; utf-8",
      "content-length": "0",
      "x-goog-channel-id": "not-ours",
      "x-goog-resource-state": "exists",
      "x-goog-message-number": "1",
    },
  });
}

function pubSubPush(host: HostApp) {
  const token = google.workspaceEvents.signToken({
    aud: `${host.agendaUrl}/webhooks/google/events`,
    email: serviceAccountEmail,
  });
  const messageId = randomBytes(6).toString("hex");
  return fetch(`${host.agendaUrl}/webhooks/google/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      message: { attributes: {}, data: "", messageId, publishTime: new Date().toISOString() },
      subscription: "projects/crm-host-test/subscriptions/agenda-push",
    }),
  });
}

async function deliveries(host: HostApp, source: string): Promise<number> {
  const result = await pool.query(
    `select count(*)::int as count from "${host.schema}".deliveries where source = $1`,
    [source],
  );
  return result.rows[0].count;
}

describe("webhooks behind the host's parsers, with agenda.keepRawBody", () => {
  it("checks Zoom's signature on the exact bytes", async () => {
    const response = await zoomDelivery(keeping);
    expect(response.status).toBe(204);
    expect(await deliveries(keeping, "zoom")).toBe(1);
  });

  it("takes a Graph notification", async () => {
    expect((await graphNotification(keeping)).status).toBe(202);
  });

  it("takes a Google Calendar push", async () => {
    expect((await googleCalendarPush(keeping)).status).toBe(200);
  });

  it("takes a Pub/Sub push", async () => {
    expect((await pubSubPush(keeping)).status).toBe(204);
    expect(await deliveries(keeping, "google-events")).toBe(1);
  });

  it("reports nothing to onError", () => {
    expect(keeping.errors).toEqual([]);
  });
});

describe("webhooks behind the host's parsers, without agenda.keepRawBody", () => {
  async function expectRawBodyUnavailable(response: Response) {
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("raw_body_unavailable");
    expect(body.error.message).toMatch(/verify: agenda\.keepRawBody/);
    expect(String(parsing.errors.at(-1))).toMatch(/mount the agenda router before the body parsers/);
  }

  it("refuses to verify Zoom's signature on JSON serialised again, and says how to fix it", async () => {
    await expectRawBodyUnavailable(await zoomDelivery(parsing));
    expect(await deliveries(parsing, "zoom")).toBe(0);
  });

  it("says the same for a Graph notification", async () => {
    await expectRawBodyUnavailable(await graphNotification(parsing));
  });

  it("says the same for a Pub/Sub push", async () => {
    await expectRawBodyUnavailable(await pubSubPush(parsing));
  });

  it("takes a Google Calendar push, whose content is all in its headers", async () => {
    expect((await googleCalendarPush(parsing)).status).toBe(200);
  });
});
