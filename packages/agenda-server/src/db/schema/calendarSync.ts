import type { Provider } from "@crm-agenda/shared";
import { sql } from "drizzle-orm";
import { boolean, index, integer, type PgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { createConnectionsTable } from "./connections";
import { timestamps } from "./timestamps";

type ConnectionsTable = ReturnType<typeof createConnectionsTable>;

/**
 * The calendar sync state of one Google or Microsoft connection: which calendar, where the last sync
 * stopped (Google's sync token, Graph's delta link), and how the last run went, for the connections
 * panel. Goes with its connection.
 */
export function createCalendarSyncsTable(schema: PgSchema, connections: ConnectionsTable) {
  return schema.table(
    "calendar_syncs",
    {
      connectionId: uuid("connection_id")
        .primaryKey()
        .references(() => connections.id, { onDelete: "cascade" }),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      provider: text("provider").$type<Extract<Provider, "google" | "microsoft">>().notNull(),
      /** Google calendar id (`primary`), or a Graph calendar id (empty: the user's default calendar). */
      calendarId: text("calendar_id").notNull(),
      /** Whether events created in the CRM agenda are written to this calendar. */
      pushCrmEvents: boolean("push_crm_events").notNull().default(false),
      /** Google `nextSyncToken` or Graph `@odata.deltaLink`; null until a full sync finished. */
      cursor: text("cursor"),
      lastSuccessAt: timestamp("last_success_at", { withTimezone: true, mode: "date" }),
      lastError: text("last_error"),
      lastErrorAt: timestamp("last_error_at", { withTimezone: true, mode: "date" }),
      /** When the polling fallback syncs this connection next. */
      nextRunAt: timestamp("next_run_at", { withTimezone: true, mode: "date" }),
      fullSyncs: integer("full_syncs").notNull().default(0),
      runs: integer("runs").notNull().default(0),
      ...timestamps,
    },
    (table) => [index("calendar_syncs_next_run_idx").on(table.nextRunAt)],
  );
}

/**
 * A Google push channel (events.watch) or a Graph subscription: its id, the secret it carries back
 * (channel token, clientState), and when it ends. A connection has two for a moment while one is
 * replaced.
 */
export function createCalendarChannelsTable(schema: PgSchema, connections: ConnectionsTable) {
  return schema.table(
    "calendar_channels",
    {
      id: text("id").primaryKey(),
      connectionId: uuid("connection_id")
        .notNull()
        .references(() => connections.id, { onDelete: "cascade" }),
      provider: text("provider").$type<Extract<Provider, "google" | "microsoft">>().notNull(),
      secret: text("secret").notNull(),
      /** Google's resourceId, needed to stop the channel. */
      resourceId: text("resource_id"),
      expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
      ...timestamps,
    },
    (table) => [index("calendar_channels_connection_idx").on(table.connectionId)],
  );
}

/** A change made on both sides before either saw the other's: who won, for the record. */
export function createSyncConflictsTable(schema: PgSchema) {
  return schema.table(
    "sync_conflicts",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      connectionId: uuid("connection_id").notNull(),
      eventId: uuid("event_id"),
      externalId: text("external_id").notNull(),
      winner: text("winner").$type<"agenda" | "provider">().notNull(),
      localUpdatedAt: timestamp("local_updated_at", { withTimezone: true, mode: "date" }),
      remoteUpdatedAt: timestamp("remote_updated_at", { withTimezone: true, mode: "date" }),
      detail: text("detail").notNull(),
      recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    },
    (table) => [index("sync_conflicts_connection_idx").on(table.connectionId)],
  );
}
