import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  createAiService,
  createGoogleSandbox,
  createZoomSandbox,
  type Database,
  freePort,
  startDatabase,
} from "@crm-agenda/sandbox";
import pg from "pg";
import { connectAccount, sandboxAccounts, sandboxClient } from "../../packages/agenda-server/test/oauthFlow";

const secretToken = "zoom-webhook-secret-for-chaos-tests";
const encryptionKeys = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const schema = "chaos";
/** The queues whose every job must end completed: a webhook's, a summary's, a calendar write's. */
const workQueues = ["agenda.zoom-event", "agenda.call-summary", "agenda.calendar-push"];

/** What a host process said on stdout: its summary hooks and the errors it handed to onError. */
interface HostReports {
  summaryHooks: string[];
  errors: string[];
}

interface Host {
  process: ChildProcess;
  reports: HostReports;
  /** The end of what it wrote to stderr: why it died, if it did. */
  stderr: string[];
  /** Killed by the test, on purpose. */
  killed: boolean;
}

export interface ChaosOptions {
  /** Worker instances in processes of their own besides the web instance; the web one then runs no jobs. */
  workers?: number;
  /** A job running longer is taken as lost and retried. */
  timeoutSeconds?: number;
}

/**
 * A CRM server with the agenda (a child process), on a PostgreSQL of its own that the test may cut
 * off, stop and start again, with the Zoom, Google and AI stand-ins; alice has Zoom and Google
 * connected. The test drives calls, webhooks and calendar writes through it, breaks things, waits
 * for the work to settle and reads the figures.
 */
