import type { PoolClient, QueryResult, QueryResultRow } from "pg";
import { AgendaError } from "../errors";
import type { Owner } from "../options";

/**
 * How long a booking waits for an owner's lock. Bookings hold it for milliseconds; a wait this long
 * means a transaction elsewhere holds it and is stuck, and the booking answers 503 instead of waiting
 * with it (and holding up the bookings of every owner batched with it).
 */
const lockWaitSeconds = 5;

const limitWait = `set local lock_timeout = '${lockWaitSeconds}s'`;

/**
 * Takes the lock of each key (an SQL text array) until the transaction ends, in the order of their
 * hashes, the lock's real identity, so two transactions locking overlapping owners never wait on each
 * other in a circle.
 */
const lockKeys = (keys: string) =>
  `select count(pg_advisory_xact_lock(hash))
     from (select distinct hashtextextended(key, 0) as hash from unnest(${keys}::text[]) as key order by hash) as locks`;

const lockKey = (owner: Owner) => `booking:${owner.tenantId}:${owner.userId}`;

/**
 * Holds the booking lock of each owner until the transaction ends: every write that decides whether a
 * time of theirs is free (a booking, a guest's reschedule) takes it first, so its check sees the one
 * before it.
 */
export async function lockOwnerBookings(
  client: Pick<PoolClient, "query">,
  owners: readonly Owner[],
): Promise<void> {
  await refuseLongWait(async () => {
    await client.query(limitWait);
    await client.query(lockKeys("$1"), [owners.map(lockKey)]);
  });
}

/**
 * Opens the transaction already holding the owners' booking locks: BEGIN, the wait limit, the locks and
 * `reads` (statements whose values are escaped literals, run once the locks are held) go in one round
 * trip, a simple query, which matters when fifty bookings wait on each round trip of the batch before
 * them. Answers the rows of each read, in order.
 */
export function beginLockingOwners(
  owners: readonly Owner[],
  reads: (quote: LiteralEscaper) => readonly string[] = () => [],
) {
  return async (client: Pick<PoolClient, "query" | "escapeLiteral">): Promise<QueryResultRow[][]> => {
    const quote = (value: string) => client.escapeLiteral(value);
    const keys = `array[${owners.map((owner) => quote(lockKey(owner))).join(", ")}]`;
    const statements = [`begin`, limitWait, lockKeys(keys), ...reads(quote)];
    const results = await refuseLongWait(() => client.query(statements.join(";\n")));
    // A simple query of several statements answers one result each.
    return (results as unknown as QueryResult[]).slice(3).map((result) => result.rows);
  };
}

/** Quotes a text value as an SQL literal (the connection's own `escapeLiteral`). */
export type LiteralEscaper = (value: string) => string;

/** Whether `error` is a booking refused because an owner's lock stayed held elsewhere. */
export function isLockWaitOver(error: unknown): boolean {
  return (
    error instanceof AgendaError &&
    error.code === "unavailable" &&
    (error.cause as { code?: string } | undefined)?.code === "55P03"
  );
}

async function refuseLongWait<T>(lock: () => Promise<T>): Promise<T> {
  try {
    return await lock();
  } catch (error) {
    // lock_not_available: the wait above ran out.
    if ((error as { code?: string }).code === "55P03") {
      throw new AgendaError(
        "unavailable",
        `this agenda has been busy with another booking for ${lockWaitSeconds} seconds; try again in a moment`,
        { cause: error },
      );
    }
    throw error;
  }
}
