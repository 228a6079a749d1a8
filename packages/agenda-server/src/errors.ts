import { type ErrorBody, type ErrorCode, errorStatus } from "@crm-agenda/shared";

/**
 * The one error the agenda throws on purpose. Its `code` picks the HTTP status from the shared
 * `errorStatus` table; its `message` is written for the person who can fix the request.
 */
export class AgendaError extends Error {
  override readonly name = "AgendaError";
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return errorStatus[this.code];
  }

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
