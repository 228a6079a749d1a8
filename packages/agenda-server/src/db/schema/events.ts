import type { Attendee, Conference, EventSource, SummaryStatus } from "@crm-agenda/shared";
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, type PgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

export function createEventsTable(schema: PgSchema) {
  return schema.table(
    "events",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      title: text("title").notNull(),
      description: text("description"),
      startAt: timestamp("start_at", { withTimezone: true, mode: "date" }).notNull(),
      endAt: timestamp("end_at", { withTimezone: true, mode: "date" }).notNull(),
      allDay: boolean("all_day").notNull().default(false),
      timeZone: text("time_zone").notNull(),
      location: text("location"),
      conference: jsonb("conference").$type<Conference>(),
      attendees: jsonb("attendees").$type<Attendee[]>().notNull().default([]),
      source: text("source").$type<EventSource>().notNull().default("crm"),
      clientId: text("client_id"),
      clientName: text("client_name"),
      clientMatchMethod: text("client_match_method")
        .$type<"auto" | "manual" | "none">()
        .notNull()
        .default("none"),
      summaryStatus: text("summary_status").$type<SummaryStatus>().notNull().default("none"),
      ...timestamps,
    },
    (table) => [
      index("events_owner_start_idx").on(table.tenantId, table.userId, table.startAt),
      index("events_owner_end_idx").on(table.tenantId, table.userId, table.endAt),
    ],
  );
}
