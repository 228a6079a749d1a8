import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

/** The appointment as the guest adds it to their own calendar. */
export interface BookingIcsInput {
  /** Stable across reschedules, so a calendar updates the entry rather than adding a second. */
  uid: string;
  title: string;
  description: string | null;
  start: Date;
  end: Date;
  joinUrl: string | null;
  /** Raised at each reschedule or cancellation, as RFC 5545 asks of a changed event. */
  sequence: number;
  cancelled: boolean;
  /** The product making the file, e.g. the host's name. */
  productName?: string;
}

/**
 * An iCalendar file for one booking (RFC 5545), written by ical-generator, its times in UTC so every
 * calendar shows them in its own zone without a VTIMEZONE. The owner's e-mail is not in it: the file reaches whoever booked, and the owner's address is not theirs to learn.
 */
export function createBookingIcs(input: BookingIcsInput): string {
  const calendar = ical({
    prodId: { company: "crm-agenda", product: input.productName ?? "booking", language: "EN" },
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: input.uid,
    start: input.start,
    end: input.end,
    summary: input.title,
    description: input.description ?? null,
    location: input.joinUrl,
    url: input.joinUrl,
    sequence: input.sequence,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
