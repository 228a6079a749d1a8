import { sql } from "drizzle-orm";
import { foreignKey, integer, type PgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { createEventsTable } from "./events";
import { timestamps } from "./timestamps";

/**
 * One reminder of one event: unique per event, offset and the start it reminds of, so it is sent
 * once for that time. `pending` rows are claimed (`sending`, with a lease) by compare-and-set before
 * the host's hook is called, then marked `sent`; a lapsed lease (a worker died during the hook) lets
 * another run claim it again.
 */
export function createRemindersTable(schema: PgSchema, events: ReturnType<typeof createEventsTable>) {
  return schema.table(
    "reminders",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      eventId: uuid("event_id").notNull(),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      offsetSeconds: integer("offset_seconds").notNull(),
      startAt: timestamp("start_at", { withTimezone: true, mode: "date" }).notNull(),
      /** For an occurrence of a series (`eventId` is its master): its start in the series, as in its id. */
      occurrenceStartAt: timestamp("occurrence_start_at", { withTimezone: true, mode: "date" }),
      dueAt: timestamp("due_at", { withTimezone: true, mode: "date" }).notNull(),
      state: text("state").$type<"pending" | "sending" | "sent" | "skipped">().notNull().default("pending"),
      claimedUntil: timestamp("claimed_until", { withTimezone: true, mode: "date" }),
      attempts: integer("attempts").notNull().default(0),
      sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
      ...timestamps,
    },
    (table) => [
      // Named as Postgres named the inline reference of migration 0012.
      foreignKey({
        name: "reminders_event_id_fkey",
        columns: [table.eventId],
        foreignColumns: [events.id],
      }).onDelete("cascade"),
      uniqueIndex("reminders_event_offset_start_key").on(table.eventId, table.offsetSeconds, table.startAt),
    ],
  );
}
