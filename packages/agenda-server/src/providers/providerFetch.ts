import { type Dispatcher, fetch, type Response } from "undici";

/**
 * A provider could not be reached or asked us to come back (network, 5xx, 429): worth retrying, by
 * the job queue or in place.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = "ProviderUnavailableError";
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** A provider's answer, whatever its status: each API sorts its own refusals. */
export interface ProviderAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as text ("" when there is none). */
  text: string;
}

/** One request to a provider, as {@link providerFetch} and {@link openProviderRequest} send it. */
export interface ProviderRequest {
  url: string | URL;
  /** The user's OAuth access token, sent as a bearer token; null sends none. */
  accessToken: string | null;
  /** @default "GET" */
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | undefined;
  /** Sent as a form when it is `URLSearchParams` (an OAuth endpoint), as JSON otherwise. */
  body?: unknown;
  /** Added to (or replacing) the bearer token and `accept: application/json`. */
  headers?: Record<string, string> | undefined;
  /** How long the request (and the reading of its answer) may take, unless `signal` is given. */
  timeoutMs: number;
  /** Ends the request instead of `timeoutMs` (a caller with its own deadline). */
  signal?: AbortSignal | undefined;
  /**
   * What a redirect does: followed, handed back (`manual`, for a caller that checks each hop), or
   * taken as a failure (`error`).
   * @default "follow"
   */
  redirect?: "follow" | "manual" | "error";
  /** The connections to send it through: an agent that vets the addresses of a link a provider gave. */
  dispatcher?: Dispatcher | undefined;
  /** What the request is for, named when the provider cannot be reached ("the transcript"). */
  purpose?: string | undefined;
}

/** Why a provider could not be answered: "timed out" or "could not be reached", for `label` and `purpose`. */
function unreachable(label: string, purpose: string | undefined, error: unknown): ProviderUnavailableError {
  const timedOut = error instanceof Error && error.name === "TimeoutError";
  const reason = timedOut ? "timed out" : "could not be reached";
  return new ProviderUnavailableError(`${label} ${reason}${purpose ? ` for ${purpose}` : ""}`, {
    cause: error,
  });
}

/**
 * Sends one request to a provider and hands back its answer unread (a download streams its body).
 * Only a failure to reach the provider throws, as {@link ProviderUnavailableError} naming it
 * (`label`); its cause is the failure itself.
 */
export async function openProviderRequest(label: string, request: ProviderRequest): Promise<Response> {
  const form = request.body instanceof URLSearchParams;
  try {
    return await fetch(request.url, {
      method: request.method ?? "GET",
      headers: {
        ...(request.accessToken !== null && { authorization: `Bearer ${request.accessToken}` }),
        accept: "application/json",
        ...(request.body !== undefined && {
          "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
        }),
        ...request.headers,
      },
      ...(request.body !== undefined && { body: form ? String(request.body) : JSON.stringify(request.body) }),
      redirect: request.redirect ?? "follow",
      ...(request.dispatcher && { dispatcher: request.dispatcher }),
      signal: request.signal ?? AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw unreachable(label, request.purpose, error);
  }
}

/**
 * One request to a provider's REST API with a user's OAuth access token as a bearer token, a JSON body
 * when given, and a deadline. Only a failure to reach the provider (or to read its whole answer)
 * throws, as {@link ProviderUnavailableError} saying which provider (`label`); every answer is
 * returned for the caller to read as its API documents.
 */
export async function providerFetch(label: string, request: ProviderRequest): Promise<ProviderAnswer> {
  const response = await openProviderRequest(label, request);
  try {
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  } catch (error) {
    throw unreachable(label, request.purpose, error);
  }
}

/** Whether a provider answered with success (2xx). */
export function isSuccess(answer: { status: number }): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** Whether a provider's status asks to come back later (429, 5xx): worth retrying. */
export function isBusyStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The JSON of an answer's body, or `fallback` when it has none or it is not JSON (a proxy's error page). */
export function answerJson<T>(answer: ProviderAnswer, fallback: T): T {
  try {
    return answer.text ? (JSON.parse(answer.text) as T) : fallback;
  } catch {
    return fallback;
  }
}
