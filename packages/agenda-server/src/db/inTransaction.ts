import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool, PoolClient } from "pg";

/**
 * Runs `work` in one transaction on a client of its own, giving both drizzle and the raw client, so a
 * pg-boss job can be sent on that client (`{ db: onClient(client) }`) and commit with the rows.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (db: NodePgDatabase, client: PoolClient) => Promise<T>,
  /** Opens the transaction: a plain BEGIN, or one that also takes locks in the same round trip. */
  begin: (client: PoolClient) => Promise<void> = async (client) => {
    await client.query("begin");
  },
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await begin(client);
    const value = await work(drizzle(client), client);
    await client.query("commit");
    return value;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken ?? false);
  }
}
