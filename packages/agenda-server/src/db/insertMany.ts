import { getTableColumns, type InferInsertModel, type InferSelectModel, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Inserts many rows in one statement whose size does not grow with them: each column travels as one
 * array, spread back into rows by `unnest`. Drizzle's own multi-row insert binds every value of every
 * row and maps each back, which for a batch of fifty bookings costs several milliseconds of the event
 * loop against about one of Postgres. Every row must give the same columns; the others take their
 * defaults. Scalar columns only: `unnest` flattens an array of arrays, so array columns are refused.
 * Rows come back in no particular order, mapped as Drizzle maps a select.
 */
export async function insertMany<T extends PgTable>(
  db: NodePgDatabase,
  table: T,
  rows: readonly InferInsertModel<T>[],
): Promise<InferSelectModel<T>[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table);
  const given = (row: InferInsertModel<T>) =>
    Object.keys(row)
      .filter((key) => (row as Record<string, unknown>)[key] !== undefined)
      .sort();
  const keys = given(rows[0]!);
  for (const row of rows) {
    if (given(row).join() !== keys.join()) {
      throw new Error(`insertMany: every row must give the same columns (${keys.join(", ")})`);
    }
  }
  const arrays = keys.map((key) => {
    const column = columns[key]!;
    if (column.getSQLType().endsWith("]")) {
      throw new Error(`insertMany: ${key} is an array column; insert it with Drizzle's own insert`);
    }
    const values = rows.map((row) => {
      const value = (row as Record<string, unknown>)[key];
      return value === null ? null : column.mapToDriverValue(value);
    });
    return sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`;
  });
  const names = keys.map((key) => sql.identifier(columns[key]!.name));
  const { rows: inserted } = await db.execute<Record<string, unknown>>(
    sql`insert into ${table} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(arrays, sql`, `)}) returning *`,
  );
  return inserted.map((raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(columns)) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as InferSelectModel<T>;
  });
}
