import type { PoolClient } from "pg";
import type { Owner } from "../options";

/**
 * Holds the owner's booking lock until `client`'s transaction ends: every booking and every move of
 * one owner's appointments checks for a free time under it, so two can never take the same time.
 * Buffers, busy synced events and the daily cap cannot be an exclusion constraint, hence a lock.
 */
export async function lockOwnerBookings(client: PoolClient, owner: Owner): Promise<void> {
  await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `booking:${owner.tenantId}:${owner.userId}`,
  ]);
}
