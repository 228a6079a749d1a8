import {
  type Availability,
  type AvailabilitySettings,
  type CalendarEvent,
  type ClientMatch,
  type Conference,
  type CreateBookingRequest,
  type CreateEventInput,
  defaultAvailabilitySettings,
  maxBufferMinutes,
} from "@crm-agenda/shared";
import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PoolClient } from "pg";
import { createWriteBatcher } from "../db/createWriteBatcher";
import { CommitOutcomeUnknown } from "../db/inTransaction";
import { isLockWaitOver, type LiteralEscaper } from "../db/lockOwnerBookings";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";
import { AgendaError } from "../errors";
import type { AgendaWrites } from "../events/agendaWrites";
import type { EventRoutesOptions } from "../events/eventRoutes";
import { createEventStore, type EventStore } from "../events/eventStore";
import { matchClient } from "../events/matchClient";
import type { AgendaSession, ClientDirectory, Owner } from "../options";
import { createSeriesStore, type SeriesStore } from "../series/seriesStore";
import {
  computeFreeSlots,
  countByLocalDate,
  type Interval,
  type Refusal,
  refuseBooking,
  type SlotInput,
} from "./computeFreeSlots";

/** Something that runs a query: the pool, or a transaction's client. */
interface Queryable {
  query: PoolClient["query"];
}

/** What an owner's slots are computed from, and whether their calendar takes the CRM's new events. */
interface OwnerSlotInput extends SlotInput {
  pushesToCalendar: boolean;
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

  /**
   * The two reads slots are computed from, for each owner asked about: their settings, and their busy
   * time and bookings around the times asked (widened by the longest buffer a user can keep, and a day
   * for the cap). `values` renders the owners' columns: as parameters, or as escaped literals for a
   * transaction that reads them in the round trip that takes its locks.
   */
  function slotReads(values: { tenants: string; users: string; froms: string; tos: string }) {
    const owners = `unnest(${values.tenants}::text[], ${values.users}::text[])`;
    return {
      settings: `select s.settings,
              exists (select 1 from ${s}.events m where m.tenant_id = w.tenant_id and m.user_id = w.user_id
                        and m.recurrence is not null) as has_series,
              exists (select 1 from ${s}.calendar_syncs c where c.tenant_id = w.tenant_id and c.user_id = w.user_id
                        and c.push_crm_events) as pushes
         from ${owners} with ordinality as w(tenant_id, user_id, n)
         left join ${s}.availability_settings s on s.tenant_id = w.tenant_id and s.user_id = w.user_id
        order by w.n`,
      // Times come as epoch milliseconds, cheaper to read than dates over a month of events.
      busy: `select w.n::int as n, (extract(epoch from e.start_at) * 1000)::float8 as start_ms,
              (extract(epoch from e.end_at) * 1000)::float8 as end_ms, e.booked
         from unnest(${values.tenants}::text[], ${values.users}::text[], ${values.froms}::timestamptz[],
                     ${values.tos}::timestamptz[]) with ordinality as w(tenant_id, user_id, wide_from, wide_to, n)
         join ${s}.events e on e.tenant_id = w.tenant_id and e.user_id = w.user_id
        where e.busy and not e.cancelled and e.recurrence is null and e.series_master_id is null
          and e.start_at < w.wide_to and e.end_at > w.wide_from`,
    };
  }

  /** Each owner once, over the union of the times asked for them, and how far their reads reach. */
  function ownersAsked(asked: readonly { owner: Owner; from: Date; to: Date }[]) {
    const owners = new Map<string, { owner: Owner; from: number; to: number }>();
    for (const { owner, from, to } of asked) {
      const known = owners.get(ownerKey(owner));
      owners.set(ownerKey(owner), {
        owner,
        from: Math.min(known?.from ?? from.getTime(), from.getTime()),
        to: Math.max(known?.to ?? to.getTime(), to.getTime()),
      });
    }
    const reach = maxBufferMinutes * minute + day;
    return [...owners.values()].map((wanted) => ({
      ...wanted,
      wideFrom: new Date(wanted.from - reach),
      wideTo: new Date(wanted.to + reach),
    }));
  }

