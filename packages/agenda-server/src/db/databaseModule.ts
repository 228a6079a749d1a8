import type { Pool } from "pg";
import type { AgendaModule } from "../AgendaModule";
import { runMigrations } from "./migrate";
import { watchPool } from "./watchPool";

/**
 * The agenda's database as a module: first to start (its errors heard, its migrations applied) and
 * last to stop (the pool closed if the agenda opened it; a host-given pool is left open, without the
 * agenda's listeners).
 */
export function createDatabaseModule(input: {
  pool: Pool;
  schema: string;
  /** Whether the agenda opened the pool (from a connection string), and so closes it. */
  ownsPool: boolean;
  reportError(error: unknown): void;
}): AgendaModule & { migrate(): Promise<{ applied: string[] }> } {
  const { pool, reportError } = input;
  // Heard from the start: the router may query the pool before start(), and a host pool is shared.
  let poolWatch: ReturnType<typeof watchPool> | null = watchPool(pool, reportError);
  const migrate = () => runMigrations(pool, input.schema);
  return {
    migrate,
    async start() {
      poolWatch ??= watchPool(pool, reportError);
      await migrate();
    },
    async stop() {
      if (input.ownsPool) await pool.end().catch(reportError);
      poolWatch?.unwatch({ quiet: input.ownsPool });
      poolWatch = null;
    },
  };
}
