import { isAgendaRequestError } from "../client/AgendaRequestError";

/** A failure that may pass (network, 5xx, 429), worth opening a stream again for. */
export function isTransientFailure(error: unknown): boolean {
  if (!isAgendaRequestError(error)) return true;
  return ["network_error", "unavailable", "rate_limited", "internal"].includes(error.code);
}

/** The server's `retry:` (else 1 s), doubling with each drop in a row, up to 30 s. */
export function defaultReconnectDelay(attempt: number, serverDelay: number | undefined): number {
  const first = serverDelay ?? 1_000;
  return Math.min(Math.max(30_000, first), first * 2 ** attempt);
}

/** Waits `milliseconds`, or less when `signal` aborts. */
export function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
