import { z } from "zod";
import {
  availabilityQuerySchema,
  availabilitySchema,
  availabilitySettingsSchema,
  bookingSchema,
  createBookingInputSchema,
} from "./availability";
import {
  bookingConfirmationSchema,
  bookingSlotListSchema,
  bookingSlotsQuerySchema,
  bookingTypeListSchema,
  bookingTypeSchema,
  bookThroughLinkInputSchema,
  createBookingTypeInputSchema,
  guestBookingAnswerSchema,
  linkTokenParams,
  publicBookingTypeSchema,
  rescheduleBookingInputSchema,
  updateBookingTypeInputSchema,
} from "./bookingPage";
import { clientListSchema, clientSearchQuerySchema } from "./client";
import {
  connectionListSchema,
  connectionSchema,
  oauthCallbackQuerySchema,
  oauthStartQuerySchema,
  providerCalendarListSchema,
  providerSchema,
  updateConnectionInputSchema,
} from "./connection";
import {
  createEventInputSchema,
  deleteEventQuerySchema,
  eventIdSchema,
  eventListSchema,
  eventSchema,
  listEventsQuerySchema,
  setEventClientInputSchema,
  updateEventInputSchema,
} from "./event";
import { healthSchema } from "./health";
import { icsFeedSchema, icsFeedStatusSchema, icsTokenParamsSchema } from "./ics";
import { reminderAnswerSchema, reminderLinkParamsSchema } from "./reminder";
import { bookingRoutes, type HttpMethod, routes } from "./routes";
import { eventSummarySchema } from "./summary";

export interface ResponseDefinition {
  description: string;
  /** JSON body schema; absent for empty, redirect or streaming responses. */
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** Express-style path relative to the router's mount point, e.g. `/events/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Routes answered without the host's session (webhooks verify their own signatures). */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Webhook routes read the raw bytes, verify them, then parse. */
  rawBody?: { contentType: string; description: string };
  /**
   * Routes proved by a signed token in their path (a client's reminder link): no session is asked,
   * and a POST may be a plain form, since the token and not a cookie is the credential.
   */
  tokenInPath?: true;
  responses: Record<number, ResponseDefinition>;
}

const idParams = z.object({ id: z.uuid({ message: "must be a UUID" }) });
const eventIdParams = z.object({ id: eventIdSchema });
const providerParams = z.object({ provider: providerSchema });
const noContent = { description: "Done; no body" } satisfies ResponseDefinition;
const accepted = { description: "Received; processed in the background" } satisfies ResponseDefinition;

/**
 * Every route of the agenda router. The server validates with these very schemas, the UI's client is
 * typed by them, and `/openapi.json` is generated from them.
 */
