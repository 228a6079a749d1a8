import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import { createWriteBatcher } from "../db/createWriteBatcher";
import { quoteIdentifier } from "../db/migrate";
import type { JobQueue } from "../jobs/agendaJobs";
import { drainDeliveryJobs } from "./drainDeliveryJobs";

export interface Delivery {
  source: "zoom" | "google-events" | "google-calendar" | "microsoft";
  /** Unique per source: a provider's retry of the same delivery has the same key. */
  deliveryKey: string;
  eventType: string;
  job: { queue: JobQueue; data: object; singletonKey?: string; batch?: boolean } | null;
}

/** Deliveries written in one statement at most; more wait for the next. */
const maxBatch = 250;
/**
 * Statements in flight at once; the pool keeps connections for the API too. Each holds a connection
 * for one round trip only (4 measured about 6% more acknowledgements a second than 2 with bench/calls).
 */
const maxConcurrentBatches = 4;
/**
 * While a statement is already under way, a new one waits this long for more deliveries to join it:
 * fewer, fuller commits.
 */
const gatherMs = 1;
/**
 * After deliveries with jobs are recorded, their jobs wait this long before being moved into the
 * queue, so that under load one move (one transaction, one queue job per queue) takes many of them.
 */
const drainDelayMs = 20;
/** Delivery jobs moved into the queue in one transaction at most; more follow at once. */
const drainLimit = 500;
/**
 * How long a delivery's key is kept to recognise a repeat: far longer than any provider retries (Zoom
 * for hours, Pub/Sub up to 7 days, Graph for hours), so the table does not grow for ever.
 */
const deliveryRetentionDays = 30;
/** Old deliveries are deleted at start and then at most this often, a bounded batch at a time. */
const pruneIntervalMs = 60 * 60 * 1000;
const pruneLimit = 10_000;

/**
 * Records webhook deliveries under their unique keys, each with its job, in one statement: the
 * delivery row and its job in the `delivery_jobs` outbox commit together, so a delivery is never
 * acknowledged without its job, and a repeated delivery records nothing. The jobs are moved from the
 * outbox into the job queue off the acknowledgement path, a few milliseconds later; a job left there
 * by an instance that stopped in between is moved when an instance starts and by a sweep every
 * `sweepIntervalSeconds`. Deliveries older than 30 days are deleted at start and then hourly.
 *
 * Deliveries arriving together share a statement (and so one commit to disk, and one round trip to
 * Postgres): each caller still waits for the commit that holds its delivery before it answers the
 * provider, so nothing is acknowledged before it is durable. `record` answers false for a delivery
 * already recorded.
 */
