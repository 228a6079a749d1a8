import { type PgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { createConnectionsTable } from "./connections";
import { timestamps } from "./timestamps";

/**
 * The Google Workspace Events subscription to a connected Google user's Meet transcripts: how a push
 * is traced back to its connection, and when the subscription must be renewed.
 */
export function createMeetSubscriptionsTable(
  schema: PgSchema,
  connections: ReturnType<typeof createConnectionsTable>,
) {
  return schema.table("meet_subscriptions", {
    connectionId: uuid("connection_id")
      .primaryKey()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** `subscriptions/{id}`, as Google named it. */
    name: text("name").notNull().unique(),
    state: text("state").notNull(),
    expireTime: timestamp("expire_time", { withTimezone: true, mode: "date" }).notNull(),
    lastError: text("last_error"),
    ...timestamps,
  });
}
