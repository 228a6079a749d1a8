import type { Conference, Connection, EventSource, Provider, SummaryStatus } from "@crm-agenda/shared";
import { type AgendaRequestErrorCode, isAgendaRequestError } from "../client/AgendaRequestError";
import type { AgendaView } from "../date/getViewDays";
import type { AgendaMessages } from "./AgendaMessages";

// Each value names its words by key: a table is a third of the size of a switch in the browser bundle,
// and `satisfies` still fails the build when a code, status or source is added without its words.
type MessageKeys<Value extends string> = Readonly<Record<Value, keyof AgendaMessages>>;

/** Fills the `{name}` marks of a message. */
export function fillMessage(message: string, values: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (mark, name: string) => values[name] ?? mark);
}

const errorWords = {
  network_error: "errorNetwork",
  invalid_response: "errorInvalidResponse",
  bad_request: "errorValidation",
  validation_failed: "errorValidation",
  unprocessable: "errorValidation",
  unauthorized: "errorUnauthorized",
  forbidden: "errorForbidden",
  csrf_rejected: "errorForbidden",
  not_found: "errorNotFound",
  conflict: "errorConflict",
  payload_too_large: "errorTooLarge",
  rate_limited: "errorRateLimited",
  unavailable: "errorUnavailable",
  internal: "errorUnknown",
  raw_body_unavailable: "errorUnknown",
  slot_taken: "errorSlotTaken",
} as const satisfies MessageKeys<AgendaRequestErrorCode>;

/** A failed request in plain words for the person using the agenda, whatever the cause. */
export function describeError(error: unknown, messages: AgendaMessages): string {
  // A code from a newer server than this UI reads as unknown rather than as nothing.
  return messages[(isAgendaRequestError(error) && errorWords[error.code]) || "errorUnknown"];
}

const summaryStatusWords = {
  none: "summaryStatusNone",
  pending: "summaryStatusPending",
  waiting_for_ai: "summaryStatusWaitingForAi",
  in_progress: "summaryStatusInProgress",
  ready: "summaryStatusReady",
  failed: "summaryStatusFailed",
} as const satisfies MessageKeys<SummaryStatus>;

/** The state of an event's call summary in words. */
export function describeSummaryStatus(status: SummaryStatus, messages: AgendaMessages): string {
  return messages[summaryStatusWords[status]];
}

const conferenceWords = {
  zoom: "conferenceZoom",
  meet: "conferenceMeet",
  teams: "conferenceTeams",
  other: "conferenceOther",
} as const satisfies MessageKeys<Conference["provider"]>;

/** The name of a video-call service: "Réunion Zoom", "Google Meet"… */
export function describeConference(provider: Conference["provider"], messages: AgendaMessages): string {
  return messages[conferenceWords[provider]];
}

const sourceWords = {
  crm: "sourceCrm",
  google: "sourceGoogle",
  microsoft: "sourceMicrosoft",
  zoom: "sourceZoom",
  meet: "sourceMeet",
} as const satisfies MessageKeys<EventSource>;

/** Where an event comes from, as its owner calls it. */
export function describeSource(source: EventSource, messages: AgendaMessages): string {
  return messages[sourceWords[source]];
}

const viewWords = {
  day: "viewDay",
  "three-day": "viewThreeDays",
  week: "viewWeek",
  "work-week": "viewWorkWeek",
  month: "viewMonth",
  list: "viewList",
} as const satisfies MessageKeys<AgendaView>;

/** The name of a view on its button. */
export function describeView(view: AgendaView, messages: AgendaMessages): string {
  return messages[viewWords[view]];
}

const providerWords = {
  zoom: "providerZoom",
  google: "providerGoogle",
  microsoft: "providerMicrosoft",
} as const satisfies MessageKeys<Provider>;

/** A provider's name as people know it. */
export function describeProvider(provider: Provider, messages: AgendaMessages): string {
  return messages[providerWords[provider]];
}

const connectionStatusWords = {
  active: "connectionActive",
  needs_reauth: "connectionNeedsReauth",
  error: "connectionError",
} as const satisfies MessageKeys<Connection["status"]>;

/** A connection's state in words. */
export function describeConnectionStatus(status: Connection["status"], messages: AgendaMessages): string {
  return messages[connectionStatusWords[status]];
}