export async function startChaos(options: ChaosOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "crm-agenda-chaos-"));
  // Reachable by the postgres user under root, so the data stays here and goes with the folder.
  chmodSync(dataDir, 0o755);
  const databasePort = await freePort();
  const databaseOptions = { dataDir: join(dataDir, "postgres"), port: databasePort, databaseName: "chaos" };
  let database: Database = await startDatabase(databaseOptions);
  const admin = new pg.Pool({ connectionString: database.url, max: 2 });
  // The figures' own connections are cut with the others; they reconnect on the next query.
  admin.on("error", () => {});

  const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
  const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
  const ai = createAiService();
  const zoomServer = await zoom.start();
  const googleServer = await google.start();
  const aiServer = await ai.start({ port: 0 });
  const webPort = await freePort();
  const baseUrl = `http://127.0.0.1:${webPort}/api/agenda`;
  const agendaOptions = {
    providers: {
      zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken },
      google: { ...sandboxClient, baseUrl: googleServer.url },
    },
    encryptionKeys,
    publicUrl: baseUrl,
    ai: { baseUrl: aiServer.url, idleTimeoutMs: 20_000 },
    jobs: {
      retryLimit: 20,
      retryDelaySeconds: 1,
      timeoutSeconds: options.timeoutSeconds ?? 30,
      maintenanceIntervalSeconds: 1,
    },
    runJobs: !options.workers,
  };

  const hosts: Host[] = [];
  async function startHost(web: boolean) {
    const child = spawn(
      process.execPath,
      ["--conditions=@crm-agenda/source", "--import", "tsx", join(import.meta.dirname, "chaosHost.ts")],
      {
        env: {
          ...process.env,
          CHAOS_HOST: JSON.stringify({
            databaseUrl: database.url,
            schema,
            web,
            port: web ? webPort : undefined,
            options: web ? agendaOptions : { ...agendaOptions, runJobs: true },
          }),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const host: Host = {
      process: child,
      reports: { summaryHooks: [], errors: [] },
      stderr: [],
      killed: false,
    };
    hosts.push(host);
    createInterface({ input: child.stderr! }).on("line", (line) => {
      host.stderr.push(line);
      if (host.stderr.length > 40) host.stderr.shift();
    });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const report = JSON.parse(line) as { ready?: true; hook?: string; eventId?: string; error?: string };
        if (report.ready) resolve();
        if (report.hook === "summaryReady") host.reports.summaryHooks.push(report.eventId!);
        if (report.error) host.reports.errors.push(report.error);
      });
      child.once("exit", (code, signal) => reject(new Error(`a host exited early (${code ?? signal})`)));
    });
    return host;
  }

  const web = await startHost(true);
  for (let worker = 0; worker < (options.workers ?? 0); worker++) await startHost(false);
  await connectAccount(baseUrl, "zoom", "alice", "acct-alice");
  await connectAccount(baseUrl, "google", "alice", "acct-alice");

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "x-test-user": "alice", ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Sent again until answered (an error stands for a dropped request), as a browser's user would. */
  async function persist<T>(attempt: () => Promise<{ status: number; body?: T }>, succeeded: number) {
    for (let tries = 1; ; tries++) {
      const response = await attempt().catch(() => ({ status: 0, body: undefined }));
      if (response.status === succeeded) return response.body as T;
      if (tries === 60) throw new Error(`still answered ${response.status} after ${tries} tries`);
      await sleep(250);
    }
  }

  type Meeting = ReturnType<typeof zoom.recordings.addRecording>;
  /** The work asked of the agenda, for the figures. */
  const work = {
    calls: [] as { eventId: string; meeting: Meeting; told: boolean }[],
    webhooks: 0,
    crmEvents: [] as string[],
    deliveries: { refusedFirst: 0, lost: 0 },
  };
  let made = 0;
  const meetingIds = 92_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000;

  return {
    ai,
    google,
    baseUrl,
    hosts,
    web,
    /** Workers only (not the web instance). */
    workers: () => hosts.filter((host) => host !== web),

    /** Zoom calls on alice's agenda that just ended, each with its recording and transcript at Zoom. */
    async scheduleCalls(count: number) {
      await Promise.all(
        Array.from({ length: count }, async () => {
          const number = ++made;
          const meetingId = meetingIds + number;
          const start = new Date(Date.now() - 3600_000);
          const event = await persist<{ id: string }>(
            () =>
              call("POST", "/events", {
                title: `Appel ${number}`,
                start: start.toISOString(),
                end: new Date(start.getTime() + 1800_000).toISOString(),
                timeZone: "Europe/Paris",
                conference: { provider: "zoom", meetingId: String(meetingId) },
              }),
            201,
          );
          const meeting = zoom.recordings.addRecording({
            account: sandboxAccounts[0]!,
            meetingId,
            topic: `Appel ${number}`,
            startTime: start,
            durationMinutes: 3,
            vtt: "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nMarie Dupont: On a décidé de renouveler le contrat.\n\n2\n00:00:06.000 --> 00:00:09.000\nAlice Martin: Je vais envoyer l'avenant vendredi.\n",
            participants: [{ name: "Marie Dupont" }],
          });
          work.calls.push({ eventId: event.id, meeting, told: false });
        }),
      );
    },

    /**
     * Zoom's `recording.transcript_completed` for every scheduled call not yet told, all at once,
     * each sent `copies` times (Zoom may deliver an event more than once). A delivery not answered
     * 2xx is sent again, as Zoom retries it (sooner here).
     */
    async deliverTranscripts({ copies = 1 } = {}) {
      const { deliveries } = work;
      const untold = work.calls.filter((entry) => !entry.told);
      for (const entry of untold) entry.told = true;
      await Promise.all(
        untold
          .flatMap((entry) => Array.from({ length: copies }, () => entry))
          .map(async (entry) => {
            work.webhooks++;
            const event = zoom.recordings.transcriptCompletedEvent(entry.meeting);
            for (let tries = 1; tries <= 60; tries++) {
              const response = await zoom.recordings
                .deliver(`${baseUrl}/webhooks/zoom`, secretToken, event)
                .catch(() => null);
              if (response?.ok) return;
              if (tries === 1) deliveries.refusedFirst++;
              await sleep(250);
            }
            deliveries.lost++;
          }),
      );
    },

    /** Events created in the agenda, each to be written once to alice's Google Calendar. */
    async createCrmEvents(count: number) {
      await Promise.all(
        Array.from({ length: count }, async () => {
          const number = ++made;
          const day = new Date(Date.now() + (number % 300) * 86_400_000);
          day.setUTCHours(9, 0, 0, 0);
          const created = await persist<{ id: string }>(
            () =>
              call("POST", "/events", {
                title: `Rendez-vous ${number}`,
                start: day.toISOString(),
                end: new Date(day.getTime() + 3600_000).toISOString(),
                timeZone: "Europe/Paris",
              }),
            201,
          );
          work.crmEvents.push(created.id);
        }),
      );
    },

    /** What a failover or an idle-connection reaper does: every session of the database ended. */
    async dropEveryConnection(): Promise<number> {
      const killer = new pg.Client({ connectionString: database.url });
      killer.on("error", () => {});
      await killer.connect();
      const { rows } = await killer.query(
        "select count(*) filter (where pg_terminate_backend(pid))::int as ended from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
      );
      await killer.end();
      return rows[0].ended;
    },

    /** Stops PostgreSQL at once (its fast shutdown), keeps it down for `downMs`, starts it again. */
    async restartDatabase(downMs: number) {
      await database.stop({ graceMs: 0 });
      await sleep(downMs);
      database = await startDatabase(databaseOptions);
    },

    /** Waits until every call has its summary and every CRM event its Google copy, and no work is left. */
    async settle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const dead = hosts.find((host) => host.process.exitCode !== null && !host.killed);
        if (dead)
          throw new Error(
            `a host process died (exit code ${dead.process.exitCode}):\n${dead.stderr.join("\n")}`,
          );
        const figures = await this.figures().catch(() => null);
        if (figures && figures.unfinishedJobs === 0 && figures.lost === 0) return;
        if (Date.now() > deadline)
          throw new Error(`the work did not settle within ${timeoutMs} ms: ${JSON.stringify(figures)}`);
        await sleep(500);
      }
    },

    /** Ends a worker process at once, as a crash or an OOM kill does. */
    kill(host: Host) {
      host.killed = true;
      host.process.kill("SIGKILL");
    },

    async figures() {
      const { calls, crmEvents, deliveries } = work;
      const summaries = await admin.query<{ event_id: string; status: string }>(
        `select event_id, status from "${schema}".summaries`,
      );
      const ready = new Set(
        summaries.rows.filter((row) => row.status === "ready").map((row) => row.event_id),
      );
      const jobs = await admin.query<{ name: string; state: string; count: number }>(
        `select name, state, count(*)::int as count from "${schema}_jobs".job group by name, state`,
      );
      const count = (names: string[], states: string[]) =>
        jobs.rows
          .filter((row) => names.includes(row.name) && states.includes(row.state))
          .reduce((sum, row) => sum + row.count, 0);
      const hooks = hosts.flatMap((host) => host.reports.summaryHooks);
      const hooksPerCall = calls.map((entry) => hooks.filter((eventId) => eventId === entry.eventId).length);
      const copies = google.calendar.list("acct-alice");
      const copiesPerEvent = crmEvents.map(
        (id) => copies.filter((copy) => copy.extendedProperties?.private?.crmAgendaEventId === id).length,
      );
      const extra = (counts: number[]) => counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
      // A job that used up its retries, or went to the dead letters, is work that was not done.
      const failedJobs =
        count(workQueues, ["failed"]) +
        count(["agenda.dead-letters"], ["created", "retry", "active", "completed", "failed"]);
      return {
        calls: calls.length,
        webhooks: work.webhooks,
        crmEvents: crmEvents.length,
        jobsFinished: count(workQueues, ["completed"]),
        unfinishedJobs: count(workQueues, ["created", "retry", "active"]),
        failedJobs,
        duplicated: extra(hooksPerCall) + extra(copiesPerEvent),
        lost:
          calls.filter((entry, index) => !ready.has(entry.eventId) || hooksPerCall[index] === 0).length +
          copiesPerEvent.filter((n) => n === 0).length +
          deliveries.lost +
          failedJobs,
        deliveriesRefusedFirst: deliveries.refusedFirst,
        errorsReported: hosts.reduce((sum, host) => sum + host.reports.errors.length, 0),
      };
    },

    /** Whether the web instance's process still runs and its router still answers. */
    async webAlive() {
      if (web.process.exitCode !== null || web.process.signalCode !== null) return false;
      const health = await fetch(`${baseUrl}/health`).catch(() => null);
      return health !== null && health.status < 500;
    },

    async stop() {
      for (const host of hosts) if (host.process.exitCode === null) host.process.kill("SIGKILL");
      await admin.end();
      await database.stop({ graceMs: 0 });
      await zoomServer.stop();
      await googleServer.stop();
      await aiServer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Chaos = Awaited<ReturnType<typeof startChaos>>;

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The figures of each case as one table on stdout, for the README's Reliability section. */
export function printFigures(rows: { case: string; figures: Awaited<ReturnType<Chaos["figures"]>> }[]) {
  if (rows.length === 0) return;
  const table = rows.map(({ case: name, figures }) => ({
    case: name,
    "jobs finished": figures.jobsFinished,
    duplicated: figures.duplicated,
    lost: figures.lost,
    calls: figures.calls,
    webhooks: figures.webhooks,
    "calendar writes": figures.crmEvents,
    "webhooks retried": figures.deliveriesRefusedFirst,
    "errors to onError": figures.errorsReported,
  }));
  const columns = Object.keys(table[0] ?? {});
  const widths = columns.map((column) =>
    Math.max(column.length, ...table.map((row) => String(row[column as keyof typeof row]).length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  process.stdout.write(
    [
      "",
      line(columns),
      `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`,
      ...table.map((row) => line(columns.map((column) => String(row[column as keyof typeof row])))),
      "",
    ].join("\n"),
  );
}
