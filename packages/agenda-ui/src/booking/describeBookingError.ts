import { isAgendaRequestError } from "../client/AgendaRequestError";
import type { BookingMessages } from "./bookingMessages";

/**
 * The words for a failed booking request; `notFound` names which link did not work, and a 409 means
 * the slot was taken only where slots are picked.
 */
export function describeBookingError(
  error: unknown,
  messages: BookingMessages,
  notFound: "linkNotFound" | "bookingNotFound",
  conflict: "slotTaken" | "failed" = "slotTaken",
): string {
  if (!isAgendaRequestError(error)) return messages.failed;
  if (error.code === "not_found") return messages[notFound];
  if (error.code === "rate_limited") return messages.rateLimited;
  if (error.code === "conflict" || error.code === "slot_taken") return messages[conflict];
  return messages.failed;
}

/** A data URL downloading the .ics text, so no second request is needed. */
export function icsHref(ics: string): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`;
}

/** The browser's time zone, or UTC where it cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** The name the .ics is saved under. */
export function icsFileName(locale: "fr" | "en"): string {
  return locale === "en" ? "appointment.ics" : "rendez-vous.ics";
}
