import type { PoolClient } from "pg";
import { AgendaError } from "../errors";
import type { Owner } from "../options";

/**
 * How long a booking waits for an owner's lock. Bookings hold it for milliseconds; a wait this long
 * means a transaction elsewhere holds it and is stuck, and the booking answers 503 instead of waiting
 * with it (and holding up the bookings of every owner batched with it).
 */
const lockWaitSeconds = 5;

/**
 * Holds the booking lock of each owner until the transaction ends: every write that decides whether a
 * time of theirs is free (a booking, a guest's reschedule) takes it first, so its check sees the one
 * before it. The locks are taken in the order of their hashes, the lock's real identity, so two
 * transactions locking overlapping owners never wait on each other in a circle.
 */
export async function lockOwnerBookings(
  client: Pick<PoolClient, "query">,
  owners: readonly Owner[],
): Promise<void> {
  const keys = owners.map((owner) => `booking:${owner.tenantId}:${owner.userId}`);
  await client.query(`set local lock_timeout = '${lockWaitSeconds}s'`);
  try {
    await client.query(
      `select count(pg_advisory_xact_lock(hash))
         from (select distinct hashtextextended(key, 0) as hash from unnest($1::text[]) as key order by hash) as locks`,
      [keys],
    );
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
