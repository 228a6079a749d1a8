import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { followSummaryStream } from "./followSummaryStream";

// Every backend of a database is terminated here, as a failover, a restart or an idle-connection
// reaper does; the host works in a database of its own so the other test files keep theirs.
const databaseName = `agenda_loss_${randomBytes(4).toString("hex")}`;
let databaseUrl: string;
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  await admin.query(`create database ${databaseName}`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
});
afterAll(async () => {
  await admin.query(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
});

type HostLine =
  | { type: "ready"; baseUrl: string }
  | { type: "error"; messages: string[] }
  | { type: "closed"; listenersBefore: object; listenersAfter: object }
  | { type: "stop failed"; messages: string[] };

/** The host CRM in its own process, as `HOST_CONFIG` says; its lines are collected as they come. */
async function startHost(database: "pool" | "connection string", schema: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--conditions=@crm-agenda/source",
      "--import",
      "tsx",
      new URL("./hostProcess.ts", import.meta.url).pathname,
    ],
    {
      env: { ...process.env, HOST_CONFIG: JSON.stringify({ databaseUrl, database, schema }) },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines: HostLine[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await new Promise<{ baseUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (text) => {
      const line = JSON.parse(text) as HostLine;
      lines.push(line);
      if (line.type === "ready") resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`the host exited before it was ready (${code})`)));
  });
  return { child, lines, exited, baseUrl: ready.baseUrl };
}

async function call(baseUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "x-test-user": "alice", ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** An event whose summary is being written, so its stream stays open until the row says otherwise. */
async function pendingSummary(baseUrl: string, schema: string): Promise<string> {
  const start = new Date(Date.now() - 3600_000);
  const created = await call(baseUrl, "POST", "/events", {
    title: "Point hebdomadaire",
    start: start.toISOString(),
    end: new Date(start.getTime() + 1800_000).toISOString(),
    timeZone: "Europe/Paris",
  });
  expect(created.status).toBe(201);
  await query(`update "${schema}".events set summary_status = 'pending' where id = $1`, [created.body.id]);
  return created.body.id;
}

async function query(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

const range = () =>
  new URLSearchParams({
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 86_400_000).toISOString(),
  }).toString();

const terminateAll =
  "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()";

describe.each(["pool", "connection string"] as const)(
  "a host on its %s, when the database drops every connection",
  (database) => {
    const schema = `loss_${database === "pool" ? "pool" : "url"}_${randomBytes(3).toString("hex")}`;
    let host: Awaited<ReturnType<typeof startHost>>;

    beforeAll(async () => {
      host = await startHost(database, schema);
    }, 90_000);
    afterAll(() => {
      if (host?.child.exitCode === null) host.child.kill("SIGKILL");
    });

    it("stays up, reports the loss, answers again and listens for summaries again", async () => {
      expect((await call(host.baseUrl, "GET", "/health")).status).toBe(200);
      const eventId = await pendingSummary(host.baseUrl, schema);
      const stream = followSummaryStream(host.baseUrl, eventId);
      await expect.poll(() => stream.events.length).toBe(1);

      const listening = async () =>
        (await query("select 1 from pg_stat_activity where query = $1", [`listen "${schema}_summary_feed"`]))
          .rowCount;
      for (let round = 0; round < 2; round++) {
        const { rowCount } = await query(terminateAll);
        expect(rowCount).toBeGreaterThan(0);
        // The feed listens again on a new connection, and requests reach the database again.
        await expect.poll(listening, { timeout: 20_000 }).toBe(1);
        await expect
          .poll(async () => (await call(host.baseUrl, "GET", `/events?${range()}`)).status, {
            timeout: 20_000,
          })
          .toBe(200);
      }
      expect(host.child.exitCode).toBeNull();
      expect(host.child.signalCode).toBeNull();
      const reported = host.lines.flatMap((line) => (line.type === "error" ? line.messages : []));
      expect(
        reported.some((message) => /terminating connection due to administrator command/.test(message)),
      ).toBe(true);
      expect(reported.some((message) => /summary feed lost its database connection/.test(message))).toBe(
        true,
      );
      // The database and the job queue (pg-boss, on the same pool) answer again.
      await expect
        .poll(
          async () => {
            const health = (await call(host.baseUrl, "GET", "/health")).body;
            return [health?.database?.ok, health?.queue?.ok];
          },
          { timeout: 20_000 },
        )
        .toEqual([true, true]);
      // The stream opened before the loss hears the next change through the restored feed.
      await query(`update "${schema}".events set summary_status = 'failed' where id = $1`, [eventId]);
      await query("select pg_notify($1, $2)", [
        `${schema}_summary_feed`,
        JSON.stringify({ eventId, message: { type: "changed" } }),
      ]);
      await stream.reading;
      expect(stream.events.at(-1)?.data.summary?.status).toBe("failed");
    }, 90_000);

    it("stops with a stream open: agenda.stop() ends it, server.close() returns, the process ends", async () => {
      const eventId = await pendingSummary(host.baseUrl, schema);
      const stream = followSummaryStream(host.baseUrl, eventId);
      await expect.poll(() => stream.events.length).toBe(1);
      host.child.stdin!.write("stop\n");
      await stream.reading;
      expect(stream.ended()).toBe(true);
      expect(await host.exited).toBe(0);
      const closed = host.lines.find((line) => line.type === "closed");
      expect(closed).toBeDefined();
      // The host's pool keeps the host's listeners, and only them.
      if (closed?.type === "closed") expect(closed.listenersAfter).toEqual(closed.listenersBefore);
      expect(host.lines.filter((line) => line.type === "stop failed")).toEqual([]);
    }, 60_000);
  },
);
