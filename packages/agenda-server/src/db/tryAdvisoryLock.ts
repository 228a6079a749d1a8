import type { Pool } from "pg";
import { withAdvisoryLock } from "./withAdvisoryLock";

/**
 * Runs `work` holding the session advisory lock named `key`, unless another session (another worker
 * instance, or a run of the same job past its expiry) holds it: then `work` is skipped, as that other
 * run does it. The lock goes with the session if the process dies; a connection lost meanwhile is
 * heard, never left to crash the host (see {@link withAdvisoryLock}).
 */
export async function tryAdvisoryLock<T>(
  pool: Pool,
  key: string,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const outcome = await withAdvisoryLock(pool, key, { wait: false }, () => work());
  return outcome.acquired ? { ran: true, value: outcome.value } : { ran: false };
}
