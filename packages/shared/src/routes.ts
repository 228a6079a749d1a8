// The Zod-free half of the contract, published on its own as `@crm-agenda/shared/routes`: what a
// browser needs to call the router (paths, methods, error codes) without carrying Zod.
export type { ErrorCode } from "./errorStatus";
export { errorCodes, errorStatus } from "./errorStatus";

/** The HTTP methods of the agenda's routes. */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * Every route's method and path, relative to where the host mounts the router. Kept apart from the
 * Zod schemas of the contract so that a browser bundle that only calls the API does not carry them.
 */
export const routes = {
  health: { method: "get", path: "/health" },
  openapi: { method: "get", path: "/openapi.json" },
  listEvents: { method: "get", path: "/events" },
  createEvent: { method: "post", path: "/events" },
  getEvent: { method: "get", path: "/events/:id" },
  updateEvent: { method: "patch", path: "/events/:id" },
  deleteEvent: { method: "delete", path: "/events/:id" },
  setEventClient: { method: "put", path: "/events/:id/client" },
  getEventSummary: { method: "get", path: "/events/:id/summary" },
  streamEventSummary: { method: "get", path: "/events/:id/summary/stream" },
  regenerateEventSummary: { method: "post", path: "/events/:id/summary/regenerate" },
  searchClients: { method: "get", path: "/clients" },
  listConnections: { method: "get", path: "/connections" },
  listConnectionCalendars: { method: "get", path: "/connections/:id/calendars" },
  updateConnection: { method: "patch", path: "/connections/:id" },
  deleteConnection: { method: "delete", path: "/connections/:id" },
  startOAuth: { method: "get", path: "/oauth/:provider/start" },
  oauthCallback: { method: "get", path: "/oauth/:provider/callback" },
  zoomWebhook: { method: "post", path: "/webhooks/zoom" },
  googleEventsWebhook: { method: "post", path: "/webhooks/google/events" },
  googleCalendarWebhook: { method: "post", path: "/webhooks/google/calendar" },
  microsoftWebhook: { method: "post", path: "/webhooks/microsoft" },
  // Availability and booking
  getAvailabilitySettings: { method: "get", path: "/availability/settings" },
  putAvailabilitySettings: { method: "put", path: "/availability/settings" },
  getAvailability: { method: "get", path: "/availability" },
  createBooking: { method: "post", path: "/bookings" },
  // Live agenda: the signed-in user's event changes as server-sent events.
  streamEventChanges: { method: "get", path: "/events/stream" },
  // ICS: one event as a file, and each user's secret read-only feed (literal /ics/feed before /ics/:token).
  getEventIcs: { method: "get", path: "/events/:id/ics" },
  getIcsFeedStatus: { method: "get", path: "/ics/feed" },
  createIcsFeed: { method: "post", path: "/ics/feed" },
  deleteIcsFeed: { method: "delete", path: "/ics/feed" },
  icsFeed: { method: "get", path: "/ics/:token" },
  // Reminders: the client's signed confirm and cancel links.
  showReminderLink: { method: "get", path: "/reminders/:token/:action" },
  answerReminder: { method: "post", path: "/reminders/:token/:action" },
} as const satisfies Record<string, { method: HttpMethod; path: string }>;

/**
 * The booking page's routes: the owner's booking types, and the public routes of their links and of
 * guests' bookings. Apart from `routes` so that the agenda's main UI entry, which never calls them,
 * does not carry them; `@crm-agenda/ui/booking` does.
 */
export const bookingRoutes = {
  listBookingTypes: { method: "get", path: "/booking-types" },
  createBookingType: { method: "post", path: "/booking-types" },
  updateBookingType: { method: "patch", path: "/booking-types/:id" },
  deleteBookingType: { method: "delete", path: "/booking-types/:id" },
  renewBookingLink: { method: "post", path: "/booking-types/:id/link" },
  getPublicBookingType: { method: "get", path: "/public/booking/:token" },
  listPublicBookingSlots: { method: "get", path: "/public/booking/:token/slots" },
  bookThroughLink: { method: "post", path: "/public/booking/:token/bookings" },
  getGuestBooking: { method: "get", path: "/public/bookings/:token" },
  listGuestBookingSlots: { method: "get", path: "/public/bookings/:token/slots" },
  cancelGuestBooking: { method: "post", path: "/public/bookings/:token/cancel" },
  rescheduleGuestBooking: { method: "post", path: "/public/bookings/:token/reschedule" },
} as const satisfies Record<string, { method: HttpMethod; path: string }>;

/** Fills `:name` segments of a route path, encoding each value. */
export function buildPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
