export type { Agenda } from "./createAgenda";
export { createAgenda } from "./createAgenda";
export { AgendaError } from "./errors";
export { createOpenApiDocument } from "./openapi";
export type { AgendaHooks, AgendaOptions, AgendaSession, ClientDirectory } from "./options";
