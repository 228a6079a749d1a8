import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  jsonb,
  type PgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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

/**
 * The outbox of deliveries: the job of each accepted delivery, written in the same statement as its
 * delivery row and waiting there until it is moved into the job queue (then the row goes). Only the
 * jobs not yet moved are here, so the table stays small.
 */
export function createDeliveryJobsTable(schema: PgSchema) {
  return schema.table("delivery_jobs", {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The pg-boss queue the job goes to. */
    queue: text("queue").notNull(),
    data: jsonb("data").notNull(),
    singletonKey: text("singleton_key"),
    /** Whether the job shares one queue job with others (`{ items }`, run by `runBatch`). */
    batch: boolean("batch").notNull().default(false),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  });
}
