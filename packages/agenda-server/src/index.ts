export type { SummaryStreamOptions } from "./calls/summaryRoutes";
export type { ConnectionService } from "./connections/connectionService";
export type {
  GoogleProviderOptions,
  MicrosoftProviderOptions,
  ProvidersOptions,
  ZoomProviderOptions,
} from "./connections/oauthProviders";
export type { EncryptionKey } from "./connections/tokenCipher";
export { parseEncryptionKeys } from "./connections/tokenCipher";
export type { Agenda } from "./createAgenda";
export { createAgenda } from "./createAgenda";
export { AgendaError } from "./errors";
export { createOpenApiDocument } from "./openapi";
export type { AgendaHooks, AgendaOptions, AgendaSession, ClientDirectory } from "./options";
