export type {
  Availability,
  AvailabilityQuery,
  AvailabilitySettings,
  Booking,
  CreateBookingInput,
  CreateBookingRequest,
  Slot,
  Weekday,
  WorkingHours,
  WorkingInterval,
} from "./availability";
export {
  availabilityQuerySchema,
  availabilitySchema,
  availabilitySettingsSchema,
  bookingConferenceSchema,
  bookingSchema,
  clockMinutes,
  createBookingInputSchema,
  defaultAvailabilitySettings,
  maxAvailabilityRangeDays,
  maxBufferMinutes,
  slotSchema,
  weekdays,
  workingHoursSchema,
  workingIntervalSchema,
} from "./availability";
export type {
  BookingConfirmation,
  BookingQuestion,
  BookingSlot,
  BookingSlotList,
  BookingSlotsQuery,
  BookingType,
  BookingTypeList,
  BookThroughLinkInput,
  CreateBookingTypeInput,
  GuestBooking,
  GuestBookingAnswer,
  PublicBookingType,
  RescheduleBookingInput,
  UpdateBookingTypeInput,
} from "./bookingPage";
export {
  bookingConfirmationSchema,
  bookingQuestionSchema,
  bookingSlotListSchema,
  bookingSlotSchema,
  bookingSlotsQuerySchema,
  bookingTypeListSchema,
  bookingTypeSchema,
  bookThroughLinkInputSchema,
  createBookingTypeInputSchema,
  guestBookingAnswerSchema,
  guestBookingSchema,
  maxBookingRangeDays,
  publicBookingTypeSchema,
  rescheduleBookingInputSchema,
  updateBookingTypeInputSchema,
} from "./bookingPage";
export type { CrmClient, CrmClientList } from "./client";
export { clientListSchema, clientSearchQuerySchema, crmClientSchema } from "./client";
export type {
  Connection,
  ConnectionList,
  Provider,
  ProviderCalendar,
  ProviderCalendarList,
  UpdateConnectionInput,
} from "./connection";
export {
  connectionListSchema,
  connectionSchema,
  connectionStatusSchema,
  oauthCallbackQuerySchema,
  oauthStartQuerySchema,
  providerCalendarListSchema,
  providerCalendarSchema,
  providerSchema,
  updateConnectionInputSchema,
} from "./connection";
export type {
  Contract,
  ResponseDefinition,
  RouteBody,
  RouteDefinition,
  RouteName,
  RouteOutput,
  RouteParams,
  RouteQuery,
} from "./contract";
export { contract } from "./contract";
export type { ErrorBody, ValidationIssue } from "./error";
export { errorBodySchema, errorCodeSchema, validationIssueSchema } from "./error";
export type { ErrorCode } from "./errorStatus";
export { errorCodes, errorStatus } from "./errorStatus";
export type {
  Attendance,
  Attendee,
  CalendarEvent,
  ClientMatch,
  Conference,
  CreateEventInput,
  DeleteEventQuery,
  EventList,
  EventSource,
  ListEventsQuery,
  SeriesScope,
  SetEventClientInput,
  SummaryStatus,
  UpdateEventInput,
} from "./event";
export {
  attendanceSchema,
  attendeeSchema,
  clientMatchSchema,
  conferenceSchema,
  createEventInputSchema,
  deleteEventQuerySchema,
  eventIdSchema,
  eventListSchema,
  eventSchema,
  eventSourceSchema,
  listEventsQuerySchema,
  maxEventRangeDays,
  occurrenceIdPattern,
  recurrenceSchema,
  responseStatusSchema,
  seriesScopeSchema,
  setEventClientInputSchema,
  summaryStatusSchema,
  updateEventInputSchema,
} from "./event";
export type { EventChange } from "./eventChange";
export { eventChangeSchema, eventSpanSchema } from "./eventChange";
export type { Health } from "./health";
export { healthSchema } from "./health";
export type { IcsFeed, IcsFeedStatus } from "./ics";
export { icsFeedSchema, icsFeedStatusSchema } from "./ics";
export type { ReminderAction, ReminderAnswer } from "./reminder";
export { reminderActionSchema, reminderAnswerSchema, reminderLinkParamsSchema } from "./reminder";
export type { HttpMethod } from "./routes";
export { bookingRoutes, buildPath, routes } from "./routes";
export type { CallSummary, EventSummary, SummaryStreamMessage } from "./summary";
export { callSummarySchema, eventSummarySchema, summaryStreamMessageSchema } from "./summary";
export { instantSchema, isTimeZone, timeZoneSchema } from "./timeZone";
