/**
 * The errors of the call-summary path. Their messages are written for the person reading the failed
 * summary in the agenda; none of them ever carries the transcript or a prompt.
 *
 * Retry or not: {@link AiUnavailableError} is worth waiting for (the job retries with backoff and shows
 * "waiting for the AI service"); every other error here ends the summary as failed, with its message.
 */

/** The transcript file or entries cannot be read as a transcript. Not retryable. */
export class TranscriptFormatError extends Error {
  override readonly name = "TranscriptFormatError";
}

/**
 * The AI service cannot answer now: connection refused or reset, a 5xx or 429 answer, no byte for
 * `idleTimeoutMs`, or a stream that ended before its `is_final` event. Retry later with backoff.
 */
export class AiUnavailableError extends Error {
  override readonly name = "AiUnavailableError";
  /** The HTTP status when the service answered one (5xx, 429). */
  readonly status: number | undefined;
  /** From a `Retry-After` header, when the service sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { cause?: unknown; status?: number; retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The AI service answered, but not in its protocol: a 4xx other than 429 (a wrong token, a refused
 * request) or an event whose data is not `{ token, is_final }` JSON. Retrying the same request will not
 * help.
 */
export class AiResponseError extends Error {
  override readonly name = "AiResponseError";
  /** The HTTP status when the service refused the request. */
  readonly status: number | undefined;

  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** The prompt would make the request URL longer than the AI client's `maxUrlLength`; nothing was sent. */
export class AiPromptTooLongError extends Error {
  override readonly name = "AiPromptTooLongError";
  readonly urlLength: number;
  readonly maxUrlLength: number;

  constructor(urlLength: number, maxUrlLength: number) {
    super(`the request URL would be ${urlLength} characters, over the limit of ${maxUrlLength}`);
    this.urlLength = urlLength;
    this.maxUrlLength = maxUrlLength;
  }
}

/** The model's answer is not a usable summary (no JSON object, or not the asked shape). */
export class ModelOutputError extends Error {
  override readonly name = "ModelOutputError";
}

/** The summary cannot be written: the model answered unusable JSON twice, or the transcript is empty. */
export class SummaryFailedError extends Error {
  override readonly name = "SummaryFailedError";
}
