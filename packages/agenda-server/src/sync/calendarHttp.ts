import { ProviderUnavailableError } from "../calls/fetchProviderFile";
import {
  ExternalEventGoneError,
  ProviderRefusedError,
  SyncConflictError,
  SyncCursorExpiredError,
} from "./CalendarProvider";

export interface CalendarRequest {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  accessToken: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** What a 410 means on this request: a forgotten cursor, or an event already deleted. */
  goneMeans?: "cursor" | "event";
}

/** The longest wait a provider's Retry-After is honoured in place; longer ones go back to the job queue. */
export const maxInPlaceRetryMs = 30_000;

/**
 * One JSON request to a calendar API, its failures sorted into what the sync does next: retry later
 * (network, 429, 5xx, Google's rate-limit 403s), a full resync (410 on a cursor), a conflict (412),
 * a copy gone (404, 410), or a refusal that retrying will not fix.
 */
export async function calendarRequest<T>(label: string, request: CalendarRequest): Promise<T> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers: {
        authorization: `Bearer ${request.accessToken}`,
        accept: "application/json",
        ...(request.body !== undefined && { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ProviderUnavailableError(`${label} could not be reached`, { cause: error });
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const body = (await response.json().catch(() => ({}))) as {
    error?: { message?: string; code?: string | number; errors?: { reason?: string }[] };
  };
  const reason = body.error?.errors?.[0]?.reason ?? String(body.error?.code ?? "");
  const message = `${label} answered ${response.status}${reason ? ` ${reason}` : ""}: ${body.error?.message ?? response.statusText}`;
  if (response.status === 410 && request.goneMeans === "cursor") throw new SyncCursorExpiredError(message);
  if (response.status === 404 || response.status === 410) throw new ExternalEventGoneError(message);
  if (response.status === 412) throw new SyncConflictError(message);
  const rateLimited =
    response.status === 429 ||
    (response.status === 403 && /rateLimitExceeded|userRateLimitExceeded/.test(reason));
  if (rateLimited || response.status >= 500 || response.status === 401) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new ProviderUnavailableError(message, {
      status: response.status,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 && { cause: { retryAfterSeconds: retryAfter } }),
    });
  }
  throw new ProviderRefusedError(message, response.status);
}

/** A provider's Retry-After, in seconds, when the error carries one. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ProviderUnavailableError) || error.status !== 429) return null;
  const cause = error.cause as { retryAfterSeconds?: number } | undefined;
  return cause?.retryAfterSeconds ?? null;
}

/** An instant of local midnight starting `date` (YYYY-MM-DD) in a time zone. */
export function zonedMidnight(date: string, timeZone: string): Date {
  return zonedTime(`${date}T00:00:00`, timeZone);
}

/** The instant a wall-clock time (YYYY-MM-DDTHH:MM:SS[.sss], no zone) shows in a time zone. */
export function zonedTime(local: string, timeZone: string): Date {
  const utc = Date.parse(`${local}Z`);
  // The zone's offset at that moment, found by formatting, applied twice for days the offset changes.
  let guess = utc;
  for (let step = 0; step < 2; step++) guess = utc - offsetMs(guess, timeZone);
  return new Date(guess);
}

/** The wall-clock time (YYYY-MM-DDTHH:MM:SS) of an instant in a time zone. */
export function zonedWallClock(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + offsetMs(instant.getTime(), timeZone)).toISOString().slice(0, 19);
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function zonedDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
  return parts;
}

function offsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return local - Math.floor(at / 1000) * 1000;
}
