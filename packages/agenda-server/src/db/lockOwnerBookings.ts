import type { PoolClient } from "pg";
import type { Owner } from "../options";

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
  await client.query(
    `select count(pg_advisory_xact_lock(hash))
       from (select distinct hashtextextended(key, 0) as hash from unnest($1::text[]) as key order by hash) as locks`,
    [keys],
  );
}
