import type { Pool } from "pg";

/**
 * Runs `work` holding the session advisory lock named `key`, unless another session (another worker
 * instance, or a run of the same job past its expiry) holds it: then `work` is skipped, as that other
 * run does it. The lock goes with the session if the process dies.
 */
export async function tryAdvisoryLock<T>(
  pool: Pool,
  key: string,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "select pg_try_advisory_lock(hashtext($1)) as locked",
      [key],
    );
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await client.query("select pg_advisory_unlock(hashtext($1))", [key]);
    }
  } finally {
    client.release();
  }
}
