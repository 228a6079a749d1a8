import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  type PgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { createEventsTable } from "./events";
import { timestamps } from "./timestamps";

/** The host hooks told through the outbox. */
export type HostNotificationHook = "onSummaryReady" | "onActionItems";

/**
 * The outbox of the host's hooks: one row per stored summary and hook, written in the transaction that
 * stores the summary, with its delivery job. `pending` until the hook returns (`delivered`), or it threw
 * on every try (`failed`, with its message), or a newer summary of the same event was stored first
 * (`superseded`: the host hears of the latest only). The id is the `notificationId` the hook receives.
 */
export function createHostNotificationsTable(schema: PgSchema, events: ReturnType<typeof createEventsTable>) {
  return schema.table(
    "host_notifications",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      eventId: uuid("event_id")
        .notNull()
        .references(() => events.id, { onDelete: "cascade" }),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      hook: text("hook").$type<HostNotificationHook>().notNull(),
      /** The summary run (its attempt) whose stored summary this tells. */
      run: integer("run").notNull(),
      regenerated: boolean("regenerated").notNull(),
      state: text("state")
        .$type<"pending" | "delivered" | "failed" | "superseded">()
        .notNull()
        .default("pending"),
      attempts: integer("attempts").notNull().default(0),
      /** The hook's last error message, with credentials masked. */
      error: text("error"),
      deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "date" }),
      ...timestamps,
    },
    (table) => [
      uniqueIndex("host_notifications_event_run_hook_key").on(table.eventId, table.run, table.hook),
      index("host_notifications_state_idx").on(table.state),
    ],
  );
}