  type OwnersAsked = ReturnType<typeof ownersAsked>;
  interface SlotReadRows {
    settings: { settings: AvailabilitySettings | null; has_series: boolean; pushes: boolean }[];
    busy: { n: number; start_ms: number; end_ms: number; booked: boolean }[];
  }

  /**
   * What slots are computed from, for each owner asked about, in two queries whatever the number of
   * owners, plus one read per owner who has a series made in the agenda.
   */
  async function slotInputs(
    asked: readonly { owner: Owner; from: Date; to: Date }[],
    client: Queryable,
    series: SeriesStore,
  ): Promise<Map<string, OwnerSlotInput>> {
    const wanted = ownersAsked(asked);
    const reads = slotReads({ tenants: "$1", users: "$2", froms: "$3", tos: "$4" });
    const tenants = wanted.map(({ owner }) => owner.tenantId);
    const users = wanted.map(({ owner }) => owner.userId);
    const settings = await client.query<SlotReadRows["settings"][number]>(reads.settings, [tenants, users]);
    const busy = await client.query<SlotReadRows["busy"][number]>(reads.busy, [
      tenants,
      users,
      wanted.map(({ wideFrom }) => wideFrom),
      wanted.map(({ wideTo }) => wideTo),
    ]);
    return slotInputsFrom(wanted, { settings: settings.rows, busy: busy.rows }, series);
  }

  /** The slot reads of `wanted` as statements with literal values, for `writes.run`'s `readOnceLocked`. */
  function lockedSlotReads(wanted: OwnersAsked, quote: LiteralEscaper): string[] {
    const texts = (values: string[]) => `array[${values.map(quote).join(", ")}]`;
    // toISOString gives digits, dashes, colons, a dot and letters only: nothing to quote.
    const instants = (values: Date[]) =>
      `array[${values.map((date) => `'${date.toISOString()}'`).join(", ")}]`;
    const reads = slotReads({
      tenants: texts(wanted.map(({ owner }) => owner.tenantId)),
      users: texts(wanted.map(({ owner }) => owner.userId)),
      froms: instants(wanted.map(({ wideFrom }) => wideFrom)),
      tos: instants(wanted.map(({ wideTo }) => wideTo)),
    });
    return [reads.settings, reads.busy];
  }

  async function slotInputsFrom(
    wanted: OwnersAsked,
    rows: SlotReadRows,
    series: SeriesStore,
  ): Promise<Map<string, OwnerSlotInput>> {
    const byOwner = new Map<number, SlotReadRows["busy"]>();
    for (const row of rows.busy) {
      const own = byOwner.get(row.n);
      if (own) own.push(row);
      else byOwner.set(row.n, [row]);
    }
    const inputs = new Map<string, OwnerSlotInput>();
    const now = input.now();
    for (const [index, { owner, from, to }] of wanted.entries()) {
      const found = rows.settings[index];
      const settings = found?.settings ?? defaultAvailabilitySettings;
      const reach = Math.max(settings.bufferBeforeMinutes, settings.bufferAfterMinutes) * minute;
      const own = byOwner.get(index + 1) ?? [];
      // Series made in the agenda are stored as a rule and exceptions: their occurrences come expanded.
      const occurrences = found?.has_series
        ? await series.list(owner, new Date(from - reach - day), new Date(to + reach + day))
        : [];
      inputs.set(ownerKey(owner), {
        settings,
        busy: [
          ...own.map((row) => ({ start: row.start_ms, end: row.end_ms })),
          ...occurrences.map((event) => ({ start: Date.parse(event.start), end: Date.parse(event.end) })),
        ],
        bookingsPerDay: countByLocalDate(
          own.filter((row) => row.booked).map((row) => new Date(row.start_ms)),
          settings.timeZone,
        ),
        now,
        pushesToCalendar: found?.pushes === true,
      });
    }
    return inputs;
  }

