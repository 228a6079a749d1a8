import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";
import { runMigrations } from "../src/db/migrate";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
afterAll(() => pool.end());

it("moves onto the master one reminder of two exceptions reminding of one time, and deletes the other", async () => {
  const schemaName = `migration_${randomBytes(4).toString("hex")}`;
  const s = `"${schemaName}"`;
  // The schema as it stood before the occurrences' reminders: every later migration marked done.
  await pool.query(`create schema ${s}`);
  await pool.query(
    `create table ${s}."__migrations" (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
  );
  const journal = JSON.parse(
    readFileSync(fileURLToPath(new URL("../drizzle/meta/_journal.json", import.meta.url)), "utf8"),
  ) as { entries: { tag: string }[] };
  const later = journal.entries.map((entry) => entry.tag).filter((tag) => tag >= "0016");
  for (const tag of later)
    await pool.query(`insert into ${s}."__migrations" (tag, hash) values ($1, '')`, [tag]);
  await runMigrations(pool, schemaName);

  // A daily series: Tuesday's occurrence moved onto Wednesday 10:00, Wednesday's own retitled, each
  // exception with its reminder an hour before Wednesday 10:00; Tuesday's was already sent.
  const event = async (values: Record<string, unknown>) => {
    const columns = { tenant_id: "acme", user_id: "alice", time_zone: "UTC", source: "crm", ...values };
    const { rows } = await pool.query(
      `insert into ${s}.events (${Object.keys(columns).join(", ")})
       values (${Object.keys(columns)
         .map((_, index) => `$${index + 1}`)
         .join(", ")}) returning id`,
      Object.values(columns),
    );
    return rows[0].id as string;
  };
  const master = await event({
    title: "Point quotidien",
    start_at: "2026-12-07T10:00:00Z",
    end_at: "2026-12-07T10:30:00Z",
    recurrence: "FREQ=DAILY;COUNT=5",
  });
  const tuesday = await event({
    title: "Point quotidien",
    start_at: "2026-12-09T10:00:00Z",
    end_at: "2026-12-09T10:30:00Z",
    series_master_id: master,
    original_start_at: "2026-12-08T10:00:00Z",
  });
  const wednesday = await event({
    title: "Point quotidien, revu",
    start_at: "2026-12-09T10:00:00Z",
    end_at: "2026-12-09T10:30:00Z",
    series_master_id: master,
    original_start_at: "2026-12-09T10:00:00Z",
  });
  for (const [eventId, state] of [
    [tuesday, "sent"],
    [wednesday, "pending"],
  ]) {
    await pool.query(
      `insert into ${s}.reminders (event_id, tenant_id, user_id, offset_seconds, start_at, due_at, state)
       values ($1, 'acme', 'alice', 3600, '2026-12-09T10:00:00Z', '2026-12-09T09:00:00Z', $2)`,
      [eventId, state],
    );
  }

  await pool.query(`delete from ${s}."__migrations" where tag = any($1)`, [later]);
  expect(await runMigrations(pool, schemaName)).toEqual({ applied: later });
  const { rows } = await pool.query(`select event_id, occurrence_start_at, state from ${s}.reminders`);
  expect(rows).toEqual([
    { event_id: master, occurrence_start_at: new Date("2026-12-08T10:00:00Z"), state: "sent" },
  ]);
  await pool.query(`drop schema ${s} cascade`);
});
