import type { Pool } from "pg";
import PgBoss from "pg-boss";
import { withAdvisoryLock } from "../db/withAdvisoryLock";

/** Waits between tries of a job's completion while the database is away: about a minute in all. */
const completionRetryDelaysMs = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * pg-boss's statements that complete or fail a job by id. Its worker sends them without awaiting them
 * (pg-boss 10, manager.js `onFetch`), so their rejection would be unhandled in the host's process.
 */
function isJobCompletion(text: string): boolean {
  return (
    (text.includes("SET completed_on = now()") && text.includes("state = 'completed'")) ||
    (text.includes("WITH deleted_jobs AS") && text.includes("id IN (SELECT UNNEST($2::uuid[]))"))
  );
}

/** What pg-boss reads from a completion that did not reach the database: no job affected. */
const noJobAffected = { rows: [{ count: "0" }] };

/**
 * The job queue: pg-boss on the agenda's own database, in its own schema. It uses the agenda's pool so
 * a job can be enqueued in the same transaction as the row that caused it (pass `{ db }` to `send`).
 */
export function createQueue(
  pool: Pool,
  schemaName: string,
  options: {
    maintenanceIntervalSeconds: number;
    reportError(error: unknown): void;
    /** Waits between tries of a completion while the database is away. */
    completionRetryDelaysMs?: readonly number[];
  },
): PgBoss {
  const retryDelays = options.completionRetryDelaysMs ?? completionRetryDelaysMs;

  async function complete(text: string, values: unknown[]) {
    for (let attempt = 0; ; attempt++) {
      // A job that outlived stop()'s deadline: stop() already failed it, so the queue runs it again.
      if (pool.ending) {
        options.reportError(
          new Error(
            "a job finished after agenda.stop() closed the database pool; its result is dropped and the queue runs it again",
          ),
        );
        return noJobAffected;
      }
      try {
        return await pool.query(text, values);
      } catch (error) {
        const delay = retryDelays[attempt];
        if (delay === undefined) {
          options.reportError(
            new Error(
              "a finished job could not be marked done while the database was unreachable; it stays active until its expiry and then runs again",
              { cause: error },
            ),
          );
          return noJobAffected;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return new PgBoss({
    schema: schemaName,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    db: {
      async executeSql(text: string, values: unknown[]) {
        // Completions are retried until the database is back and never reject; every other statement
        // is awaited by whoever sent it, and fails to them as it is.
        if (isJobCompletion(text)) return complete(text, values);
        return pool.query(text, values);
      },
    },
  });
}

/**
 * Starts pg-boss and creates the agenda's queues under an advisory lock: instances starting at once on
 * a fresh database would otherwise race to create pg-boss's schema and its queues' tables, and fail on
 * Postgres's unique catalogue index or a deadlock.
 */
export async function startQueue(
  pool: Pool,
  queue: PgBoss,
  schemaName: string,
  afterStart: () => Promise<void>,
): Promise<void> {
  await withAdvisoryLock(pool, `crm-agenda:queue-start:${schemaName}`, { wait: true }, async () => {
    await queue.start();
    await afterStart();
  });
}

/** Run `send`'s SQL on a given client, so the job commits or rolls back with that client's transaction. */
export function onClient(client: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }) {
  return {
    async executeSql(text: string, values: unknown[]) {
      return client.query(text, values) as Promise<{ rows: never[] }>;
    },
  };
}

/**
 * A pg-boss `db` that runs nothing: each statement is kept, its parameters written in as literals,
 * to be sent with the transaction's COMMIT in one round trip (`statements()`). For `insert` only,
 * whose answer (the new jobs' ids) nobody reads: the job still commits, or not, with the rows.
 */
export function untilCommit(quote: (value: string) => string) {
  const kept: string[] = [];
  return {
    async executeSql(text: string, values: unknown[]) {
      kept.push(withLiterals(text, values, quote));
      return { rows: [] as never[] };
    },
    statements: (): readonly string[] => kept,
  };
}

/** `text` with each `$n` replaced by its value as an SQL literal (text, number, boolean or null). */
export function withLiterals(text: string, values: readonly unknown[], quote: (value: string) => string) {
  return text.replace(/\$(\d+)/g, (_, position: string) => {
    const value = values[Number(position) - 1];
    if (value === null || value === undefined) return "null";
    if (typeof value === "boolean") return String(value);
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "string") return quote(value);
    throw new Error(`cannot write parameter $${position} (${typeof value}) as a literal`);
  });
}
