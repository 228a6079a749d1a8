import type { ErrorCode, ValidationIssue } from "@crm-agenda/shared";
import { isValidationIssueList } from "../_internal/answerShapes";

/**
 * Why a request failed: the server's own error codes, plus two the client raises itself.
 * - `network_error`: the server could not be reached (offline, DNS, CORS, aborted).
 * - `invalid_response`: the server answered something that is not the agenda's JSON, which usually
 *   means the router is not mounted at the `baseUrl` the provider was given.
 */
export type AgendaRequestErrorCode = ErrorCode | "network_error" | "invalid_response";

/** Fields of an {@link AgendaRequestError}. */
export interface AgendaRequestErrorOptions {
  /** HTTP status, or 0 when no answer arrived. */
  status: number;
  /** The server's error code, or `network_error` / `invalid_response`. */
  code: AgendaRequestErrorCode;
  /** What went wrong, for developers (the UI shows its own words, from the code). */
  message: string;
  /** The server's `details`; an array of `{ path, message }` when `code` is `validation_failed`. */
  details?: unknown;
  /** The underlying failure, e.g. fetch's TypeError. */
  cause?: unknown;
}

/**
 * Thrown by the agenda client for every failed request, whatever went wrong, so callers handle one
 * shape. Built from the router's error body `{ error: { code, message, details? } }`.
 */
export class AgendaRequestError extends Error {
  override readonly name = "AgendaRequestError";
  /** HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** The server's error code, or `network_error` / `invalid_response`. */
  readonly code: AgendaRequestErrorCode;
  /** The server's `details`, as received. */
  readonly details: unknown;

  constructor(options: AgendaRequestErrorOptions) {
    super(options.message, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
  }

  /**
   * The fields the server refused, each with its dotted path (e.g. `attendees.0.email`) and message.
   * Empty unless the server answered `validation_failed` with well-formed details.
   */
  get validationIssues(): ValidationIssue[] {
    return isValidationIssueList(this.details) ? this.details : [];
  }
}

/** True when `value` is an {@link AgendaRequestError}, also across bundle copies of this package. */
export function isAgendaRequestError(value: unknown): value is AgendaRequestError {
  return (
    value instanceof AgendaRequestError || (value instanceof Error && value.name === "AgendaRequestError")
  );
}
