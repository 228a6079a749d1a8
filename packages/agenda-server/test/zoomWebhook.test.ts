import { createHmac } from "node:crypto";
import { createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import { connectAccount, consent, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const secretToken = "zoom-webhook-secret-for-tests";
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let zoomSandbox: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  zoomSandbox = await zoom.start();
  agenda = await startTestAgenda({
    providers: { zoom: { ...sandboxClient, baseUrl: zoomSandbox.url, webhookSecretToken: secretToken } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  });
});
afterAll(async () => {
  await agenda.stop();
  await zoomSandbox.stop();
});
afterEach(async () => {
  await agenda.pool.query(`delete from "${agenda.schema}".deliveries`);
  await agenda.pool.query(`delete from "${agenda.schema}".delivery_jobs`);
  await agenda.pool.query(`delete from "${agenda.schema}_jobs".job where name = $1`, [jobQueues.zoomEvent]);
});

function signedHeaders(body: string, options: { secret?: string; timestamp?: number } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", options.secret ?? secretToken)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex")}`;
  return {
    "content-type": "application/json",
    "x-zm-request-timestamp": timestamp,
    "x-zm-signature": signature,
  };
}

async function deliver(body: string, headers: Record<string, string>, baseUrl = agenda.baseUrl) {
  const response = await fetch(`${baseUrl}/webhooks/zoom`, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function recorded() {
  const deliveries = await agenda.pool.query(
    `select count(*)::int as count from "${agenda.schema}".deliveries`,
  );
  const jobs = await agenda.pool.query(
    `select count(*)::int as count from "${agenda.schema}_jobs".job where name = $1`,
    [jobQueues.zoomEvent],
  );
  return { deliveries: deliveries.rows[0].count, jobs: jobs.rows[0].count };
}

const deauthorization = (userId: string, at = Date.now()) =>
  JSON.stringify({
    event: "app_deauthorized",
    event_ts: at,
    payload: {
      account_id: "zoom-account",
      user_id: userId,
      signature: "x",
      deauthorization_time: new Date(at).toISOString(),
      client_id: sandboxClient.clientId,
    },
  });

describe("POST /webhooks/zoom", () => {
  it("answers Zoom's URL validation challenge", async () => {
    const body = JSON.stringify({
      payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" },
      event_ts: 1654503849680,
      event: "endpoint.url_validation",
    });
    const response = await deliver(body, signedHeaders(body));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: createHmac("sha256", secretToken).update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"),
    });
  });

  it("refuses forged, stale, future and tampered deliveries, and enqueues nothing", async () => {
    const body = deauthorization("acct-nobody");
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      { name: "forged", headers: signedHeaders(body, { secret: "not-the-secret" }), body },
      { name: "stale", headers: signedHeaders(body, { timestamp: now - 6 * 60 }), body },
      { name: "future", headers: signedHeaders(body, { timestamp: now + 6 * 60 }), body },
      { name: "tampered", headers: signedHeaders(body), body: body.replace("acct-nobody", "acct-alice") },
      { name: "unsigned", headers: { "content-type": "application/json" }, body },
    ];
    for (const attempt of cases) {
      const response = await deliver(attempt.body, attempt.headers);
      expect(response.status, attempt.name).toBe(401);
      expect(response.body.error.message, attempt.name).toMatch(/^Zoom webhook refused/);
    }
    expect(await recorded()).toEqual({ deliveries: 0, jobs: 0 });
  });

  it("answers 413 for a body over the limit, and 400 for a signed body that is not an event", async () => {
    const huge = JSON.stringify({ event: "x", payload: { blob: "x".repeat(1_100_000) } });
    expect((await deliver(huge, signedHeaders(huge))).status).toBe(413);
    // Without a Content-Length (chunked), the body is refused as it comes.
    const chunked = await fetch(`${agenda.baseUrl}/webhooks/zoom`, {
      method: "POST",
      headers: signedHeaders(huge),
      body: new Blob([huge]).stream(),
      duplex: "half", // Node's fetch needs it for a stream; the DOM types leave it out.
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const notAnEvent = JSON.stringify({ hello: "world" });
    expect((await deliver(notAnEvent, signedHeaders(notAnEvent))).status).toBe(400);
    expect(await recorded()).toEqual({ deliveries: 0, jobs: 0 });
  });

  it("records 50 concurrent copies of one delivery once, with one job", async () => {
    const body = deauthorization("acct-nobody");
    const headers = signedHeaders(body);
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliver(body, headers)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(204));
    await expect.poll(recorded, { timeout: 10_000 }).toEqual({ deliveries: 1, jobs: 1 });
    // Nothing else comes later.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await recorded()).toEqual({ deliveries: 1, jobs: 1 });
  });

  it("queues each delivery's job once when two instances move them into the queue", async () => {
    const second = await startTestAgenda({
      schema: agenda.schema,
      providers: { zoom: { ...sandboxClient, baseUrl: zoomSandbox.url, webhookSecretToken: secretToken } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    });
    try {
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, index) => {
          const body = deauthorization(`acct-nobody-${index}`);
          return deliver(body, signedHeaders(body), index % 2 ? second.baseUrl : agenda.baseUrl);
        }),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(200).fill(204));
      const queuedItems = async () =>
        (
          await agenda.pool.query(
            `select coalesce(sum(jsonb_array_length(data->'items')), 0)::int as count
             from "${agenda.schema}_jobs".job where name = $1`,
            [jobQueues.zoomEvent],
          )
        ).rows[0].count;
      await expect.poll(queuedItems, { timeout: 10_000 }).toBe(200);
      const waiting = await agenda.pool.query(
        `select count(*)::int as count from "${agenda.schema}".delivery_jobs`,
      );
      expect(waiting.rows[0].count).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it("queues the job of a delivery acknowledged by an instance that stopped before queueing it", async () => {
    // What such an instance leaves behind: the delivery and its job in the outbox, committed together.
    const envelope = JSON.parse(deauthorization("acct-nobody"));
    await agenda.pool.query(
      `with delivery as (
         insert into "${agenda.schema}".deliveries (source, delivery_key, event_type)
         values ('zoom', 'left-behind', 'app_deauthorized')
       )
       insert into "${agenda.schema}".delivery_jobs (queue, data, batch) values ($1, $2, true)`,
      [jobQueues.zoomEvent, envelope],
    );
    const restarted = await startTestAgenda({
      schema: agenda.schema,
      providers: { zoom: { ...sandboxClient, baseUrl: zoomSandbox.url, webhookSecretToken: secretToken } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    });
    try {
      await expect.poll(recorded, { timeout: 10_000 }).toEqual({ deliveries: 1, jobs: 1 });
      const { rows } = await agenda.pool.query(
        `select data from "${agenda.schema}_jobs".job where name = $1`,
        [jobQueues.zoomEvent],
      );
      expect(rows[0].data).toEqual({ items: [envelope] });
    } finally {
      await restarted.stop();
    }
  });

  it("forgets deliveries older than 30 days when an instance starts, keeping recent ones to recognise repeats", async () => {
    await agenda.pool.query(
      `insert into "${agenda.schema}".deliveries (source, delivery_key, event_type, received_at) values
         ('zoom', 'from-last-month', 'app_deauthorized', now() - interval '31 days'),
         ('zoom', 'from-last-week', 'app_deauthorized', now() - interval '7 days')`,
    );
    const kept = () =>
      agenda.pool
        .query<{ key: string }>(
          `select delivery_key as key from "${agenda.schema}".deliveries
           where delivery_key in ('from-last-month', 'from-last-week') order by key`,
        )
        .then(({ rows }) => rows.map((row) => row.key));
    expect(await kept()).toEqual(["from-last-month", "from-last-week"]);
    const restarted = await startTestAgenda({
      schema: agenda.schema,
      providers: { zoom: { ...sandboxClient, baseUrl: zoomSandbox.url, webhookSecretToken: secretToken } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    });
    try {
      await expect.poll(kept, { timeout: 10_000 }).toEqual(["from-last-week"]);
    } finally {
      await restarted.stop();
    }
  });

  it("fails loudly when the host parsed the body before the router", async () => {
    const host = await startTestAgenda({
      providers: { zoom: { ...sandboxClient, baseUrl: zoomSandbox.url, webhookSecretToken: secretToken } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      beforeRouter: (app) => app.use(express.json()),
    });
    try {
      const body = deauthorization("acct-nobody");
      const response = await deliver(body, signedHeaders(body), host.baseUrl);
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe("raw_body_unavailable");
      expect(response.body.error.message).toMatch(/verify: agenda.keepRawBody/);
      expect(String(host.errors[0])).toMatch(/mount the agenda router before the body parsers/);
    } finally {
      await host.stop();
    }
  });

  it("deletes the user's Zoom tokens and call data on app_deauthorized", async () => {
    const connection = await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
    expect(connection.status).toBe("active");
    await agenda.pool.query(
      `insert into "${agenda.schema}".events (tenant_id, user_id, title, start_at, end_at, time_zone, source)
       values ('acme', 'alice', 'Appel Zoom', now(), now() + interval '1 hour', 'Europe/Paris', 'zoom'),
              ('acme', 'alice', 'Rendez-vous CRM', now(), now() + interval '1 hour', 'Europe/Paris', 'crm')`,
    );
    const body = deauthorization("acct-alice");
    expect((await deliver(body, signedHeaders(body))).status).toBe(204);
    await expect
      .poll(async () => (await agenda.call("alice", "GET", "/connections")).body.connections.length, {
        timeout: 15_000,
      })
      .toBe(0);
    // The job forgets the connection first, then deletes the Zoom events.
    await expect
      .poll(
        async () => {
          const { rows } = await agenda.pool.query(
            `select source from "${agenda.schema}".events where user_id = 'alice' order by source`,
          );
          return rows.map((row) => row.source);
        },
        { timeout: 5_000 },
      )
      .toEqual(["crm"]);
  });

  it("affects one owner only on app_deauthorized: a second CRM user could not connect the same Zoom login", async () => {
    await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
    const { callbackUrl } = await consent(agenda.baseUrl, "zoom", "bob", { account: "acct-alice" });
    const refused = await fetch(callbackUrl, { redirect: "manual", headers: { "x-test-user": "bob" } });
    expect(refused.headers.get("location")).toMatch(/agendaConnection=error&provider=zoom&reason=/);
    await connectAccount(agenda.baseUrl, "zoom", "bob", "acct-carol");
    await agenda.pool.query(
      `insert into "${agenda.schema}".events (tenant_id, user_id, title, start_at, end_at, time_zone, source)
       values ('globex', 'bob', 'Appel Zoom', now(), now() + interval '1 hour', 'Europe/Paris', 'zoom')`,
    );
    const body = deauthorization("acct-alice");
    expect((await deliver(body, signedHeaders(body))).status).toBe(204);
    await expect
      .poll(async () => (await agenda.call("alice", "GET", "/connections")).body.connections.length, {
        timeout: 15_000,
      })
      .toBe(0);
    expect((await agenda.call("bob", "GET", "/connections")).body.connections).toMatchObject([
      { provider: "zoom", accountEmail: "carol@acme.test", status: "active" },
    ]);
    const { rows } = await agenda.pool.query(
      `select title from "${agenda.schema}".events where user_id = 'bob' and source = 'zoom'`,
    );
    expect(rows).toEqual([{ title: "Appel Zoom" }]);
  });
});
