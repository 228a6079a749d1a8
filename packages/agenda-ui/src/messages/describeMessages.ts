import type { Conference, EventSource, SummaryStatus } from "@crm-agenda/shared";
import { isAgendaRequestError } from "../client/AgendaRequestError";
import type { AgendaMessages } from "./AgendaMessages";

/** Fills the `{name}` marks of a message. */
export function fillMessage(message: string, values: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (mark, name: string) => values[name] ?? mark);
}

/** A failed request in plain words for the person using the agenda, whatever the cause. */
export function describeError(error: unknown, messages: AgendaMessages): string {
  if (!isAgendaRequestError(error)) return messages.errorUnknown;
  switch (error.code) {
    case "network_error":
      return messages.errorNetwork;
    case "invalid_response":
      return messages.errorInvalidResponse;
    case "bad_request":
    case "validation_failed":
    case "unprocessable":
      return messages.errorValidation;
    case "unauthorized":
      return messages.errorUnauthorized;
    case "forbidden":
    case "csrf_rejected":
      return messages.errorForbidden;
    case "not_found":
      return messages.errorNotFound;
    case "conflict":
      return messages.errorConflict;
    case "payload_too_large":
      return messages.errorTooLarge;
    case "rate_limited":
      return messages.errorRateLimited;
    case "unavailable":
      return messages.errorUnavailable;
    case "internal":
    case "raw_body_unavailable":
      return messages.errorUnknown;
    default:
      return error.code satisfies never;
  }
}

/** The state of an event's call summary in words. */
export function describeSummaryStatus(status: SummaryStatus, messages: AgendaMessages): string {
  switch (status) {
    case "none":
      return messages.summaryStatusNone;
    case "pending":
      return messages.summaryStatusPending;
    case "waiting_for_ai":
      return messages.summaryStatusWaitingForAi;
    case "in_progress":
      return messages.summaryStatusInProgress;
    case "ready":
      return messages.summaryStatusReady;
    case "failed":
      return messages.summaryStatusFailed;
    default:
      return status satisfies never;
  }
}

/** The name of a video-call service: "Réunion Zoom", "Google Meet"… */
export function describeConference(provider: Conference["provider"], messages: AgendaMessages): string {
  switch (provider) {
    case "zoom":
      return messages.conferenceZoom;
    case "meet":
      return messages.conferenceMeet;
    case "teams":
      return messages.conferenceTeams;
    case "other":
      return messages.conferenceOther;
    default:
      return provider satisfies never;
  }
}

/** Where an event comes from, as its owner calls it. */
export function describeSource(source: EventSource, messages: AgendaMessages): string {
  switch (source) {
    case "crm":
      return messages.sourceCrm;
    case "google":
      return messages.sourceGoogle;
    case "microsoft":
      return messages.sourceMicrosoft;
    case "zoom":
      return messages.sourceZoom;
    case "meet":
      return messages.sourceMeet;
    default:
      return source satisfies never;
  }
}