  /** One owner's slot input around [from, to). */
  async function slotInput(owner: Owner, from: Date, to: Date, client: Queryable, series: SeriesStore) {
    const inputs = await slotInputs([{ owner, from, to }], client, series);
    return inputs.get(ownerKey(owner))!;
  }

  /**
   * Writes a batch of bookings in one transaction: the owners' locks, one read of what every check
   * needs, then each booking checked in arrival order against what the ones before it took, and the
   * accepted ones inserted together. Returns each booking's event or why it was refused.
   */
  async function writeBookings(batch: readonly PreparedBooking[]): Promise<(CalendarEvent | Error)[]> {
    // Every booking of an owner waits for the one before it to commit or roll back, so the check
    // below sees it: a lock, since buffers, busy synced events and the cap cannot be an exclusion
    // constraint (and btree_gist may not be installable on the host's database).
    const owners = batch.map(({ owner }) => owner);
    const wanted = ownersAsked(batch.map(({ owner, start, end }) => ({ owner, from: start, to: end })));
    try {
      return await input.writes.run(
        async (store, outbound, _client, [settings, busy]) => {
          const inputs = await slotInputsFrom(
            wanted,
            { settings: settings as SlotReadRows["settings"], busy: busy as SlotReadRows["busy"] },
            createSeriesStore(store),
          );
          const outcomes: (CalendarEvent | AgendaError)[] = [];
          const accepted: { index: number; draft: Parameters<typeof store.createMany>[0][number] }[] = [];
          for (const [index, booking] of batch.entries()) {
            const held = inputs.get(ownerKey(booking.owner))!;
            const refusal = refuseBooking(held, booking.start, booking.duration);
            if (refusal) {
              outcomes[index] = refusalError(refusal);
              continue;
            }
            hold(held, booking.start, booking.end);
            accepted.push({
              index,
              draft: {
                owner: booking.owner,
                input: {
                  ...booking.event,
                  // The Zoom meeting made for the booking is its link.
                  ...(booking.made && { conference: booking.made }),
                  timeZone: booking.timeZone ?? held.settings.timeZone,
                },
                match: booking.match,
                made: {
                  ...(booking.made?.meetingId && { zoomMeetingId: booking.made.meetingId }),
                  booked: true,
                },
              },
            });
          }
          const created = await store.createMany(accepted.map(({ draft }) => draft));
          for (const [position, { index }] of accepted.entries()) outcomes[index] = created[position]!;
          await outbound.createdForPush(
            created
              .filter(
                (_, position) => inputs.get(ownerKey(accepted[position]!.draft.owner))!.pushesToCalendar,
              )
              .map((event) => event.id),
          );
          return outcomes;
        },
        // The reads every check needs go with the locks: one round trip less for the whole batch.
        { lockOwners: owners, readOnceLocked: (quote) => lockedSlotReads(wanted, quote) },
      );
    } catch (error) {
      if (error instanceof CommitOutcomeUnknown) {
        return settleUnknownCommit(error as CommitOutcomeUnknown<(CalendarEvent | Error)[]>);
      }
      if (isLockWaitOver(error) && new Set(owners.map(ownerKey)).size > 1) return writeEachOwnerApart(batch);
      throw error;
    }
  }

