import { sql } from "drizzle-orm";
import { type PgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Every webhook delivery we accepted, under a unique key per source, so a repeated delivery (a
 * provider's retry, or a replay) is recognised and processed once.
 */
export function createDeliveriesTable(schema: PgSchema) {
  return schema.table(
    "deliveries",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      source: text("source").$type<"zoom" | "google-events" | "google-calendar" | "microsoft">().notNull(),
      deliveryKey: text("delivery_key").notNull(),
      eventType: text("event_type").notNull(),
      receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    },
    (table) => [uniqueIndex("deliveries_source_key").on(table.source, table.deliveryKey)],
  );
}
