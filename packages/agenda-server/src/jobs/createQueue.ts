import type { Pool } from "pg";
import PgBoss from "pg-boss";

/**
 * The job queue: pg-boss on the agenda's own database, in its own schema. It uses the agenda's pool so
 * a job can be enqueued in the same transaction as the row that caused it (pass `{ db }` to `send`).
 */
export function createQueue(
  pool: Pool,
  schemaName: string,
  options: { maintenanceIntervalSeconds: number },
): PgBoss {
  return new PgBoss({
    schema: schemaName,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    db: {
      async executeSql(text: string, values: unknown[]) {
        return pool.query(text, values);
      },
    },
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