export const contract = {
  health: {
    ...routes.health,
    summary: "Database, job queue and AI service status",
    tag: "system",
    public: true,
    responses: {
      200: { description: "Database and queue reachable", schema: healthSchema },
      503: { description: "Database or queue unreachable", schema: healthSchema },
    },
  },
  openapi: {
    ...routes.openapi,
    summary: "This contract as an OpenAPI 3.1 document",
    tag: "system",
    public: true,
    responses: { 200: { description: "OpenAPI document", schema: z.record(z.string(), z.unknown()) } },
  },
  listEvents: {
    ...routes.listEvents,
    summary: "The signed-in user's agenda between two instants (CRM, Google, Outlook and calls)",
    tag: "events",
    query: listEventsQuerySchema,
    responses: { 200: { description: "Events overlapping the range, by start", schema: eventListSchema } },
  },
  createEvent: {
    ...routes.createEvent,
    summary: "Create an event in the CRM agenda",
    tag: "events",
    body: createEventInputSchema,
    responses: { 201: { description: "Created", schema: eventSchema } },
  },
  getEvent: {
    ...routes.getEvent,
    summary: "One event, or one occurrence of a series",
    tag: "events",
    params: eventIdParams,
    responses: { 200: { description: "The event", schema: eventSchema } },
  },
  updateEvent: {
    ...routes.updateEvent,
    summary: "Change some fields of an event, or of a series from one of its occurrences (see scope)",
    tag: "events",
    params: eventIdParams,
    body: updateEventInputSchema,
    responses: { 200: { description: "The updated event", schema: eventSchema } },
  },
  deleteEvent: {
    ...routes.deleteEvent,
    summary: "Delete an event, or occurrences of a series (see scope)",
    tag: "events",
    params: eventIdParams,
    query: deleteEventQuerySchema,
    responses: { 204: noContent },
  },
  setEventClient: {
    ...routes.setEventClient,
    summary: "Correct the CRM client matched to an event by hand",
    tag: "events",
    params: idParams,
    body: setEventClientInputSchema,
    responses: { 200: { description: "The event with its new client match", schema: eventSchema } },
  },
  getEventSummary: {
    ...routes.getEventSummary,
    summary: "The call summary: executive summary, key points, decisions, action items and status",
    tag: "summaries",
    params: idParams,
    responses: { 200: { description: "The summary and its status", schema: eventSummarySchema } },
  },
  streamEventSummary: {
    ...routes.streamEventSummary,
    summary: "Server-sent events while a summary is being written (progress, then tokens, then the summary)",
    tag: "summaries",
    params: idParams,
    responses: { 200: { description: "An SSE stream", contentType: "text/event-stream" } },
  },
  regenerateEventSummary: {
    ...routes.regenerateEventSummary,
    summary: "Write the call summary again",
    tag: "summaries",
    params: idParams,
    responses: { 202: { description: "Queued", schema: eventSummarySchema } },
  },
  searchClients: {
    ...routes.searchClients,
    summary: "Search the host's CRM clients, for the client picker",
    tag: "clients",
    query: clientSearchQuerySchema,
    responses: { 200: { description: "Matching clients", schema: clientListSchema } },
  },
  listConnections: {
    ...routes.listConnections,
    summary: "The signed-in user's Zoom, Google and Microsoft connections",
    tag: "connections",
    responses: { 200: { description: "Connections", schema: connectionListSchema } },
  },
  listConnectionCalendars: {
    ...routes.listConnectionCalendars,
    summary: "The calendars of a connected Google or Microsoft account, the synced one selected",
    tag: "connections",
    params: idParams,
    responses: { 200: { description: "The account's calendars", schema: providerCalendarListSchema } },
  },
  updateConnection: {
    ...routes.updateConnection,
    summary: "Choose the calendar a connection syncs and whether the agenda's events are written to it",
    tag: "connections",
    params: idParams,
    body: updateConnectionInputSchema,
    responses: { 200: { description: "The connection with its new settings", schema: connectionSchema } },
  },
  deleteConnection: {
    ...routes.deleteConnection,
    summary: "Disconnect an account: revoke at the provider, stop push channels, delete the tokens",
    tag: "connections",
    params: idParams,
    responses: { 204: noContent },
  },
  startOAuth: {
    ...routes.startOAuth,
    summary: "Redirect to the provider's consent page",
    tag: "connections",
    params: providerParams,
    query: oauthStartQuerySchema,
    responses: { 302: { description: "Redirect to the provider" } },
  },
  oauthCallback: {
    ...routes.oauthCallback,
    summary: "The provider's redirect back; stores the connection and returns to the host page",
    tag: "connections",
    public: true,
    params: providerParams,
    query: oauthCallbackQuerySchema,
    responses: { 302: { description: "Redirect to the host page with a success or error flag" } },
  },
  zoomWebhook: {
    ...routes.zoomWebhook,
    summary: "Zoom webhooks (URL validation, recording transcripts, deauthorization)",
    tag: "webhooks",
    public: true,
    rawBody: { contentType: "application/json", description: "Signed with x-zm-signature" },
    responses: { 200: accepted, 204: accepted },
  },
  googleEventsWebhook: {
    ...routes.googleEventsWebhook,
    summary: "Google Workspace Events delivered by Pub/Sub push (Meet transcripts)",
    tag: "webhooks",
    public: true,
    rawBody: { contentType: "application/json", description: "Pub/Sub push with an OIDC bearer token" },
    responses: { 204: accepted },
  },
  googleCalendarWebhook: {
    ...routes.googleCalendarWebhook,
    summary: "Google Calendar push notifications (events.watch channels)",
    tag: "webhooks",
    public: true,
    rawBody: { contentType: "application/octet-stream", description: "Headers carry the channel" },
    responses: { 200: accepted },
  },
  microsoftWebhook: {
    ...routes.microsoftWebhook,
    summary: "Microsoft Graph change and lifecycle notifications, and the validation handshake",
    tag: "webhooks",
    public: true,
    rawBody: { contentType: "application/json", description: "Checked by clientState" },
    responses: {
      200: { description: "Validation token echoed as text/plain", contentType: "text/plain" },
      202: accepted,
    },
  },
  // Availability and booking
  getAvailabilitySettings: {
    ...routes.getAvailabilitySettings,
    summary: "The signed-in user's availability settings (defaults until saved)",
    tag: "availability",
    responses: { 200: { description: "The settings", schema: availabilitySettingsSchema } },
  },
  putAvailabilitySettings: {
    ...routes.putAvailabilitySettings,
    summary: "Save the signed-in user's working hours, time zone, buffers, notice and daily cap",
    tag: "availability",
    body: availabilitySettingsSchema,
    responses: { 200: { description: "The saved settings", schema: availabilitySettingsSchema } },
  },
  getAvailability: {
    ...routes.getAvailability,
    summary: "Free slots of the signed-in user (or a colleague the host lets them book for)",
    tag: "availability",
    query: availabilityQuerySchema,
    responses: { 200: { description: "Free slots, by start", schema: availabilitySchema } },
  },
  createBooking: {
    ...routes.createBooking,
    summary: "Book a slot: the event is made only if the time is still free (409 slot_taken otherwise)",
    tag: "availability",
    body: createBookingInputSchema,
    responses: { 201: { description: "Booked", schema: bookingSchema } },
  },
  // Live agenda: the signed-in user's event changes as server-sent events.
  streamEventChanges: {
    ...routes.streamEventChanges,
    summary:
      "Server-sent events telling an open agenda which of the user's events changed (`change`), or that it should read everything again (`reset`); resumes after `Last-Event-ID`",
    tag: "events",
    responses: { 200: { description: "An SSE stream", contentType: "text/event-stream" } },
  },
  // ICS: one event as a file, and each user's secret read-only feed.
  getEventIcs: {
    ...routes.getEventIcs,
    summary: "One event as an .ics file (Content-Disposition: attachment)",
    tag: "ics",
    params: idParams,
    responses: { 200: { description: "iCalendar text", contentType: "text/calendar" } },
  },
  getIcsFeedStatus: {
    ...routes.getIcsFeedStatus,
    summary: "Whether the signed-in user has an ICS feed, and since when (its URL is shown only once)",
    tag: "ics",
    responses: { 200: { description: "The feed's state", schema: icsFeedStatusSchema } },
  },
  createIcsFeed: {
    ...routes.createIcsFeed,
    summary: "Make a new secret feed URL for the signed-in user's agenda; the previous one stops working",
    tag: "ics",
    responses: { 201: { description: "The new feed URL, shown this once", schema: icsFeedSchema } },
  },
  deleteIcsFeed: {
    ...routes.deleteIcsFeed,
    summary: "Revoke the signed-in user's feed URL",
    tag: "ics",
    responses: { 204: noContent },
  },
  icsFeed: {
    ...routes.icsFeed,
    summary:
      "The read-only iCalendar feed behind a secret URL, for Google Calendar, Apple Calendar and Outlook (60 days back, a year ahead)",
    tag: "ics",
    public: true,
    params: icsTokenParamsSchema,
    responses: {
      200: { description: "iCalendar text", contentType: "text/calendar" },
      304: { description: "Unchanged since the ETag given in If-None-Match" },
    },
  },
  // Reminders: the client's signed confirm and cancel links.
  showReminderLink: {
    ...routes.showReminderLink,
    summary:
      "What a reminder link would do, changing nothing (mail scanners open links): a page with a button for browsers, JSON otherwise",
    tag: "reminders",
    public: true,
    tokenInPath: true,
    params: reminderLinkParamsSchema,
    responses: {
      200: {
        description: "The appointment and the answer so far (or an HTML page)",
        schema: reminderAnswerSchema,
      },
    },
  },
  answerReminder: {
    ...routes.answerReminder,
    summary: "The client confirms or cancels the appointment (a form post from the link's page, or any POST)",
    tag: "reminders",
    public: true,
    tokenInPath: true,
    params: reminderLinkParamsSchema,
    responses: {
      200: { description: "The answer recorded (or an HTML page)", schema: reminderAnswerSchema },
    },
  },
  // Booking page: the owner's booking types, and the public routes of their links and of guests' bookings.
  listBookingTypes: {
    ...bookingRoutes.listBookingTypes,
    summary: "The signed-in user's booking types, each with its public link token",
    tag: "booking",
    responses: { 200: { description: "Booking types", schema: bookingTypeListSchema } },
  },
  createBookingType: {
    ...bookingRoutes.createBookingType,
    summary: "Offer a kind of appointment through a new public booking link",
    tag: "booking",
    body: createBookingTypeInputSchema,
    responses: { 201: { description: "Created, with its link token", schema: bookingTypeSchema } },
  },
  updateBookingType: {
    ...bookingRoutes.updateBookingType,
    summary: "Change some fields of a booking type (its link stays)",
    tag: "booking",
    params: idParams,
    body: updateBookingTypeInputSchema,
    responses: { 200: { description: "The updated booking type", schema: bookingTypeSchema } },
  },
  deleteBookingType: {
    ...bookingRoutes.deleteBookingType,
    summary: "Delete a booking type; its link stops working, its bookings stay in the agenda",
    tag: "booking",
    params: idParams,
    responses: { 204: noContent },
  },
  renewBookingLink: {
    ...bookingRoutes.renewBookingLink,
    summary: "Replace a booking type's link token: the old link stops working at once",
    tag: "booking",
    params: idParams,
    responses: { 200: { description: "The booking type with its new token", schema: bookingTypeSchema } },
  },
  getPublicBookingType: {
    ...bookingRoutes.getPublicBookingType,
    summary: "A booking link's public page: title, duration, questions; nothing of its owner",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    responses: { 200: { description: "The booking type", schema: publicBookingTypeSchema } },
  },
  listPublicBookingSlots: {
    ...bookingRoutes.listPublicBookingSlots,
    summary: "Free slots of a booking link between two instants (rate-limited)",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    query: bookingSlotsQuerySchema,
    responses: { 200: { description: "Free slots, by start", schema: bookingSlotListSchema } },
  },
  bookThroughLink: {
    ...bookingRoutes.bookThroughLink,
    summary: "Book a free slot through a link; answers the guest's signed link and an .ics (rate-limited)",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    body: bookThroughLinkInputSchema,
    responses: { 201: { description: "Booked", schema: bookingConfirmationSchema } },
  },
  getGuestBooking: {
    ...bookingRoutes.getGuestBooking,
    summary: "A guest's booking, read through their signed link",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    responses: { 200: { description: "The booking", schema: guestBookingAnswerSchema } },
  },
  listGuestBookingSlots: {
    ...bookingRoutes.listGuestBookingSlots,
    summary: "Free slots to move a booking to, through the guest's signed link (rate-limited)",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    query: bookingSlotsQuerySchema,
    responses: { 200: { description: "Free slots, by start", schema: bookingSlotListSchema } },
  },
  cancelGuestBooking: {
    ...bookingRoutes.cancelGuestBooking,
    summary: "Cancel a booking through the guest's signed link: its event leaves the agenda",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    responses: { 200: { description: "The cancelled booking", schema: guestBookingAnswerSchema } },
  },
  rescheduleGuestBooking: {
    ...bookingRoutes.rescheduleGuestBooking,
    summary: "Move a booking to another free slot through the guest's signed link",
    tag: "booking",
    public: true,
    params: linkTokenParams,
    body: rescheduleBookingInputSchema,
    responses: {
      200: { description: "The moved booking and its new .ics", schema: guestBookingAnswerSchema },
    },
  },
} as const satisfies Record<keyof typeof routes | keyof typeof bookingRoutes, RouteDefinition>;

export type Contract = typeof contract;
export type RouteName = keyof Contract;

type SchemaInput<T> = T extends z.ZodType ? z.input<T> : undefined;
type SchemaOutput<T> = T extends z.ZodType ? z.output<T> : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;

/** Path parameters a route takes, as the caller writes them. */
export type RouteParams<N extends RouteName> = SchemaInput<
  Contract[N] extends { params: infer P } ? P : undefined
>;
/** Query a route takes, as the caller writes it. */
export type RouteQuery<N extends RouteName> = SchemaInput<
  Contract[N] extends { query: infer Q } ? Q : undefined
>;
/** JSON body a route takes, as the caller writes it. */
export type RouteBody<N extends RouteName> = SchemaInput<
  Contract[N] extends { body: infer B } ? B : undefined
>;
/** What a route answers on success. */
export type RouteOutput<N extends RouteName> = {
  [S in keyof Contract[N]["responses"] & SuccessStatus]: Contract[N]["responses"][S] extends {
    schema: infer O;
  }
    ? SchemaOutput<O>
    : undefined;
}[keyof Contract[N]["responses"] & SuccessStatus];
