import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createDatabaseModule } from "../src/db/databaseModule";

// A connection the server drops while, or after, the agenda closes the pool it opened still reports
// its error through pg-pool (an idle connection's error goes to the pool): nothing must be left
// without a listener, or the host's process ends on an `error` event.
describe("the agenda's database module on stop", () => {
  it("leaves a pool it opened and ended deaf to late connection errors, without throwing", async () => {
    const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
    const reported: unknown[] = [];
    const database = createDatabaseModule({
      pool,
      schema: "unused",
      ownsPool: true,
      reportError: (error) => reported.push(error),
    });
    const client = await pool.connect();
    client.release();
    await database.stop!();

    const late = new Error("terminating connection due to administrator command");
    expect(() => pool.emit("error", late, client)).not.toThrow();
    expect(() => client.emit("error", late)).not.toThrow();
  });

  it("leaves a host's pool with the host's listeners only", async () => {
    const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
    const hostHeard: unknown[] = [];
    pool.on("error", (error) => hostHeard.push(error));
    const before = { error: pool.listenerCount("error"), acquire: pool.listenerCount("acquire") };
    const database = createDatabaseModule({
      pool,
      schema: "unused",
      ownsPool: false,
      reportError: () => {},
    });
    const client = await pool.connect();
    client.release();
    await database.stop!();

    expect({ error: pool.listenerCount("error"), acquire: pool.listenerCount("acquire") }).toEqual(before);
    pool.emit("error", new Error("dropped"));
    expect(hostHeard).toHaveLength(1);
    await pool.end();
  });
});