export function createDeliveryRecorder(options: {
  pool: Pool;
  queue: PgBoss;
  schema: string;
  sweepIntervalSeconds: number;
  reportError(error: unknown): void;
}) {
  const schema = quoteIdentifier(options.schema);
  /** Records a batch; answers, for each delivery, whether it was new (false for a repeat). */
  async function write(batch: readonly Delivery[]): Promise<boolean[]> {
    const key = (delivery: Delivery) => `${delivery.source}\u0000${delivery.deliveryKey}`;
    // Of two copies in one batch, the first one is the delivery; the other is a repeat.
    const firsts = new Map<string, Delivery>();
    for (const delivery of batch) if (!firsts.has(key(delivery))) firsts.set(key(delivery), delivery);
    const { rows } = await options.pool.query<{ source: string; delivery_key: string }>({
      // Prepared once per connection: the statement is not parsed and planned again for each batch.
      name: `record-deliveries:${options.schema}`,
      text: `with input as (
         select * from json_to_recordset($1::json) as input (
           source text, delivery_key text, event_type text,
           queue text, data jsonb, singleton_key text, batch boolean
         )
       ), recorded as (
         insert into ${schema}.deliveries (source, delivery_key, event_type)
         select source, delivery_key, event_type from input
         on conflict (source, delivery_key) do nothing
         returning source, delivery_key
       ), queued as (
         insert into ${schema}.delivery_jobs (queue, data, singleton_key, batch)
         select input.queue, input.data, input.singleton_key, input.batch
         from recorded join input using (source, delivery_key)
         where input.queue is not null
       )
       select source, delivery_key from recorded`,
      values: [
        JSON.stringify(
          Array.from(firsts.values(), (delivery) => ({
            source: delivery.source,
            delivery_key: delivery.deliveryKey,
            event_type: delivery.eventType,
            queue: delivery.job?.queue ?? null,
            data: delivery.job?.data ?? null,
            singleton_key: delivery.job?.singletonKey ?? null,
            batch: delivery.job?.batch ?? false,
          })),
        ),
      ],
    });
    const recorded = new Set(rows.map((row) => `${row.source}\u0000${row.delivery_key}`));
    const fresh = batch.map(
      (delivery) => recorded.has(key(delivery)) && firsts.get(key(delivery)) === delivery,
    );
    if (batch.some((delivery, index) => delivery.job && fresh[index])) drainSoon();
    return fresh;
  }

  // Deliveries arriving together share a statement; a statement that fails is tried again delivery by
  // delivery, so one the database refuses (a payload jsonb cannot hold) fails no other.
  const deliveries = createWriteBatcher<Delivery, boolean>(write, {
    maxBatch,
    maxInFlight: maxConcurrentBatches,
    gatherMs,
  });

  // Moving the outbox into the queue: one move at a time in this instance, started a little after
  // deliveries with jobs were recorded, and by the sweep.
  let started = false;
  let drainTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let drainAgain = false;

  function drainSoon(delayMs = drainDelayMs) {
    if (!started || drainTimer) return;
    if (draining) {
      drainAgain = true;
      return;
    }
    drainTimer = setTimeout(drain, delayMs);
  }

  // Forgetting old deliveries: at start, then hourly, a bounded batch per statement so it never holds
  // many rows locked while webhooks come in.
  let lastPrune = 0;
  let pruning: Promise<void> | undefined;

  function pruneIfDue() {
    if (!started || pruning || Date.now() - lastPrune < pruneIntervalMs) return;
    lastPrune = Date.now();
    pruning = (async () => {
      while (started) {
        const { rowCount } = await options.pool.query(
          `delete from ${schema}.deliveries where id in (
             select id from ${schema}.deliveries
             where received_at < now() - make_interval(days => $1) limit $2
           )`,
          [deliveryRetentionDays, pruneLimit],
        );
        if ((rowCount ?? 0) < pruneLimit) return;
      }
    })()
      .catch((error) => options.reportError(error))
      .finally(() => {
        pruning = undefined;
      });
  }

  function drain() {
    drainTimer = undefined;
    drainAgain = false;
    draining = (async () => {
      while (started) {
        const moved = await drainDeliveryJobs({ ...options, limit: drainLimit });
        if (moved < drainLimit) return;
      }
    })()
      .catch((error) => options.reportError(error))
      .finally(() => {
        draining = undefined;
        if (drainAgain) drainSoon();
      });
  }

  return {
    record: (delivery: Delivery): Promise<boolean> => deliveries.submit(delivery),
    /** Moves the jobs waiting in the outbox into the queue (the queue must be started), then keeps doing so. */
    async start() {
      started = true;
      drainSoon(0);
      pruneIfDue();
      sweepTimer = setInterval(() => {
        drainSoon(0);
        pruneIfDue();
      }, options.sweepIntervalSeconds * 1000).unref();
    },
    /** Stops moving jobs, letting a move under way finish; what is left waits for the next start. */
    async stop() {
      started = false;
      clearTimeout(drainTimer);
      drainTimer = undefined;
      clearInterval(sweepTimer);
      await Promise.all([draining, pruning]);
    },
  };
}

export type DeliveryRecorder = ReturnType<typeof createDeliveryRecorder>;