  /**
   * A lock held elsewhere ran out the batch's wait: each owner's bookings are written again apart, so
   * only the owner whose lock is held waits once more and is refused, not everyone batched with them.
   */
  async function writeEachOwnerApart(batch: readonly PreparedBooking[]): Promise<(CalendarEvent | Error)[]> {
    const byOwner = new Map<string, number[]>();
    for (const [index, { owner }] of batch.entries()) {
      byOwner.set(ownerKey(owner), [...(byOwner.get(ownerKey(owner)) ?? []), index]);
    }
    const outcomes: (CalendarEvent | Error)[] = [];
    await Promise.all(
      [...byOwner.values()].map(async (indexes) => {
        try {
          const written = await writeBookings(indexes.map((index) => batch[index]!));
          for (const [position, index] of indexes.entries()) outcomes[index] = written[position]!;
        } catch (error) {
          for (const index of indexes)
            outcomes[index] = error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    return outcomes;
  }

  /**
   * The batch's COMMIT got no answer: its bookings were saved or not, all together, and a read on
   * another connection tells which. Saved, each caller gets its event (answering an error would have
   * them book again, and their own booking refuse them); not saved, the batch fails as in any outage.
   * When that read fails too, each booking says its outcome is unknown, and its Zoom meeting is kept,
   * since it may belong to a saved booking.
   */
  async function settleUnknownCommit(
    lost: CommitOutcomeUnknown<(CalendarEvent | Error)[]>,
  ): Promise<(CalendarEvent | Error)[]> {
    const ids = lost.value.flatMap((outcome) => (outcome instanceof Error ? [] : [outcome.id]));
    if (ids.length === 0) return lost.value;
    let saved: number;
    try {
      const { rows } = await input.pool.query<{ saved: number }>(
        `select count(*)::int as saved from ${s}.events where id = any($1::uuid[])`,
        [ids],
      );
      saved = rows[0]?.saved ?? 0;
    } catch {
      throw new AgendaError(
        "unavailable",
        "the connection to the database dropped while this booking was being saved, and whether it was saved is not known yet; look at the agenda before booking again",
        { cause: lost },
      );
    }
    if (saved === 0) throw lost.cause;
    return lost.value;
  }

  /**
   * Bookings read in one round of I/O, or arriving while two batches are being written, go together
   * in one transaction, as a database groups commits: under load fifty bookings cost one transaction
   * instead of fifty, and a booking alone is written at once. Two in flight, so a batch waiting on an
   * owner's lock (held by a reschedule, or another instance) does not hold up the rest.
   */
  const bookings = createWriteBatcher<PreparedBooking, CalendarEvent>(writeBookings, {
    maxBatch: 100,
    maxInFlight: 2,
  });

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
    async freeSlots(
      owner: Owner,
      from: Date,
      to: Date,
      duration: number,
      within?: { client: Queryable; store: EventStore },
    ): Promise<Availability> {
      // Inside a caller's transaction that holds the owner's lock, read on its connection: asking the
      // pool for a second one could wait forever once every connection waits on that lock.
      const slotsInput = within
        ? await slotInput(owner, from, to, within.client, createSeriesStore(within.store))
        : await slotInput(owner, from, to, input.pool, poolSeries);
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
        created = await bookings.submit({
          owner,
          start,
          end,
          duration: booking.duration,
          event,
          timeZone: booking.timeZone,
          match,
          made,
        });
      } catch (error) {
        const maybeSaved = error instanceof AgendaError && error.cause instanceof CommitOutcomeUnknown;
        if (made?.meetingId && !maybeSaved) await input.zoomMeetings?.discard(owner, made.meetingId);
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
    throw refusalError(refusal);
  }
}

/** A booking ready to be written: who and when, its event, its client match and any meeting made. */
interface PreparedBooking {
  owner: Owner;
  start: Date;
  end: Date;
  duration: number;
  event: Omit<CreateEventInput, "timeZone">;
  /** The booking's own zone; the owner's settings give it when absent. */
  timeZone: string | undefined;
  match: ClientMatch;
  made: Conference | null;
}

const ownerKey = (owner: Owner) => `${owner.tenantId}\u0000${owner.userId}`;

/** Counts a booking just accepted in the batch, so the ones after it see its time and its day. */
function hold(held: SlotInput, start: Date, end: Date) {
  (held.busy as Interval[]).push({ start: start.getTime(), end: end.getTime() });
  const perDay = held.bookingsPerDay as Map<string, number>;
  for (const [date, count] of countByLocalDate([start], held.settings.timeZone)) {
    perDay.set(date, (perDay.get(date) ?? 0) + count);
  }
}

function refusalError(refusal: Refusal): AgendaError {
  return new AgendaError(refusal.kind === "taken" ? "slot_taken" : "unprocessable", refusal.message, {
    details: [{ path: "start", message: refusal.message }],
  });
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
