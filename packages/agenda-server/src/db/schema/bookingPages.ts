import type { BookingQuestion } from "@crm-agenda/shared";
import { sql } from "drizzle-orm";
import {
  foreignKey,
  index,
  integer,
  jsonb,
  type PgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

/** The conference a booking type gives its bookings: a fixed link, or a meeting made per booking. */
export interface BookingTypeConference {
  provider: "zoom" | "meet";
  joinUrl?: string;
}

export function createBookingTypesTable(schema: PgSchema) {
  return schema.table(
    "booking_types",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      /** The owner's e-mail when the type was made: their colleagues are never matched as the client. */
      ownerEmail: text("owner_email").notNull(),
      title: text("title").notNull(),
      durationMinutes: integer("duration_minutes").notNull(),
      description: text("description"),
      conference: jsonb("conference").$type<BookingTypeConference>(),
      questions: jsonb("questions").$type<BookingQuestion[]>().notNull().default([]),
      /** The public link's secret: 32 random bytes, base64url. Replaced to revoke a link. */
      linkToken: text("link_token").notNull(),
      ...timestamps,
    },
    (table) => [
      uniqueIndex("booking_types_link_token_key").on(table.linkToken),
      index("booking_types_owner_idx").on(table.tenantId, table.userId),
    ],
  );
}

export function createGuestBookingsTable(
  schema: PgSchema,
  bookingTypes: ReturnType<typeof createBookingTypesTable>,
) {
  return schema.table(
    "guest_bookings",
    {
      id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      bookingTypeId: uuid("booking_type_id"),
      /** The agenda event of the booking; null once cancelled (the event is deleted). */
      eventId: uuid("event_id"),
      title: text("title").notNull(),
      durationMinutes: integer("duration_minutes").notNull(),
      startAt: timestamp("start_at", { withTimezone: true, mode: "date" }).notNull(),
      endAt: timestamp("end_at", { withTimezone: true, mode: "date" }).notNull(),
      guestName: text("guest_name").notNull(),
      guestEmail: text("guest_email").notNull(),
      /** The zone the guest booked in: their .ics is written in it. */
      guestTimeZone: text("guest_time_zone").notNull().default("UTC"),
      /** The video call's link as the event got it (fixed by the type, or made for this booking). */
      joinUrl: text("join_url"),
      answers: jsonb("answers").$type<Record<string, string>>().notNull().default({}),
      /** SHA-256 of the guest's manage token: a leaked table gives no working link. */
      manageTokenHash: text("manage_token_hash").notNull(),
      status: text("status").$type<"confirmed" | "cancelled">().notNull().default("confirmed"),
      ...timestamps,
    },
    (table) => [
      // Named as Postgres named the inline reference of migration 0011.
      foreignKey({
        name: "guest_bookings_booking_type_id_fkey",
        columns: [table.bookingTypeId],
        foreignColumns: [bookingTypes.id],
      }).onDelete("set null"),
      uniqueIndex("guest_bookings_manage_token_key").on(table.manageTokenHash),
      index("guest_bookings_event_idx").on(table.eventId),
    ],
  );
}
