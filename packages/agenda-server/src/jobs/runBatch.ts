import type PgBoss from "pg-boss";

/** The data of a job that carries several deliveries' data (webhook deliveries marked `batch`). */
export interface BatchJob<T> {
  items: T[];
}

/**
 * Works through a batch job's items one by one. An item that fails is queued again on its own, so it
 * retries (and, in the end, dead-letters) without holding back the others; a batch of one simply
 * fails, for the queue to retry.
 */
export async function runBatch<T extends object>(
  queue: PgBoss,
  name: string,
  batch: BatchJob<T>,
  handle: (item: T) => Promise<void>,
): Promise<void> {
  for (const item of batch.items) {
    try {
      await handle(item);
    } catch (error) {
      if (batch.items.length === 1) throw error;
      await queue.send(name, { items: [item] } satisfies BatchJob<T>);
    }
  }
}
