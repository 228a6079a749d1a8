import type { Attendee, Conference, EventSource, SummaryStatus } from "@crm-agenda/shared";
import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  jsonb,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

export function createEventsTable(schema: PgSchema) {
  const events = schema.table(
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
      /**
       * The Zoom meeting the agenda made for this event (never one it was given or that came with a synced
       * event): the only kind it updates when the event changes and deletes when the event goes.
       */
      zoomMeetingId: text("zoom_meeting_id"),
      // Calendar sync: the connection and the provider's id of the event's copy in Google or Outlook.
      connectionId: uuid("connection_id"),
      externalId: text("external_id"),
      /** Google's etag or Graph's changeKey of the copy we last saw or wrote; the same one again is our echo. */
      externalEtag: text("external_etag"),
      /** When the provider last changed its copy, for last-writer-wins. */
      externalUpdatedAt: timestamp("external_updated_at", { withTimezone: true, mode: "date" }),
      /** The recurring series an instance belongs to (Google recurringEventId, Graph seriesMasterId). */
      seriesId: text("series_id"),
      /**
       * A recurring series made in the agenda: its RRULE (no DTSTART; the row's start and zone are the
       * first occurrence's), expanded when the agenda is read.
       */
      recurrence: text("recurrence"),
      /** An exception of a series made in the agenda: its master, and the start the occurrence had there. */
      seriesMasterId: uuid("series_master_id"),
      originalStartAt: timestamp("original_start_at", { withTimezone: true, mode: "date" }),
      /** An occurrence of a series deleted on its own: kept so the series skips it. */
      cancelled: boolean("cancelled").notNull().default(false),
      /** Created in the CRM agenda: carries our private marker in the provider's copy. */
      crmMade: boolean("crm_made").notNull().default(false),
      /** When this row and the provider's copy were last known equal; a later updatedAt is a local change. */
      syncedAt: timestamp("synced_at", { withTimezone: true, mode: "date" }),
      /** The client's answer from a reminder's link; it stands only for the start it answered for. */
      attendance: text("attendance").$type<"confirmed" | "cancelled">(),
      /** The start the client confirmed or cancelled: once the event moves, the answer no longer holds. */
      attendanceStartAt: timestamp("attendance_start_at", { withTimezone: true, mode: "date" }),
      attendanceAt: timestamp("attendance_at", { withTimezone: true, mode: "date" }),
      /** Takes the user's time; false for Google's transparent and Outlook's free events. */
      busy: boolean("busy").notNull().default(true),
      /** Made by a booking (`POST /bookings`): counted by the daily cap. */
      booked: boolean("booked").notNull().default(false),
      ...timestamps,
    },
    (table) => [
      uniqueIndex("events_connection_external_key").on(table.connectionId, table.externalId),
      index("events_connection_series_idx").on(table.connectionId, table.seriesId),
      index("events_owner_start_idx").on(table.tenantId, table.userId, table.startAt),
      index("events_owner_end_idx").on(table.tenantId, table.userId, table.endAt),
      // Named as migration 0013 created it.
      foreignKey({
        name: "events_series_master_fk",
        columns: [table.seriesMasterId],
        foreignColumns: [table.id],
      }).onDelete("cascade"),
      uniqueIndex("events_series_occurrence_key").on(table.seriesMasterId, table.originalStartAt),
      index("events_owner_recurring_idx")
        .on(table.tenantId, table.userId)
        .where(sql`${table.recurrence} is not null`),
      // The reminders' round reads only the events that have a client, by start.
      index("events_client_start_idx").on(table.startAt).where(sql`${table.clientId} is not null`),
    ],
  );
  return events;
}

/**
 * The client's answer from a reminder link for one occurrence of a series made in the agenda, by its
 * start in the series: kept apart from exception rows, so an answer does not freeze the occurrence
 * against edits of its series nor reach the user's calendar. It stands only while the occurrence
 * starts at `answeredForStart`.
 */
export function createOccurrenceAnswersTable(schema: PgSchema, events: ReturnType<typeof createEventsTable>) {
  return schema.table(
    "occurrence_answers",
    {
      seriesMasterId: uuid("series_master_id").notNull(),
      originalStartAt: timestamp("original_start_at", { withTimezone: true, mode: "date" }).notNull(),
      attendance: text("attendance").$type<"confirmed" | "cancelled">().notNull(),
      answeredForStart: timestamp("answered_for_start", { withTimezone: true, mode: "date" }).notNull(),
      answeredAt: timestamp("answered_at", { withTimezone: true, mode: "date" }).notNull(),
    },
    (table) => [
      primaryKey({ name: "occurrence_answers_pkey", columns: [table.seriesMasterId, table.originalStartAt] }),
      foreignKey({
        name: "occurrence_answers_series_master_fk",
        columns: [table.seriesMasterId],
        foreignColumns: [events.id],
      }).onDelete("cascade"),
    ],
  );
}
