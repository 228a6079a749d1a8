import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import { quoteIdentifier } from "../db/migrate";
import { onClient } from "../jobs/createQueue";
import type { BatchJob } from "../jobs/runBatch";

/**
 * Moves up to `limit` waiting delivery jobs (the `delivery_jobs` outbox) into the job queue, in one
 * transaction: the rows are deleted and their jobs inserted together, so each delivery's job is queued
 * exactly once even when several instances drain at the same time (each skips rows another holds).
 * Answers how many it moved.
 *
 * Jobs marked `batch` share one queue job per queue (`{ items }`, in the order the deliveries came),
 * which keeps the queue's cost per delivery low under load; the others keep a job each (and their
 * singleton keys).
 */
export async function drainDeliveryJobs(options: {
  pool: Pool;
  queue: PgBoss;
  schema: string;
  limit: number;
}): Promise<number> {
  const client = await options.pool.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query<{
      id: string;
      queue: string;
      data: object;
      singleton_key: string | null;
      batch: boolean;
    }>(
      `delete from ${quoteIdentifier(options.schema)}.delivery_jobs
       where id in (
         select id from ${quoteIdentifier(options.schema)}.delivery_jobs
         order by id limit $1 for update skip locked
       )
       returning id, queue, data, singleton_key, batch`,
      [options.limit],
    );
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const jobs: { name: string; data: object; singletonKey?: string }[] = [];
    const batches = new Map<string, object[]>();
    for (const row of rows) {
      if (row.batch) {
        const items = batches.get(row.queue);
        if (items) items.push(row.data);
        else batches.set(row.queue, [row.data]);
        continue;
      }
      jobs.push({
        name: row.queue,
        data: row.data,
        ...(row.singleton_key && { singletonKey: row.singleton_key }),
      });
    }
    for (const [name, items] of batches) jobs.push({ name, data: { items } satisfies BatchJob<object> });
    if (jobs.length > 0) await options.queue.insert(jobs, { db: onClient(client) });
    await client.query("commit");
    return rows.length;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
