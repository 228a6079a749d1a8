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

/**
 * One request to a provider's REST API with a user's OAuth access token as a bearer token, a JSON body
 * when given, and a deadline. Only a failure to reach the provider (or to read its whole answer)
 * throws, as {@link ProviderUnavailableError} saying which provider (`label`); every answer is
 * returned for the caller to read as its API documents.
 */
export async function providerFetch(
  label: string,
  request: {
    url: string;
    accessToken: string;
    method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | undefined;
    body?: unknown;
    headers?: Record<string, string> | undefined;
    timeoutMs: number;
  },
): Promise<ProviderAnswer> {
  try {
    const response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers: {
        authorization: `Bearer ${request.accessToken}`,
        accept: "application/json",
        ...(request.body !== undefined && { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  } catch (error) {
    throw new ProviderUnavailableError(`${label} could not be reached`, { cause: error });
  }
}

/** The JSON of an answer's body, or `fallback` when it has none or it is not JSON (a proxy's error page). */
export function answerJson<T>(answer: ProviderAnswer, fallback: T): T {
  try {
    return answer.text ? (JSON.parse(answer.text) as T) : fallback;
  } catch {
    return fallback;
  }
}
