import type { AvailabilityService } from "../availability/availabilityService";
import { AgendaError } from "../errors";
import type { AgendaWrites } from "../events/agendaWrites";
import type { EventRoutesOptions } from "../events/eventRoutes";
import type { BookingEngine } from "./BookingEngine";

/**
 * The booking page's engine on the availability service: its free slots, and its booking, which
 * checks and writes under the owner's lock. A move takes the same lock, so it can never land on a
 * time another booking takes meanwhile.
 */
export function createBookingEngine(input: {
  availability: AvailabilityService;
  writes: AgendaWrites;
  notify: EventRoutesOptions["notify"];
}): BookingEngine {
  const { availability, writes, notify } = input;
  const slotTaken = () =>
    new AgendaError("slot_taken", "this time is no longer free; pick another slot among those shown");

  return {
    async freeSlots(owner, range, durationMinutes) {
      const { slots } = await availability.freeSlots(owner, range.from, range.to, durationMinutes);
      return slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }));
    },

    async book(owner, booking) {
      const fixedLink = booking.conference?.joinUrl;
      const event = await availability.book(
        owner,
        { ...owner, email: booking.ownerEmail },
        {
          start: booking.start.toISOString(),
          duration: booking.durationMinutes,
          title: booking.title,
          ...(booking.description !== null && { description: booking.description }),
          client: { email: booking.guest.email, name: booking.guest.name },
          conference: booking.conference && !fixedLink ? booking.conference.provider : "none",
        },
      );
      if (!fixedLink || !booking.conference) {
        return { eventId: event.id, joinUrl: event.conference?.joinUrl ?? null };
      }
      // A link the type gives every booking: set on the event once its time is held.
      const conference = { provider: booking.conference.provider, joinUrl: fixedLink };
      await writes.run(async (store, outbound) => {
        await store.update(owner, event.id, { conference }, undefined);
        await outbound.changed(event.id);
      });
      return { eventId: event.id, joinUrl: fixedLink };
    },

    async move(owner, eventId, slot) {
      const durationMinutes = Math.round((slot.end.getTime() - slot.start.getTime()) / 60_000);
      await writes.run(
        async (store, outbound, client) => {
          // Under the lock, no other booking of the owner commits: what is free now stays free.
          const { slots } = await availability.freeSlots(owner, slot.start, slot.end, durationMinutes, {
            client,
            store,
          });
          if (!slots.some((free) => Date.parse(free.start) === slot.start.getTime())) throw slotTaken();
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
        },
        { lockOwners: [owner] },
      );
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
