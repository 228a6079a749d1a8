export type { ConnectionService } from "./connections/connectionService";
export { parseEncryptionKeys } from "./connections/tokenCipher";
export type { Agenda } from "./createAgenda";
export { createAgenda } from "./createAgenda";
export { AgendaError } from "./errors";
export { createOpenApiDocument } from "./openapi";
export type {
  AgendaHooks,
  AgendaOptions,
  AgendaSession,
  BookingPageOptions,
  ClientDirectory,
  EncryptionKey,
  GoogleProviderOptions,
  MicrosoftProviderOptions,
  ProvidersOptions,
  SummaryStreamOptions,
  ZoomProviderOptions,
} from "./options";
