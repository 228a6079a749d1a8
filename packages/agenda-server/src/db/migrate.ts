import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Pool } from "pg";
import { migrationSchemaName } from "./schema";

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** The `drizzle/` folder shipped beside `src/` and `dist/` in the package. */
function findMigrationsFolder(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(folder, "drizzle", "meta", "_journal.json");
    if (existsSync(candidate)) return join(folder, "drizzle");
    folder = dirname(folder);
  }
  throw new Error("the agenda's migrations folder (drizzle/) was not found beside the package");
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`"${name}" is not a usable Postgres schema name: use lower-case letters, digits and _`);
  }
  return `"${name}"`;
}

/**
 * Applies the migrations drizzle-kit generated, in order, each in its own transaction, under an
 * advisory lock so several server instances starting at once migrate exactly once. The shipped SQL
 * names the schema `agenda`; the host's schema name is put in its place.
 */
export async function runMigrations(pool: Pool, schemaName: string): Promise<{ applied: string[] }> {
  const schema = quoteIdentifier(schemaName);
  const folder = findMigrationsFolder();
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  const client = await pool.connect();
  const lockKey = `crm-agenda:migrate:${schemaName}`;
  const applied: string[] = [];
  try {
    await client.query("select pg_advisory_lock(hashtext($1))", [lockKey]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(
      `create table if not exists ${schema}."__migrations" (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await client.query<{ tag: string }>(`select tag from ${schema}."__migrations"`)).rows.map(
        (row) => row.tag,
      ),
    );
    for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
      if (done.has(entry.tag)) continue;
      const source = readFileSync(join(folder, `${entry.tag}.sql`), "utf8");
      const sql = source
        .replaceAll(
          `CREATE SCHEMA "${migrationSchemaName}"`,
          `CREATE SCHEMA IF NOT EXISTS "${migrationSchemaName}"`,
        )
        .replaceAll(`"${migrationSchemaName}"`, schema);
      await client.query("begin");
      try {
        for (const statement of sql.split("--> statement-breakpoint")) {
          if (statement.trim()) await client.query(statement);
        }
        await client.query(`insert into ${schema}."__migrations" (tag, hash) values ($1, $2)`, [
          entry.tag,
          createHash("sha256").update(source).digest("hex"),
        ]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`migration ${entry.tag} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(entry.tag);
    }
  } finally {
    await client.query("select pg_advisory_unlock(hashtext($1))", [lockKey]).catch(() => {});
    client.release();
  }
  return { applied };
}
