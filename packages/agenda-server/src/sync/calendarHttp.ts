import { answerJson, ProviderUnavailableError, providerFetch } from "../providers/providerFetch";
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
  const answer = await providerFetch(label, { ...request, timeoutMs: 30_000 });
  if (answer.status >= 200 && answer.status < 300) {
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  }
  const retryAfter = Number(answer.headers.get("retry-after"));
  throw calendarFailure(label, {
    status: answer.status,
    statusText: answer.statusText,
    body: answerJson<CalendarErrorBody>(answer, {}),
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    goneMeans: request.goneMeans,
  });
}

/** A calendar API's error body (Google's and Graph's share this shape). */
export interface CalendarErrorBody {
  error?: { message?: string; code?: string | number; errors?: { reason?: string }[] };
}

/**
 * A calendar API's refusal as the error the sync acts on: retry later (429, 5xx, 401, Google's
 * rate-limit 403s), a full resync (410 on a cursor), a conflict (412), a copy gone (404, 410), or a
 * refusal that retrying will not fix.
 */
export function calendarFailure(
  label: string,
  answer: {
    status: number;
    statusText?: string;
    body: CalendarErrorBody;
    retryAfterSeconds: number | null;
    goneMeans?: "cursor" | "event" | undefined;
  },
): Error {
  const { status, body } = answer;
  const reason = body.error?.errors?.[0]?.reason ?? String(body.error?.code ?? "");
  const message = `${label} answered ${status}${reason ? ` ${reason}` : ""}: ${body.error?.message ?? answer.statusText ?? ""}`;
  if (status === 410 && answer.goneMeans === "cursor") return new SyncCursorExpiredError(message);
  if (status === 404 || status === 410) return new ExternalEventGoneError(message);
  if (status === 412) return new SyncConflictError(message);
  const rateLimited =
    status === 429 || (status === 403 && /rateLimitExceeded|userRateLimitExceeded/.test(reason));
  if (rateLimited || status >= 500 || status === 401) {
    return new ProviderUnavailableError(message, {
      status,
      ...(answer.retryAfterSeconds !== null && { cause: { retryAfterSeconds: answer.retryAfterSeconds } }),
    });
  }
  return new ProviderRefusedError(message, status);
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
  return formatterFor(dateFormatters, timeZone, () => ({
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  })).format(instant);
}

// Making a formatter costs far more than using one; slot searches make hundreds per request.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: () => Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(cache === dateFormatters ? "en-CA" : "en-US", options());
    // Zones are few (IANA has about 600); the bound keeps a caller passing odd names from growing it.
    if (cache.size < 1_000) cache.set(timeZone, formatter);
  }
  return formatter;
}

// A zone's offset per hour: slot searches ask hundreds of times per request about the same few hours.
const hour = 3_600_000;
const hourlyOffsets = new Map<string, number>();

/** The zone's offset at `at` in milliseconds (local minus UTC). */
function offsetMs(at: number, timeZone: string): number {
  const start = Math.floor(at / hour) * hour;
  const key = `${timeZone}|${start}`;
  const known = hourlyOffsets.get(key);
  if (known !== undefined) return known;
  const offset = formattedOffset(start, timeZone);
  // An hour whose offset is the same at both ends has it throughout: no zone changes twice in an
  // hour. An hour with a change in it (like Monrovia's 1972 switch at 00:44:30 UTC) is never cached.
  if (formattedOffset(start + hour - 1_000, timeZone) !== offset) return formattedOffset(at, timeZone);
  if (hourlyOffsets.size >= 100_000) hourlyOffsets.clear();
  hourlyOffsets.set(key, offset);
  return offset;
}

function formattedOffset(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(wallClockFormatters, timeZone, () => ({
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }))
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
