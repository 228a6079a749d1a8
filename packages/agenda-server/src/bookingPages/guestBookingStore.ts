import type { GuestBooking } from "@crm-agenda/shared";
import { eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaTables } from "../db/schema";
import { hashLinkToken } from "./linkTokens";

export type GuestBookingRow = AgendaTables["guestBookings"]["$inferSelect"];
type NewGuestBooking = AgendaTables["guestBookings"]["$inferInsert"];

/** Bookings made through a link, found by the guest's manage token (stored hashed). */
export function createGuestBookingStore(db: NodePgDatabase, tables: AgendaTables, now: () => Date) {
  const { guestBookings } = tables;
  return {
    async insert(
      row: Omit<NewGuestBooking, "manageTokenHash">,
      manageToken: string,
    ): Promise<GuestBookingRow> {
      const [inserted] = await db
        .insert(guestBookings)
        .values({ ...row, manageTokenHash: hashLinkToken(manageToken) })
        .returning();
      return inserted!;
    },

    async byManageToken(token: string): Promise<GuestBookingRow | null> {
      const [row] = await db
        .select()
        .from(guestBookings)
        .where(eq(guestBookings.manageTokenHash, hashLinkToken(token)));
      return row ?? null;
    },

    async moved(
      id: string,
      slot: { start: Date; end: Date },
      guestTimeZone: string,
    ): Promise<GuestBookingRow> {
      const [row] = await db
        .update(guestBookings)
        .set({ startAt: slot.start, endAt: slot.end, guestTimeZone, updatedAt: now() })
        .where(eq(guestBookings.id, id))
        .returning();
      return row!;
    },

    async cancelled(id: string): Promise<GuestBookingRow> {
      const [row] = await db
        .update(guestBookings)
        .set({ status: "cancelled", eventId: null, updatedAt: now() })
        .where(eq(guestBookings.id, id))
        .returning();
      return row!;
    },
  };
}

export type GuestBookingStore = ReturnType<typeof createGuestBookingStore>;

export function toGuestBooking(row: GuestBookingRow): GuestBooking {
  return {
    title: row.title,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    status: row.status,
    name: row.guestName,
    email: row.guestEmail,
    durationMinutes: row.durationMinutes,
    joinUrl: row.status === "cancelled" ? null : row.joinUrl,
  };
}
