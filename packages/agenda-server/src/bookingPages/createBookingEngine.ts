import type { PoolClient } from "pg";
import { AgendaError } from "../errors";
import type { AgendaWrites } from "../events/agendaWrites";
import type { EventStore } from "../events/eventStore";
import type { AgendaHooks, Owner } from "../options";
import type { BookingEngine, FreeSlot } from "./BookingEngine";

/**
 * PROVISIONAL until the availability feature lands: free slots from fixed working hours (weekdays,
 * 09:00-17:00 UTC) minus the owner's events. A booking's check and write hold a transaction-scoped
 * advisory lock on its owner, so two bookings of one owner are checked one after the other, on every
 * server instance: never a read-then-write race.
 */
export function createBookingEngine(input: {
  events: EventStore;
  writes: AgendaWrites;
  notify(change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]): void;
}): BookingEngine {
  const { events, writes, notify } = input;
  const overlaps = (a: { start: Date; end: Date }, b: { start: string; end: string }) =>
    a.start.getTime() < Date.parse(b.end) && a.end.getTime() > Date.parse(b.start);

  async function freeSlots(owner: Owner, range: { from: Date; to: Date }, durationMinutes: number) {
    const busy = await events.list(
      owner,
      range.from,
      new Date(range.to.getTime() + durationMinutes * 60_000),
    );
    const slots: FreeSlot[] = [];
    const day = new Date(range.from);
    day.setUTCHours(0, 0, 0, 0);
    for (; day < range.to; day.setUTCDate(day.getUTCDate() + 1)) {
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      for (let minute = 9 * 60; minute + durationMinutes <= 17 * 60; minute += durationMinutes) {
        const start = new Date(day.getTime() + minute * 60_000);
        const slot = { start, end: new Date(start.getTime() + durationMinutes * 60_000) };
        if (start < range.from || start >= range.to) continue;
        if (!busy.some((event) => overlaps(slot, event))) slots.push(slot);
      }
    }
    return slots;
  }

  return {
    freeSlots,
    async book(owner, booking) {
      const event = await writes.run(async (store, outbound, client) => {
        await lockOwner(client, owner);
        const busy = await store.list(owner, booking.start, booking.end);
        if (busy.length > 0)
          throw new AgendaError("conflict", "this time is no longer free; pick another slot");
        const created = await store.create(
          owner,
          {
            title: booking.title,
            description: booking.description,
            start: booking.start.toISOString(),
            end: booking.end.toISOString(),
            timeZone: booking.timeZone,
            attendees: booking.attendees,
            conference: booking.conference,
          },
          booking.clientMatch,
        );
        await outbound.changed(created.id);
        return created;
      });
      notify({ type: "created", ...owner, eventId: event.id });
      return { eventId: event.id, joinUrl: event.conference?.joinUrl ?? null };
    },
    async move(owner, eventId, slot) {
      await writes.run(async (store, outbound, client) => {
        await lockOwner(client, owner);
        const busy = await store.list(owner, slot.start, slot.end);
        if (busy.some((event) => event.id !== eventId)) {
          throw new AgendaError("conflict", "this time is no longer free; pick another slot");
        }
        const moved = await store.update(
          owner,
          eventId,
          { start: slot.start.toISOString(), end: slot.end.toISOString() },
          undefined,
        );
        if (!moved)
          throw new AgendaError("conflict", "this appointment was removed by its host; book a new time");
        await outbound.changed(eventId);
        await outbound.meetingChanged(eventId);
      });
      notify({ type: "updated", ...owner, eventId });
    },
    async cancel(owner, eventId) {
      const removed = await writes.run(async (store, outbound) => {
        if (!(await store.get(owner, eventId))) return false;
        await outbound.deleting(eventId);
        return store.remove(owner, eventId);
      });
      if (removed) notify({ type: "deleted", ...owner, eventId });
    },
  };
}

/** Held until the transaction ends: the owner's bookings are checked and written one at a time. */
async function lockOwner(client: PoolClient, owner: Owner): Promise<void> {
  await client.query("select pg_advisory_xact_lock(hashtext($1))", [
    `crm-agenda:booking:${owner.tenantId}:${owner.userId}`,
  ]);
}
