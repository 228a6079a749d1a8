import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type Agenda, createAgenda } from "../src/index";
import { createQueue } from "../src/jobs/createQueue";
import { clientDirectory } from "./startTestAgenda";

const started: Agenda[] = [];

function agendaOn(schema: string, errors: unknown[], extra: { stopTimeoutSeconds?: number } = {}) {
  const agenda = createAgenda({
    database: inject("databaseUrl"),
    schema,
    auth: () => null,
    clients: clientDirectory,
    ai: { baseUrl: "http://127.0.0.1:9" },
    polling: false,
    calendarSync: false,
    onError: (error) => errors.push(error),
    ...extra,
  });
  started.push(agenda);
  return agenda;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((agenda) => agenda.stop()));
});

describe("the job queue's life", () => {
  it("starts on every instance when several start at once on a fresh database", async () => {
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const errors: unknown[] = [];
    const instances = [1, 2, 3].map(() => agendaOn(schema, errors));

    const outcomes = await Promise.allSettled(instances.map((agenda) => agenda.start()));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(errors).toEqual([]);
  });

  it("drops the result of a job that outlived stop()'s deadline instead of rejecting in the host", async () => {
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const agenda = agendaOn(schema, errors, { stopTimeoutSeconds: 1 });
      await agenda.start();
      await agenda.queue.createQueue("test.slow", { name: "test.slow" });
      let running = false;
      let finished = false;
      await agenda.queue.work("test.slow", { pollingIntervalSeconds: 0.5 }, async () => {
        running = true;
        await sleep(2_500);
        finished = true;
      });
      await agenda.queue.send("test.slow", {});
      while (!running) await sleep(50);

      await agenda.stop();
      expect(finished).toBe(false);
      while (!finished) await sleep(50);
      await sleep(300);

      expect(unhandled).toEqual([]);
      expect(String(errors.find((error) => String(error).includes("after agenda.stop()")))).toContain(
        "runs it again",
      );
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("lets a job running at stop() finish within stopTimeoutSeconds, and marks it completed", async () => {
    const schema = `test_${randomBytes(5).toString("hex")}`;
    const errors: unknown[] = [];
    const agenda = agendaOn(schema, errors, { stopTimeoutSeconds: 10 });
    await agenda.start();
    await agenda.queue.createQueue("test.short", { name: "test.short" });
    let running = false;
    let finished = false;
    await agenda.queue.work("test.short", { pollingIntervalSeconds: 0.5 }, async () => {
      running = true;
      await sleep(1_000);
      finished = true;
    });
    const id = await agenda.queue.send("test.short", {});
    while (!running) await sleep(50);

    await agenda.stop();
    expect(finished).toBe(true);
    const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
    try {
      const { rows } = await pool.query(`select state from "${schema}_jobs".job where id = $1`, [id]);
      expect(rows[0]?.state).toBe("completed");
    } finally {
      await pool.end();
    }
    expect(errors).toEqual([]);
  });

  it("stops without rejecting while its database cannot be reached, the losses going to onError", async () => {
    const databaseName = `agenda_stop_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: inject("databaseUrl") });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    const url = new URL(inject("databaseUrl"));
    url.pathname = `/${databaseName}`;
    const errors: unknown[] = [];
    const agenda = createAgenda({
      database: url.toString(),
      schema: "agenda",
      auth: () => null,
      clients: clientDirectory,
      ai: { baseUrl: "http://127.0.0.1:9" },
      polling: false,
      calendarSync: false,
      stopTimeoutSeconds: 2,
      onError: (error) => errors.push(error),
    });
    try {
      await agenda.start();
      await admin.query(`alter database ${databaseName} with allow_connections false`);
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [databaseName],
      );

      const outcome = await Promise.race([
        agenda.stop().then(
          () => "resolved",
          (error: unknown) => `rejected: ${String(error)}`,
        ),
        sleep(30_000).then(() => "still stopping after 30 s"),
      ]);
      expect(outcome).toBe("resolved");
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error).toBeInstanceOf(Error);
    } finally {
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  });
});

describe("a job finishing while the database is away", () => {
  /** The real pool, with the completions of jobs refused while `away` says so, as by a lost server. */
  function poolAwayForCompletions(away: (text: string) => boolean) {
    const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4 });
    const refused: string[] = [];
    const flaky = new Proxy(pool, {
      get(target, property, receiver) {
        if (property !== "query") return Reflect.get(target, property, receiver);
        return (text: string, values?: unknown[]) => {
          if (typeof text === "string" && away(text)) {
            refused.push(text);
            return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
          }
          return target.query(text, values);
        };
      },
    });
    return { pool, flaky, refused };
  }

  /**
   * A queue on a pool refusing the completions `away` picks, with a `test.work` queue and a worker
   * running `handler`; what reached `onError` and what went unhandled in the process are collected.
   */
  async function withQueueAway(
    away: (text: string) => boolean,
    handler: () => Promise<void>,
    check: (state: {
      queue: ReturnType<typeof createQueue>;
      id: string;
      refused: string[];
      errors: unknown[];
      unhandled: unknown[];
    }) => Promise<void>,
  ) {
    const { pool, flaky, refused } = poolAwayForCompletions(away);
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const queue = createQueue(flaky, `test_${randomBytes(5).toString("hex")}_jobs`, {
      maintenanceIntervalSeconds: 60,
      reportError: (error) => errors.push(error),
      completionRetryDelaysMs: [100, 100, 100],
    });
    try {
      await queue.start();
      await queue.createQueue("test.work", { name: "test.work", retryLimit: 0 });
      const id = await queue.send("test.work", {});
      await queue.work("test.work", { pollingIntervalSeconds: 0.5 }, handler);
      await check({ queue, id: id!, refused, errors, unhandled });
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await queue.stop({ graceful: false, close: false });
      await pool.end();
    }
  }

  for (const outcome of ["completed", "failed"] as const) {
    it(`marks it ${outcome} once the database is back, with nothing unhandled in the host`, async () => {
      let refusals = 2;
      const isCompletion = (text: string) =>
        outcome === "completed" ? text.includes("state = 'completed'") : text.includes("deleted_jobs");
      await withQueueAway(
        (text) => isCompletion(text) && text.includes("UNNEST") && refusals-- > 0,
        async () => {
          if (outcome === "failed") throw new Error("the provider refused");
        },
        async ({ queue, id, refused, errors, unhandled }) => {
          await expect
            .poll(async () => (await queue.getJobById("test.work", id))?.state, { timeout: 15_000 })
            .toBe(outcome);
          expect(refused).toHaveLength(2);
          expect(unhandled).toEqual([]);
          expect(errors).toEqual([]);
        },
      );
    });
  }

  it("gives up after its last wait, tells onError the job runs again later, and leaves it active", async () => {
    await withQueueAway(
      (text) => text.includes("state = 'completed'") && text.includes("UNNEST"),
      async () => {},
      async ({ queue, id, refused, errors, unhandled }) => {
        await expect.poll(() => errors.length, { timeout: 15_000 }).toBe(1);
        // The first try and one after each of the three waits.
        expect(refused).toHaveLength(4);
        expect(String(errors[0])).toMatch(/could not be marked done .* runs again/);
        expect(String((errors[0] as Error).cause)).toMatch(/ECONNREFUSED/);
        expect((await queue.getJobById("test.work", id))?.state).toBe("active");
        expect(unhandled).toEqual([]);
      },
    );
  });
});
