import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { beginLockingOwners, lockOwnerBookings } from "../src/db/lockOwnerBookings";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 3 });
afterAll(() => pool.end());

/** Ids a host may well have: quotes, a backslash, SQL of their own, unicode. */
const owners = [
  { tenantId: "o'hara & co", userId: "a\\b'; select pg_sleep(10); --" },
  { tenantId: "acme", userId: "zoë" },
];

/** Whether another connection could take the owner's booking lock now (it gives it back at once). */
async function lockIsFree(owner: (typeof owners)[number]) {
  const { rows } = await pool.query<{ free: boolean }>(
    `select pg_try_advisory_lock(hashtextextended($1, 0)) as free`,
    [`booking:${owner.tenantId}:${owner.userId}`],
  );
  if (rows[0]!.free) {
    await pool.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [
      `booking:${owner.tenantId}:${owner.userId}`,
    ]);
  }
  return rows[0]!.free;
}

describe("owners' booking locks", () => {
  it("opening a transaction with them holds the same locks as taking them inside one, awkward ids included", async () => {
    const opened = await pool.connect();
    try {
      await beginLockingOwners(owners)(opened);
      for (const owner of owners) expect(await lockIsFree(owner)).toBe(false);
      // Opened means opened: the transaction goes on, and its end gives the locks back.
      await opened.query("commit");
      for (const owner of owners) expect(await lockIsFree(owner)).toBe(true);
    } finally {
      opened.release();
    }

    const inside = await pool.connect();
    try {
      await inside.query("begin");
      await lockOwnerBookings(inside, owners);
      for (const owner of owners) expect(await lockIsFree(owner)).toBe(false);
      await inside.query("rollback");
      for (const owner of owners) expect(await lockIsFree(owner)).toBe(true);
    } finally {
      inside.release();
    }
  });

  it("runs reads under the locks in the same round trip and answers each one's rows, awkward values intact", async () => {
    const opened = await pool.connect();
    try {
      const rows = await beginLockingOwners(owners, (quote) => [
        `select ${quote(owners[0]!.userId)} as user_id, pg_try_advisory_lock(1) as other_lock`,
        `select unnest(array[${owners.map((owner) => quote(owner.tenantId)).join(", ")}]) as tenant_id`,
      ])(opened);
      expect(rows).toEqual([
        [{ user_id: owners[0]!.userId, other_lock: true }],
        owners.map((owner) => ({ tenant_id: owner.tenantId })),
      ]);
      // The reads ran after the locks were taken, inside the transaction.
      for (const owner of owners) expect(await lockIsFree(owner)).toBe(false);
      await opened.query("rollback");
      await opened.query("select pg_advisory_unlock(1)");
    } finally {
      opened.release();
    }
  });
});
