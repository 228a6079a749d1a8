import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool, PoolClient } from "pg";

/**
 * The COMMIT was sent and no answer came back (the connection dropped): the transaction may have
 * committed or not, and only a read on another connection can tell. `value` is what the work decided,
 * for the caller to check against the database.
 */
export class CommitOutcomeUnknown<T = unknown> extends Error {
  override readonly name = "CommitOutcomeUnknown";
  constructor(
    readonly value: T,
    cause: unknown,
  ) {
    super("the connection to the database dropped while the transaction committed", { cause });
  }
}

/**
 * Runs `work` in one transaction on a client of its own, giving both drizzle and the raw client, so a
 * pg-boss job can be sent on that client (`{ db: onClient(client) }`) and commit with the rows.
 */
export async function inTransaction<T, Opened = void>(
  pool: Pool,
  work: (db: NodePgDatabase, client: PoolClient, opened: Opened) => Promise<T>,
  /**
   * Opens the transaction: a plain BEGIN, or one that also takes locks (and reads under them) in the
   * same round trip; what it answers is given to `work`.
   */
  begin: (client: PoolClient) => Promise<Opened> = async (client) => {
    await client.query("begin");
    return undefined as Opened;
  },
  /** Statements (values written in) sent in COMMIT's round trip, ahead of it: the work's last writes. */
  beforeCommit: () => readonly string[] = () => [],
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    const opened = await begin(client);
    const value = await work(drizzle(client), client, opened);
    try {
      await client.query([...beforeCommit(), "commit"].join(";\n"));
    } catch (error) {
      // A refusal with its SQLSTATE (a deferred constraint, a serialization failure) comes from a
      // server that rolled back; a lost connection, or the server shutting down, says nothing.
      const state = sqlState(error);
      if (state === null || /^(08|57)/.test(state)) {
        throw new CommitOutcomeUnknown(value, error);
      }
      throw error;
    }
    return value;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken ?? false);
  }
}

/** The SQLSTATE of an error the server sent (it has a severity), or null for any other failure. */
function sqlState(error: unknown): string | null {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof code === "string" && typeof severity === "string" ? code : null;
}
