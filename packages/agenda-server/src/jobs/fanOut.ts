import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";

/** Connection ids are read and enqueued this many at a time, so a tick's memory stays flat. */
export const fanOutPageSize = 500;

/**
 * Periodic work fanned out as one job per connection: each connection's job is keyed by its id (a
 * connection never has two waiting) and starts at the connection's own moment in the spread, the
 * same moment every round, so thousands of accounts reach the providers and the database evenly
 * rather than all at once. A job that is still waiting from the last round is left as it is.
 *
 * @param pageOfIds the next ids after `after` in id order, at most `limit` of them (keyset paging).
 * @returns how many connections were walked.
 */
export async function fanOut(
  queue: PgBoss,
  name: string,
  input: {
    pageOfIds(after: string | null, limit: number): Promise<string[]>;
    /** Over how long the jobs' starts are spread; 0 starts them all now. */
    spreadMs: number;
    data?(connectionId: string): object;
  },
): Promise<number> {
  let after: string | null = null;
  let walked = 0;
  for (;;) {
    const ids = await input.pageOfIds(after, fanOutPageSize);
    if (ids.length === 0) return walked;
    await queue.insert(
      ids.map((connectionId) => {
        const delaySeconds = Math.floor(spreadPhase(connectionId) * input.spreadMs) / 1000;
        return {
          name,
          data: { connectionId, ...input.data?.(connectionId) },
          singletonKey: connectionId,
          // Relative to the database's clock, which is the one pg-boss starts jobs by.
          ...(delaySeconds > 0 && { startAfter: `${delaySeconds} seconds` }),
        };
      }),
    );
    walked += ids.length;
    if (ids.length < fanOutPageSize) return walked;
    after = ids[ids.length - 1]!;
  }
}

/** Where in the spread a connection's job starts, in [0, 1): stable for a connection, even over many. */
function spreadPhase(connectionId: string): number {
  return createHash("sha256").update(connectionId).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Runs a per-connection queue's jobs on this instance, `concurrency` at a time: a failed job is
 * retried on its own without failing the others fetched with it, and while jobs keep coming the
 * worker fetches again at once instead of waiting for its next poll.
 */
export async function workEach<T extends object>(
  queue: PgBoss,
  name: string,
  options: { concurrency: number; pollingIntervalSeconds?: number },
  handle: (data: T) => Promise<void>,
): Promise<void> {
  let workerId = "";
  workerId = await queue.work<T>(
    name,
    { batchSize: options.concurrency, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      const outcomes = await Promise.allSettled(jobs.map((job) => handle(job.data)));
      await Promise.all(
        outcomes.map((outcome, index) =>
          outcome.status === "rejected"
            ? queue.fail(name, jobs[index]!.id, failureOutput(outcome.reason))
            : undefined,
        ),
      );
      if (jobs.length === options.concurrency) queue.notifyWorker(workerId);
    },
  );
}

function failureOutput(error: unknown): object {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
