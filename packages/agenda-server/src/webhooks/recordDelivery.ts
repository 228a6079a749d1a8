import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import { quoteIdentifier } from "../db/migrate";
import type { JobQueue } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";

export interface Delivery {
  source: "zoom" | "google-events" | "google-calendar" | "microsoft";
  /** Unique per source: a provider's retry of the same delivery has the same key. */
  deliveryKey: string;
  eventType: string;
  job: { queue: JobQueue; data: object; singletonKey?: string; batch?: boolean } | null;
}

/** The data of a job that carries several deliveries' data (deliveries marked `batch`). */
export interface BatchJob<T> {
  items: T[];
}

/** Deliveries written in one transaction at most; more wait for the next. */
const maxBatch = 250;
/** Transactions in flight at once; the pool keeps connections for the API too. */
const maxConcurrentBatches = 2;
/**
 * While a transaction is already under way, a new one waits this long for more deliveries to join it:
 * fewer, fuller commits (measured with bench/calls: from about 2,000 to 2,200–3,300 acknowledgements a
 * second on the 2-core development machine).
 */
const gatherMs = 1;

/**
 * Records webhook deliveries under their unique keys and enqueues their jobs in the same transaction,
 * so a delivery is never acknowledged without its job, and a repeated delivery enqueues nothing.
 *
 * Deliveries arriving together share a transaction (and so one commit to disk): each caller still
 * waits for the commit that holds its delivery before it answers the provider, so nothing is
 * acknowledged before it is durable. `record` answers false for a delivery already recorded.
 */
export function createDeliveryRecorder(options: { pool: Pool; queue: PgBoss; schema: string }) {
  const table = `${quoteIdentifier(options.schema)}.deliveries`;
  const waiting: { delivery: Delivery; settle(error: unknown, fresh?: boolean): void }[] = [];
  let inFlight = 0;

  async function write(batch: typeof waiting) {
    const client = await options.pool.connect();
    try {
      await client.query("begin");
      const inserted = await client.query<{ source: string; delivery_key: string }>(
        `insert into ${table} (source, delivery_key, event_type)
         select * from unnest($1::text[], $2::text[], $3::text[])
         on conflict (source, delivery_key) do nothing
         returning source, delivery_key`,
        [
          batch.map((item) => item.delivery.source),
          batch.map((item) => item.delivery.deliveryKey),
          batch.map((item) => item.delivery.eventType),
        ],
      );
      const fresh = new Set(inserted.rows.map((row) => `${row.source}\u0000${row.delivery_key}`));
      // Of two copies in one batch, the first one is the delivery; the other is a repeat.
      const firsts = new Map<string, (typeof batch)[number]>();
      for (const item of batch) {
        const key = `${item.delivery.source}\u0000${item.delivery.deliveryKey}`;
        if (fresh.has(key) && !firsts.has(key)) firsts.set(key, item);
      }
      // Jobs marked `batch` share one job per queue (`{ items }`), which keeps the queue's cost per
      // delivery low under load; the others keep a job each (and their singleton keys).
      const jobs: { name: string; data: object; singletonKey?: string }[] = [];
      const batches = new Map<string, object[]>();
      for (const { delivery } of firsts.values()) {
        if (!delivery.job) continue;
        if (delivery.job.batch) {
          batches.set(delivery.job.queue, [...(batches.get(delivery.job.queue) ?? []), delivery.job.data]);
          continue;
        }
        jobs.push({
          name: delivery.job.queue,
          data: delivery.job.data,
          ...(delivery.job.singletonKey && { singletonKey: delivery.job.singletonKey }),
        });
      }
      for (const [name, items] of batches) jobs.push({ name, data: { items } satisfies BatchJob<object> });
      if (jobs.length > 0) await options.queue.insert(jobs, { db: onClient(client) });
      await client.query("commit");
      const chosen = new Set(firsts.values());
      for (const item of batch) item.settle(null, chosen.has(item));
    } catch (error) {
      await client.query("rollback").catch(() => {});
      for (const item of batch) item.settle(error);
    } finally {
      client.release();
    }
  }

  let gathering = false;
  function pump() {
    if (gathering) return;
    if (inFlight > 0 && waiting.length < maxBatch) {
      gathering = true;
      setTimeout(() => {
        gathering = false;
        flush();
      }, gatherMs);
      return;
    }
    flush();
  }

  function flush() {
    while (inFlight < maxConcurrentBatches && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    record(delivery: Delivery): Promise<boolean> {
      return new Promise((resolve, reject) => {
        waiting.push({
          delivery,
          settle: (error, fresh) => (error ? reject(error) : resolve(fresh ?? false)),
        });
        pump();
      });
    },
  };
}

export type DeliveryRecorder = ReturnType<typeof createDeliveryRecorder>;
