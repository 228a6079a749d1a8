import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Every change to an event, written by a trigger on `events` (migration 0014) whatever made it, and
 * kept a few minutes so an agenda that reconnects is sent what it missed.
 */
export function createEventChangesTable(schema: PgSchema) {
  return schema.table(
    "event_changes",
    {
      seq: bigserial("seq", { mode: "number" }).primaryKey(),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      eventId: uuid("event_id").notNull(),
      kind: text("kind").$type<"created" | "updated" | "deleted">().notNull(),
      beforeStart: timestamp("before_start", { withTimezone: true, mode: "date" }),
      beforeEnd: timestamp("before_end", { withTimezone: true, mode: "date" }),
      afterStart: timestamp("after_start", { withTimezone: true, mode: "date" }),
      afterEnd: timestamp("after_end", { withTimezone: true, mode: "date" }),
      changedAt: timestamp("changed_at", { withTimezone: true, mode: "date" })
        .notNull()
        // As migration 0014 has it: the time of the write itself, not of its transaction's start.
        .default(sql`clock_timestamp()`),
    },
    (table) => [
      index("event_changes_owner_seq_idx").on(table.tenantId, table.userId, table.seq),
      index("event_changes_changed_at_idx").on(table.changedAt),
    ],
  );
}

/** Per owner, the highest change number pruned, below which a reconnection is told to start over. */
export function createEventChangeHorizonTable(schema: PgSchema) {
  return schema.table(
    "event_change_horizon",
    {
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      prunedThrough: bigint("pruned_through", { mode: "number" }).notNull(),
    },
    (table) => [primaryKey({ name: "event_change_horizon_pkey", columns: [table.tenantId, table.userId] })],
  );
}
