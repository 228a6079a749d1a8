import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inTransaction } from "../src/db/inTransaction";
import { createQueue, onClient, untilCommit, withLiterals } from "../src/jobs/createQueue";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4 });
const schema = `test_${randomBytes(5).toString("hex")}_jobs`;
const queue = createQueue(pool, schema, { maintenanceIntervalSeconds: 60, reportError: () => {} });

beforeAll(async () => {
  await queue.start();
  await queue.createQueue("test.push", {
    name: "test.push",
    retryLimit: 7,
    retryDelay: 3,
    retryBackoff: true,
    expireInSeconds: 120,
  });
});
afterAll(async () => {
  await queue.stop({ graceful: false, close: false });
  await pool.query(`drop schema if exists "${schema}" cascade`);
  await pool.end();
});

/** What pg-boss stored for each job of `marker`, the columns its insert decides. */
async function stored(marker: string) {
  const { rows } = await pool.query(
    `select name, data, priority, retry_limit, retry_delay, retry_backoff, expire_in, policy, state,
            keep_until - created_on as kept_for
       from "${schema}".job where data->>'marker' = $1 order by data->>'n'`,
    [marker],
  );
  return rows;
}

describe("jobs inserted with COMMIT", () => {
  it("are stored as pg-boss's own insert stores them, awkward data intact", async () => {
    const data = (marker: string, n: number) => ({ marker, n, text: 'l\'été \\ "guillemets" $1 -- ;' });
    await inTransaction(pool, async (_db, client) => {
      await queue.insert([{ name: "test.push", data: data("direct", 1) }], { db: onClient(client) });
    });
    let kept: ReturnType<typeof untilCommit> | undefined;
    await inTransaction(
      pool,
      async (_db, client) => {
        kept = untilCommit((value) => client.escapeLiteral(value));
        await queue.insert(
          [
            { name: "test.push", data: data("at commit", 1) },
            { name: "test.push", data: data("at commit", 2) },
          ],
          { db: kept },
        );
        // Nothing is sent before COMMIT.
        expect(await stored("at commit")).toEqual([]);
      },
      undefined,
      () => kept?.statements() ?? [],
    );

    const direct = await stored("direct");
    const atCommit = await stored("at commit");
    expect(atCommit).toHaveLength(2);
    for (const [index, row] of atCommit.entries()) {
      expect(row).toEqual({ ...direct[0], data: data("at commit", index + 1) });
    }
    expect(direct[0]).toMatchObject({
      retry_limit: 7,
      retry_delay: 3,
      retry_backoff: true,
      state: "created",
    });
  });

  it("are not stored when the transaction rolls back", async () => {
    let kept: ReturnType<typeof untilCommit> | undefined;
    await expect(
      inTransaction(
        pool,
        async (_db, client) => {
          kept = untilCommit((value) => client.escapeLiteral(value));
          await queue.insert([{ name: "test.push", data: { marker: "rolled back", n: 1 } }], { db: kept });
          throw new Error("the booking was refused");
        },
        undefined,
        () => kept?.statements() ?? [],
      ),
    ).rejects.toThrow("the booking was refused");
    expect(await stored("rolled back")).toEqual([]);
  });
});

describe("withLiterals", () => {
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

  it("writes each parameter as a literal, $10 apart from $1", () => {
    const values = [null, 2, true, "o'hara", undefined, 6, 7, 8, 9, "ten"];
    expect(withLiterals("select $1, $2, $3, $4, $5, $10", values, quote)).toBe(
      "select null, 2, true, 'o''hara', null, 'ten'",
    );
  });

  it("refuses a value it cannot write safely", () => {
    expect(() => withLiterals("select $1", [{ a: 1 }], quote)).toThrow(/cannot write parameter \$1/);
    expect(() => withLiterals("select $1", [Number.NaN], quote)).toThrow(/cannot write parameter \$1/);
  });
});
