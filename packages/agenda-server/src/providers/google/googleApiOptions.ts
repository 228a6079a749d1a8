import { OAuth2Client } from "google-auth-library";

/**
 * The options every Google generated client (`@googleapis/calendar`, `@googleapis/meet`,
 * `@googleapis/workspaceevents`) is made with: `rootUrl` at the configured Google base URL (the
 * sandbox in tests and the demo), the user's access token from our connections (refreshed and sealed
 * by us, so the client never refreshes it), Node's own fetch, and no retries of the client's own:
 * a 429 or 5xx goes back to our job queue, which honours Retry-After and backs off.
 */
export function googleApiOptions(rootUrl: string, accessToken: string, timeoutMs = 30_000) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: accessToken });
  return {
    rootUrl: `${rootUrl.replace(/\/+$/, "")}/`,
    auth,
    retry: false,
    timeout: timeoutMs,
    fetchImplementation: fetch,
  };
}

/** Google's error body (https://cloud.google.com/apis/design/errors#http_mapping). */
export interface GoogleErrorBody {
  error?: {
    code?: number | string;
    message?: string;
    status?: string;
    errors?: { reason?: string }[];
  };
}

/** What Google answered when a generated client's call failed; null when no answer came at all. */
export interface GoogleFailure {
  status: number;
  body: GoogleErrorBody;
  /** The answer's Retry-After in seconds, when it gave one. */
  retryAfterSeconds: number | null;
}

/** The answer behind a generated client's failure, or null for a network failure or timeout. */
export function googleFailure(error: unknown): GoogleFailure | null {
  // A GaxiosError, the generated clients' error, carries the answer it failed on.
  const response = (error as { response?: { status?: unknown; data?: unknown; headers?: Headers } } | null)
    ?.response;
  if (typeof response?.status !== "number") return null;
  const { status, data, headers } = response;
  const retryAfter = Number(headers?.get("retry-after"));
  return {
    status,
    body: typeof data === "object" && data !== null ? (data as GoogleErrorBody) : {},
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  };
}
