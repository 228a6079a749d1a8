import type { Pool } from "pg";
import PgBoss from "pg-boss";
import { withAdvisoryLock } from "../db/withAdvisoryLock";

/**
 * The job queue: pg-boss on the agenda's own database, in its own schema. It uses the agenda's pool so
 * a job can be enqueued in the same transaction as the row that caused it (pass `{ db }` to `send`).
 */
export function createQueue(
  pool: Pool,
  schemaName: string,
  options: { maintenanceIntervalSeconds: number; reportError(error: unknown): void },
): PgBoss {
  return new PgBoss({
    schema: schemaName,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    db: {
      async executeSql(text: string, values: unknown[]) {
        // pg-boss completes or fails a job without awaiting it: a job that outlived stop()'s deadline
        // would otherwise reject in the host's process once the pool is closed. stop() already failed
        // it, so the queue runs it again; its late result is dropped, answered as "no job affected"
        // (the only statements left once pg-boss's workers and timers have stopped).
        if (pool.ending) {
          options.reportError(
            new Error(
              "a job finished after agenda.stop() closed the database pool; its result is dropped and the queue runs it again",
            ),
          );
          return { rows: [{ count: "0" }] };
        }
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
