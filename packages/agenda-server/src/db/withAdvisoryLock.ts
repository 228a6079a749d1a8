import type { Pool, PoolClient } from "pg";
import { AgendaError } from "../errors";

/** What {@link withAdvisoryLock} gives back: the work's value, or `busy` when another session holds the lock. */
export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `work` while a session-level advisory lock on `key` is held by a client checked out for it
 * alone, across every server instance on the database. The lock lives in the session, not in a
 * transaction, so `work` may make slow HTTP calls without holding a transaction open; a process that
 * dies drops its connection and so its lock. `wait: false` gives up at once when another session
 * holds it.
 *
 * A lost connection loses the lock: `lost` aborts then (with a retryable `unavailable` error), so
 * long work can stop rather than run beside whoever takes the lock next; and writes made under the
 * lock still compare-and-set on what they read, for the moment between the loss and the abort.
 */
export async function withAdvisoryLock<T>(
  pool: Pool,
  key: string,
  options: { wait: boolean },
  work: (client: PoolClient, lost: AbortSignal) => Promise<T>,
): Promise<LockOutcome<T>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = new AbortController();
  // A checked-out client has no listener of the pool's: a dropped connection would crash the host.
  const onError = (error: Error) => {
    broken = error;
    lost.abort(
      new AgendaError("unavailable", "the database connection holding a lock was lost", { cause: error }),
    );
  };
  client.on("error", onError);
  let locked = false;
  try {
    if (options.wait) {
      await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [key]);
      locked = true;
    } else {
      const { rows } = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock(hashtextextended($1, 0)) as locked",
        [key],
      );
      locked = rows[0]?.locked === true;
    }
    if (!locked) return { acquired: false };
    return { acquired: true, value: await work(client, lost.signal) };
  } finally {
    if (locked && !broken) {
      await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [key]).catch((error) => {
        broken = error as Error;
      });
    }
    client.off("error", onError);
    // A client whose unlock failed is closed rather than pooled, so no other work inherits the lock.
    client.release(broken ?? false);
  }
}
