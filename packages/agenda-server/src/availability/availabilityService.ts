import {
  type Availability,
  type AvailabilitySettings,
  type CalendarEvent,
  type Conference,
  type CreateBookingRequest,
  defaultAvailabilitySettings,
} from "@crm-agenda/shared";
import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PoolClient } from "pg";
import { lockOwnerBookings } from "../db/lockOwnerBookings";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";
import { AgendaError } from "../errors";
import type { AgendaWrites } from "../events/agendaWrites";
import type { EventRoutesOptions } from "../events/eventRoutes";
import { createEventStore } from "../events/eventStore";
import { matchClient } from "../events/matchClient";
import type { AgendaSession, ClientDirectory, Owner } from "../options";
import { createSeriesStore, type SeriesStore } from "../series/seriesStore";
import {
  computeFreeSlots,
  countByLocalDate,
  type Interval,
  refuseBooking,
  type SlotInput,
} from "./computeFreeSlots";

/** Something that runs a query: the pool, or a transaction's client. */
interface Queryable {
  query: PoolClient["query"];
}

const minute = 60_000;
const day = 86_400_000;

/**
 * Availability and booking for one owner at a time: the free slots (also for the public booking page,
 * which has no session) and bookings made under a per-owner lock, so two can never take one time.
 */
export function createAvailabilityService(input: {
  db: NodePgDatabase;
  pool: Queryable;
  tables: AgendaTables;
  schema: string;
  writes: AgendaWrites;
  clients: ClientDirectory;
  zoomMeetings?: EventRoutesOptions["zoomMeetings"];
  now: () => Date;
  notify: EventRoutesOptions["notify"];
}) {
  const s = quoteIdentifier(input.schema);
  const { availabilitySettings } = input.tables;
  const poolSeries = createSeriesStore(createEventStore(input.db, input.tables, input.now));

  async function settingsOf(owner: Owner, client: Queryable = input.pool): Promise<AvailabilitySettings> {
    const { rows } = await client.query<{ settings: AvailabilitySettings }>(
      `select settings from ${s}.availability_settings where tenant_id = $1 and user_id = $2`,
      [owner.tenantId, owner.userId],
    );
    return rows[0]?.settings ?? defaultAvailabilitySettings;
  }

  /** The owner's busy time and bookings around [from, to), widened by the buffers and a day for the cap. */
  async function slotInput(
    owner: Owner,
    from: Date,
    to: Date,
    client: Queryable,
    series: SeriesStore,
  ): Promise<SlotInput> {
    const settings = await settingsOf(owner, client);
    const reach = Math.max(settings.bufferBeforeMinutes, settings.bufferAfterMinutes) * minute;
    const wideFrom = new Date(from.getTime() - reach - day);
    const wideTo = new Date(to.getTime() + reach + day);
    // Series made in the agenda are stored as a rule and exceptions: their occurrences come expanded.
    const { rows } = await client.query<{ start_at: Date; end_at: Date; booked: boolean }>(
      `select start_at, end_at, booked from ${s}.events
        where tenant_id = $1 and user_id = $2 and busy and not cancelled
          and recurrence is null and series_master_id is null and start_at < $4 and end_at > $3`,
      [owner.tenantId, owner.userId, wideFrom, wideTo],
    );
    const occurrences = await series.list(owner, wideFrom, wideTo);
    const busy: Interval[] = [
      ...rows.map((row) => ({ start: row.start_at.getTime(), end: row.end_at.getTime() })),
      ...occurrences.map((event) => ({ start: Date.parse(event.start), end: Date.parse(event.end) })),
    ];
    const bookings = rows.filter((row) => row.booked).map((row) => row.start_at);
    return {
      settings,
      busy,
      bookingsPerDay: countByLocalDate(bookings, settings.timeZone),
      now: input.now(),
    };
  }

  return {
    /** The owner's settings, or the defaults until they save some. */
    settings: (owner: Owner) => settingsOf(owner),

    async saveSettings(owner: Owner, settings: AvailabilitySettings): Promise<AvailabilitySettings> {
      const at = input.now();
      await input.db
        .insert(availabilitySettings)
        .values({ ...owner, settings, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: [availabilitySettings.tenantId, availabilitySettings.userId],
          set: { settings, updatedAt: at },
        });
      const [row] = await input.db
        .select({ settings: availabilitySettings.settings })
        .from(availabilitySettings)
        .where(
          and(
            eq(availabilitySettings.tenantId, owner.tenantId),
            eq(availabilitySettings.userId, owner.userId),
          ),
        );
      return row?.settings ?? settings;
    },

    /** Free slots of `duration` minutes between `from` and `to`, for the owner (no session needed). */
    async freeSlots(owner: Owner, from: Date, to: Date, duration: number): Promise<Availability> {
      const slotsInput = await slotInput(owner, from, to, input.pool, poolSeries);
      const slots = computeFreeSlots(slotsInput, from, to, duration);
      return {
        userId: owner.userId,
        timeZone: slotsInput.settings.timeZone,
        duration,
        slots: slots.map((slot) => ({
          start: new Date(slot.start).toISOString(),
          end: new Date(slot.end).toISOString(),
        })),
      };
    },

    /**
     * Books `booking.start` for the owner: in one transaction, a lock on the owner, the checks
     * (working hours, notice, buffers, busy events, daily cap) and the event with its outbound sync
     * job. Throws 409 `slot_taken` when the time is no longer free. `session` is who books (for the
     * client match; the public page passes the owner's own identity).
     */
    async book(owner: Owner, session: AgendaSession, booking: CreateBookingRequest): Promise<CalendarEvent> {
      const start = new Date(booking.start);
      const end = new Date(start.getTime() + booking.duration * minute);
      const clientEmail = booking.client?.email;
      const attendees = clientEmail
        ? [
            {
              email: clientEmail,
              ...(booking.client?.name && { name: booking.client.name }),
              responseStatus: "needsAction" as const,
            },
          ]
        : [];
      const match = booking.client?.clientId
        ? await namedClient(input.clients, session.tenantId, booking.client.clientId)
        : await matchClient(input.clients, session, attendees);
      const event = {
        title: booking.title ?? (booking.client?.name || match.clientName || "Appointment"),
        description: booking.description ?? null,
        start: start.toISOString(),
        end: end.toISOString(),
        attendees,
        conference: booking.conference === "meet" ? { provider: "meet" as const } : null,
      };
      let made: Conference | null = null;
      if (booking.conference === "zoom") {
        if (!input.zoomMeetings) {
          throw new AgendaError(
            "unprocessable",
            "Zoom is not configured on this server; book without a Zoom link",
          );
        }
        // Refused before Zoom is asked, so a taken time costs no meeting; checked again under the lock.
        const { settings } = await check(owner, start, booking.duration, input.pool, poolSeries);
        made = await input.zoomMeetings.create(owner, {
          ...event,
          timeZone: booking.timeZone ?? settings.timeZone,
        });
      }
      let created: CalendarEvent;
      try {
        created = await input.writes.run(async (store, outbound, client) => {
          // Every booking of this owner waits here for the one before it to commit or roll back, so the
          // check below sees it: a lock, since buffers, busy synced events and the cap cannot be an
          // exclusion constraint (and btree_gist may not be installable on the host's database).
          await lockOwnerBookings(client, owner);
          const { settings } = await check(owner, start, booking.duration, client, createSeriesStore(store));
          const timeZone = booking.timeZone ?? settings.timeZone;
          const row = await store.create(
            owner,
            { ...event, timeZone, ...(made && { conference: made }) },
            match,
            { ...(made?.meetingId && { zoomMeetingId: made.meetingId }), booked: true },
          );
          await outbound.changed(row.id);
          return row;
        });
      } catch (error) {
        if (made?.meetingId) await input.zoomMeetings?.discard(owner, made.meetingId);
        throw error;
      }
      input.notify({ type: "created", ...owner, eventId: created.id });
      return created;
    },
  };

  /** The owner's settings when `start` is bookable; throws 409 or 422 saying why when it is not. */
  async function check(
    owner: Owner,
    start: Date,
    duration: number,
    client: Queryable,
    series: SeriesStore,
  ): Promise<SlotInput> {
    const end = new Date(start.getTime() + duration * minute);
    const slotsInput = await slotInput(owner, start, end, client, series);
    const refusal = refuseBooking(slotsInput, start, duration);
    if (!refusal) return slotsInput;
    throw new AgendaError(refusal.kind === "taken" ? "slot_taken" : "unprocessable", refusal.message, {
      details: [{ path: "start", message: refusal.message }],
    });
  }
}

async function namedClient(clients: ClientDirectory, tenantId: string, clientId: string) {
  const client = await clients.get(tenantId, clientId);
  if (!client) {
    throw new AgendaError("unprocessable", `no CRM client ${clientId}; pick one from the client search`, {
      details: [{ path: "client.clientId", message: "unknown client" }],
    });
  }
  return { clientId: client.id, clientName: client.name, method: "manual" as const };
}

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
