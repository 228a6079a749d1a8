export { clientListSchema, clientSearchQuerySchema, crmClientSchema } from "./client";
export type { CrmClient, CrmClientList } from "./client";
export {
  connectionListSchema,
  connectionSchema,
  connectionStatusSchema,
  oauthCallbackQuerySchema,
  oauthStartQuerySchema,
  providerSchema,
} from "./connection";
export type { Connection, ConnectionList, Provider } from "./connection";
export { buildPath, contract } from "./contract";
export type {
  Contract,
  HttpMethod,
  ResponseDefinition,
  RouteBody,
  RouteDefinition,
  RouteName,
  RouteOutput,
  RouteParams,
  RouteQuery,
} from "./contract";
export { errorBodySchema, errorCodeSchema, errorStatus, validationIssueSchema } from "./error";
export type { ErrorBody, ErrorCode, ValidationIssue } from "./error";
export {
  attendeeSchema,
  clientMatchSchema,
  conferenceSchema,
  createEventInputSchema,
  eventListSchema,
  eventSchema,
  eventSourceSchema,
  listEventsQuerySchema,
  maxEventRangeDays,
  responseStatusSchema,
  setEventClientInputSchema,
  summaryStatusSchema,
  updateEventInputSchema,
} from "./event";
export type {
  Attendee,
  CalendarEvent,
  ClientMatch,
  Conference,
  CreateEventInput,
  EventList,
  EventSource,
  ListEventsQuery,
  SetEventClientInput,
  SummaryStatus,
  UpdateEventInput,
} from "./event";
export { healthSchema } from "./health";
export type { Health } from "./health";
export { callSummarySchema, eventSummarySchema } from "./summary";
export type { CallSummary, EventSummary } from "./summary";
export { instantSchema, isTimeZone, timeZoneSchema } from "./timeZone";
