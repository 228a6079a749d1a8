import type { Owner } from "../options";

/** A free interval an appointment of the asked length fits in exactly. */
export interface FreeSlot {
  start: Date;
  end: Date;
}

/** What a booking through a link writes into the owner's agenda. */
export interface BookingEventInput {
  /** The owner's own address, so that their colleagues are never matched as the client. */
  ownerEmail: string;
  title: string;
  description: string | null;
  start: Date;
  durationMinutes: number;
  /** The guest: the event's attendee, and the CRM client found by their e-mail. */
  guest: { name: string; email: string };
  /** A fixed link, or a Zoom or Meet meeting made for this booking. */
  conference: { provider: "zoom" | "meet"; joinUrl?: string } | null;
}

/**
 * What the booking page needs of the agenda's availability: the free slots of an owner, and writes
 * that can never put two bookings in one slot. Made on the availability service (see
 * `createBookingEngine`), so the page reveals and books exactly what `GET /availability` and
 * `POST /bookings` would.
 */
export interface BookingEngine {
  /** The owner's free slots of `durationMinutes` starting within the range, by start. */
  freeSlots(owner: Owner, range: { from: Date; to: Date }, durationMinutes: number): Promise<FreeSlot[]>;
  /**
   * Creates the booking's event, atomically with the check that the slot is free.
   * @throws AgendaError `slot_taken` when the slot was taken meanwhile.
   */
  book(owner: Owner, input: BookingEventInput): Promise<{ eventId: string; joinUrl: string | null }>;
  /**
   * Moves the booking's event to another slot, atomically with the check that it is free.
   * @throws AgendaError `slot_taken` when the slot was taken meanwhile.
   */
  move(owner: Owner, eventId: string, slot: FreeSlot): Promise<void>;
  /** Deletes the booking's event; its copies in synced calendars go with it. */
  cancel(owner: Owner, eventId: string): Promise<void>;
}
