import type { CalendarEvent } from "@crm-agenda/shared";

/** A complete event from the few fields a story or test cares about. */
export function makeEvent(
  fields: Pick<CalendarEvent, "id" | "title" | "start" | "end"> & Partial<CalendarEvent>,
): CalendarEvent {
  return {
    description: null,
    allDay: false,
    timeZone: "Europe/Paris",
    location: null,
    conference: null,
    attendees: [],
    source: "crm",
    clientMatch: { clientId: null, clientName: null, method: "none" },
    summaryStatus: "none",
    createdAt: "2026-11-01T09:00:00.000Z",
    updatedAt: "2026-11-01T09:00:00.000Z",
    ...fields,
  };
}
