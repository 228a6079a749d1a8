import { randomUUID } from "node:crypto";
import type { CalendarEvent, ClientMatch, CreateEventInput, UpdateEventInput } from "@crm-agenda/shared";
import { and, asc, eq, gt, isNull, lt } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { insertMany } from "../db/insertMany";
import type { AgendaTables } from "../db/schema";
import type { Owner } from "../options";

export type EventRow = AgendaTables["events"]["$inferSelect"];

/** The client's answer from a reminder link, if it was given for the event's current start. */
export function currentAttendance(row: EventRow): CalendarEvent["attendance"] {
  return row.attendance && row.attendanceStartAt?.getTime() === row.startAt.getTime() ? row.attendance : null;
}

export function toCalendarEvent(row: EventRow): CalendarEvent {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    allDay: row.allDay,
    timeZone: row.timeZone,
    location: row.location,
    conference: row.conference ?? null,
    attendees: row.attendees,
    source: row.source,
    clientMatch: { clientId: row.clientId, clientName: row.clientName, method: row.clientMatchMethod },
    summaryStatus: row.summaryStatus,
    attendance: currentAttendance(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.recurrence && { recurrence: row.recurrence }),
  };
}

/** The columns a change sets (only the fields it gives). */
export function changeColumns(change: UpdateEventInput) {
  return {
    ...(change.title !== undefined && { title: change.title }),
    ...(change.description !== undefined && { description: change.description }),
    ...(change.start !== undefined && { startAt: new Date(change.start) }),
    ...(change.end !== undefined && { endAt: new Date(change.end) }),
    ...(change.allDay !== undefined && { allDay: change.allDay }),
    ...(change.timeZone !== undefined && { timeZone: change.timeZone }),
    ...(change.location !== undefined && { location: change.location }),
    ...(change.conference !== undefined && { conference: change.conference }),
    ...(change.attendees !== undefined && {
      attendees: change.attendees.map((attendee) => ({
        ...attendee,
        responseStatus: attendee.responseStatus ?? "needsAction",
      })),
    }),
    ...(change.recurrence !== undefined && { recurrence: change.recurrence }),
  };
}

export function clientColumns(match: ClientMatch) {
  return { clientId: match.clientId, clientName: match.clientName, clientMatchMethod: match.method };
}

/** What made an event beside a person: a Zoom meeting the agenda made for it, or a booking. */
export interface EventMade {
  zoomMeetingId?: string;
  booked?: boolean;
}

/** Events of one user, always read and written through their owner so no tenant sees another's. */
export function createEventStore(db: NodePgDatabase, tables: AgendaTables, now: () => Date) {
  const { events } = tables;
  const owned = (owner: Owner) => and(eq(events.tenantId, owner.tenantId), eq(events.userId, owner.userId));

  /** Several events in one statement (a batch of bookings), returned in the order given. */
  async function createMany(
    drafts: readonly { owner: Owner; input: CreateEventInput; match: ClientMatch; made?: EventMade }[],
  ): Promise<CalendarEvent[]> {
    if (drafts.length === 0) return [];
    const at = now();
    // Ids chosen here, since nothing promises RETURNING keeps the order of the VALUES list.
    const ids = drafts.map(() => randomUUID());
    const rows = await insertMany(
      db,
      events,
      drafts.map(({ owner, input, match, made = {} }, index) => ({
        id: ids[index]!,
        tenantId: owner.tenantId,
        userId: owner.userId,
        title: input.title,
        description: input.description ?? null,
        startAt: new Date(input.start),
        endAt: new Date(input.end),
        allDay: input.allDay ?? false,
        timeZone: input.timeZone,
        location: input.location ?? null,
        conference: input.conference ?? null,
        attendees: (input.attendees ?? []).map((attendee) => ({
          ...attendee,
          responseStatus: attendee.responseStatus ?? "needsAction",
        })),
        source: "crm" as const,
        ...clientColumns(match),
        zoomMeetingId: made.zoomMeetingId ?? null,
        booked: made.booked ?? false,
        recurrence: input.recurrence ?? null,
        createdAt: at,
        updatedAt: at,
      })),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => toCalendarEvent(byId.get(id)!));
  }

  return {
    /** The connection this store works on, for stores that must write in the same transaction. */
    on: { db, tables, now },

    /** The owner's events touching [from, to), by start; the first `limit` of them when given. */
    async list(owner: Owner, from: Date, to: Date, limit?: number): Promise<CalendarEvent[]> {
      const query = db
        .select()
        .from(events)
        .where(
          and(
            owned(owner),
            lt(events.startAt, to),
            gt(events.endAt, from),
            // Series made in the agenda are expanded apart (see createSeriesStore).
            isNull(events.recurrence),
            isNull(events.seriesMasterId),
          ),
        )
        .orderBy(asc(events.startAt), asc(events.id));
      const rows = await (limit === undefined ? query : query.limit(limit));
      return rows.map(toCalendarEvent);
    },

    async get(owner: Owner, id: string): Promise<CalendarEvent | null> {
      const [row] = await db
        .select()
        .from(events)
        .where(and(owned(owner), eq(events.id, id)));
      return row ? toCalendarEvent(row) : null;
    },

    /**
     * `made.zoomMeetingId`: the Zoom meeting the agenda made for the event, which then follows it;
     * `made.booked`: made by a booking, counted by the daily cap.
     */
    async create(
      owner: Owner,
      input: CreateEventInput,
      match: ClientMatch,
      made: EventMade = {},
    ): Promise<CalendarEvent> {
      const [created] = await createMany([{ owner, input, match, made }]);
      return created!;
    },

    createMany,

    async update(
      owner: Owner,
      id: string,
      change: UpdateEventInput,
      match: ClientMatch | undefined,
    ): Promise<CalendarEvent | null> {
      const [row] = await db
        .update(events)
        .set({
          ...changeColumns(change),
          ...(match && clientColumns(match)),
          updatedAt: now(),
        })
        .where(and(owned(owner), eq(events.id, id)))
        .returning();
      return row ? toCalendarEvent(row) : null;
    },

    async setClient(owner: Owner, id: string, match: ClientMatch): Promise<CalendarEvent | null> {
      const [row] = await db
        .update(events)
        .set({ ...clientColumns(match), updatedAt: now() })
        .where(and(owned(owner), eq(events.id, id)))
        .returning();
      return row ? toCalendarEvent(row) : null;
    },

    async remove(owner: Owner, id: string): Promise<boolean> {
      const rows = await db
        .delete(events)
        .where(and(owned(owner), eq(events.id, id)))
        .returning({ id: events.id });
      return rows.length > 0;
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
