import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { boolean, integer, jsonb, pgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { insertMany } from "../src/db/insertMany";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const db = drizzle(pool);
const schemaName = `insert_many_${randomBytes(4).toString("hex")}`;
const notes = pgSchema(schemaName).table("notes", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  ownerId: text("owner_id").notNull(),
  body: text("body"),
  at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
  pinned: boolean("pinned").notNull().default(false),
  tags: jsonb("tags").$type<string[]>().notNull().default([]),
  meta: jsonb("meta").$type<{ kind: string; nested: { quote: string } }>(),
  rank: integer("rank").notNull().default(7),
});

beforeAll(async () => {
  await pool.query(`create schema "${schemaName}"`);
  await pool.query(`create table "${schemaName}".notes (
    id uuid primary key default gen_random_uuid(), owner_id text not null, body text,
    at timestamptz not null, pinned boolean not null default false, tags jsonb not null default '[]',
    meta jsonb, rank integer not null default 7)`);
});
afterAll(async () => {
  await pool.query(`drop schema "${schemaName}" cascade`);
  await pool.end();
});

/** Values that test the arrays' quoting: quotes, backslashes, braces, commas, NULL as text, unicode. */
const awkward = ['a "quoted", {braced} \\ body', "NULL", "", "Réunion 会議 ☕"];

describe("insertMany", () => {
  it("gives back exactly what Drizzle's own insert gives back, awkward values and defaults included", async () => {
    const rows = awkward.map((body, index) => ({
      id: randomUUID(),
      ownerId: `owner-${index}`,
      body: index === 1 ? null : body,
      at: new Date(Date.UTC(2026, 2, 29, 1, index, 30, 123)),
      pinned: index % 2 === 0,
      tags: [body, "x,y"],
      meta: index === 2 ? null : { kind: body, nested: { quote: '"' } },
    }));
    const ours = await insertMany(db, notes, rows);
    const theirs = await db
      .insert(notes)
      .values(rows.map((row) => ({ ...row, id: randomUUID() })))
      .returning();
    const withoutId = <T extends { id: string }>(list: T[]) =>
      list
        .map(({ id: _id, ...rest }) => rest)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(withoutId(ours)).toEqual(withoutId(theirs));
    expect(ours.map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
    expect(ours.find((row) => row.ownerId === "owner-0")).toMatchObject({
      body: awkward[0],
      rank: 7,
      at: rows[0]!.at,
      meta: { kind: awkward[0], nested: { quote: '"' } },
    });
  });

  it("refuses rows that do not give the same columns, naming them", async () => {
    await expect(
      insertMany(db, notes, [
        { ownerId: "a", at: new Date() },
        { ownerId: "b", at: new Date(), body: "more" },
      ]),
    ).rejects.toThrow(/every row must give the same columns \(at, ownerId\)/);
  });

  it("refuses an array column, which unnest would flatten", async () => {
    const labels = pgSchema(schemaName).table("labels", {
      name: text("name").notNull(),
      tags: text("tags").array().notNull(),
    });
    await expect(insertMany(db, labels, [{ name: "a", tags: ["x", "y"] }])).rejects.toThrow(
      /tags is an array column/,
    );
  });

  it("inserts nothing for no rows", async () => {
    expect(await insertMany(db, notes, [])).toEqual([]);
  });
});
