import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import { quoteIdentifier } from "../db/migrate";
import type { JobQueue } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";

/**
 * Records a webhook delivery under its unique key and enqueues its job in the same transaction, so a
 * delivery is never accepted without its job, and a repeated delivery enqueues nothing.
 * Returns false for a delivery already recorded.
 */
export async function recordDelivery(input: {
  pool: Pool;
  queue: PgBoss;
  schema: string;
  source: "zoom" | "google-events" | "google-calendar" | "microsoft";
  deliveryKey: string;
  eventType: string;
  job: { queue: JobQueue; data: object; singletonKey?: string } | null;
}): Promise<boolean> {
  const client = await input.pool.connect();
  try {
    await client.query("begin");
    const inserted = await client.query(
      `insert into ${quoteIdentifier(input.schema)}.deliveries (source, delivery_key, event_type)
       values ($1, $2, $3) on conflict (source, delivery_key) do nothing returning id`,
      [input.source, input.deliveryKey, input.eventType],
    );
    if (inserted.rowCount === 0) {
      await client.query("rollback");
      return false;
    }
    if (input.job) {
      const jobId = await input.queue.send(input.job.queue, input.job.data, {
        db: onClient(client),
        ...(input.job.singletonKey && { singletonKey: input.job.singletonKey }),
      });
      await client.query(`update ${quoteIdentifier(input.schema)}.deliveries set job_id = $1 where id = $2`, [
        jobId,
        inserted.rows[0].id,
      ]);
    }
    await client.query("commit");
    return true;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
