import type { Pool } from "pg";
import { AgendaError } from "../errors";
import { withAdvisoryLock } from "./withAdvisoryLock";

/**
 * Runs `work` holding the advisory lock named `key`, waiting while another session holds it, so one
 * such work runs at a time across every server instance. The lock goes with the session if the
 * process dies; a connection lost meanwhile is heard, never left to crash the host (see
 * {@link withAdvisoryLock}).
 */
export async function withWaitedLock<T>(pool: Pool, key: string, work: () => Promise<T>): Promise<T> {
  const outcome = await withAdvisoryLock(pool, key, { wait: true }, () => work());
  // A waiting lock is always taken in the end; this only satisfies the outcome's type.
  if (!outcome.acquired) throw new AgendaError("unavailable", `the lock ${key} was not taken`);
  return outcome.value;
}

/**
 * Runs `work` holding the connection's lock, so one sync or write runs at a time per connection
 * across every server instance; others wait.
 */
export function withConnectionLock<T>(
  pool: Pool,
  schema: string,
  connectionId: string,
  work: () => Promise<T>,
): Promise<T> {
  return withWaitedLock(pool, `crm-agenda:calendar:${schema}:${connectionId}`, work);
}
