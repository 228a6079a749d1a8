export type { ConnectionService } from "./connections/connectionService";
export { parseEncryptionKeys } from "./connections/tokenCipher";
export type { Agenda } from "./createAgenda";
export { createAgenda } from "./createAgenda";
export { AgendaError } from "./errors";
export type { ICalendarEvent, ICalendarOptions } from "./ics/toICalendar";
export { toICalendar } from "./ics/toICalendar";
export { createOpenApiDocument } from "./openapi";
export type {
  AgendaHooks,
  AgendaOptions,
  AgendaSession,
  BookingPageOptions,
  ClientDirectory,
  EncryptionKey,
  EventStreamOptions,
  GoogleProviderOptions,
  MicrosoftProviderOptions,
  ProvidersOptions,
  Reminder,
  ReminderOptions,
  SummaryStreamOptions,
  ZoomProviderOptions,
} from "./options";
