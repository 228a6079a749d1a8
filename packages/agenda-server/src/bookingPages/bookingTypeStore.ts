import type { BookingType, CreateBookingTypeInput, UpdateBookingTypeInput } from "@crm-agenda/shared";
import { and, asc, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaTables } from "../db/schema";
import type { AgendaSession, Owner } from "../options";
import { newLinkToken } from "./linkTokens";

type BookingTypeRow = AgendaTables["bookingTypes"]["$inferSelect"];

/** Booking types of their owners, and the one a public link names. */
export function createBookingTypeStore(db: NodePgDatabase, tables: AgendaTables, now: () => Date) {
  const { bookingTypes } = tables;
  const owned = (owner: Owner) =>
    and(eq(bookingTypes.tenantId, owner.tenantId), eq(bookingTypes.userId, owner.userId));

  return {
    async list(owner: Owner): Promise<BookingType[]> {
      const rows = await db
        .select()
        .from(bookingTypes)
        .where(owned(owner))
        .orderBy(asc(bookingTypes.createdAt), asc(bookingTypes.id));
      return rows.map(toBookingType);
    },

    async create(session: AgendaSession, input: CreateBookingTypeInput): Promise<BookingType> {
      const [row] = await db
        .insert(bookingTypes)
        .values({
          tenantId: session.tenantId,
          userId: session.userId,
          ownerEmail: session.email,
          title: input.title,
          durationMinutes: input.durationMinutes,
          description: input.description ?? null,
          conference: input.conference ?? null,
          questions: (input.questions ?? []).map((question) => ({
            ...question,
            required: !!question.required,
          })),
          linkToken: newLinkToken(),
        })
        .returning();
      return toBookingType(row!);
    },

    async update(owner: Owner, id: string, change: UpdateBookingTypeInput): Promise<BookingType | null> {
      const [row] = await db
        .update(bookingTypes)
        .set({
          ...(change.title !== undefined && { title: change.title }),
          ...(change.durationMinutes !== undefined && { durationMinutes: change.durationMinutes }),
          ...(change.description !== undefined && { description: change.description }),
          ...(change.conference !== undefined && { conference: change.conference }),
          ...(change.questions !== undefined && {
            questions: change.questions.map((question) => ({ ...question, required: !!question.required })),
          }),
          updatedAt: now(),
        })
        .where(and(owned(owner), eq(bookingTypes.id, id)))
        .returning();
      return row ? toBookingType(row) : null;
    },

    async renewLink(owner: Owner, id: string): Promise<BookingType | null> {
      const [row] = await db
        .update(bookingTypes)
        .set({ linkToken: newLinkToken(), updatedAt: now() })
        .where(and(owned(owner), eq(bookingTypes.id, id)))
        .returning();
      return row ? toBookingType(row) : null;
    },

    async remove(owner: Owner, id: string): Promise<boolean> {
      const rows = await db
        .delete(bookingTypes)
        .where(and(owned(owner), eq(bookingTypes.id, id)))
        .returning({ id: bookingTypes.id });
      return rows.length > 0;
    },

    /** The booking type a public link names, with its owner, or null for an unknown or replaced link. */
    async byLinkToken(token: string): Promise<BookingTypeRow | null> {
      const [row] = await db.select().from(bookingTypes).where(eq(bookingTypes.linkToken, token));
      return row ?? null;
    },
  };
}

export type BookingTypeStore = ReturnType<typeof createBookingTypeStore>;

function toBookingType(row: BookingTypeRow): BookingType {
  return {
    id: row.id,
    title: row.title,
    durationMinutes: row.durationMinutes,
    description: row.description,
    conference: row.conference,
    questions: row.questions,
    linkToken: row.linkToken,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
