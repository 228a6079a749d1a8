import { randomUUID } from "node:crypto";
import { createParser } from "eventsource-parser";
import { AiPromptTooLongError, AiResponseError, AiUnavailableError } from "./callErrors";

export interface AiClientOptions {
  /** Where the CRM's AI service answers, e.g. `http://localhost:8000` (a path prefix is kept). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when given. */
  token?: string | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * A request fails with {@link AiUnavailableError} when no byte (keep-alives included) arrives for
   * this long, before the answer starts or in the middle of it.
   * @default 30_000
   */
  idleTimeoutMs?: number;
  /**
   * The longest request URL sent. The prompt travels in the URL (`q`), and servers and proxies refuse
   * long ones (often at 8 or 16 KB); a longer prompt is refused with {@link AiPromptTooLongError}.
   * @default 16_000
   */
  maxUrlLength?: number;
  /** @default 5_000 */
  healthTimeoutMs?: number;
  /** The clock, to read a `Retry-After` date. @default () => new Date() */
  now?: () => Date;
}

export interface GenerateOptions {
  /** Cancels the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called with each token as it arrives, for live display. */
  onToken?: ((token: string) => void) | undefined;
}

/** The CRM's AI service: `GET /ai/generate` streaming `{ token, is_final }` events, `GET /ai/health`. */
export interface AiClient {
  /** The URL limit this client keeps to. */
  readonly maxUrlLength: number;
  /**
   * The longest prompt that fits in one request, measured by {@link encodedLength}; what is left of
   * `maxUrlLength` after the base URL, the path and the session id.
   */
  readonly promptBudget: number;
  /** Whether the service answers `{ online: true }`; never throws. */
  health(options?: { signal?: AbortSignal }): Promise<boolean>;
  /**
   * Sends the prompt with a fresh `session_id` and resolves with the tokens joined, once the service
   * sent its `is_final` event. Never a partial answer: it rejects instead.
   *
   * @throws {AiPromptTooLongError} the URL would exceed `maxUrlLength` (nothing is sent)
   * @throws {AiUnavailableError} connection refused or broken, 5xx, 429, idle timeout, no final event;
   *   its `retryAfterMs` is the `Retry-After` header, or the stream's last `retry:` field when the
   *   stream broke off
   * @throws {AiResponseError} another 4xx, or an event that is not `{ token, is_final }` JSON
   */
  generate(prompt: string, options?: GenerateOptions): Promise<string>;
}

/**
 * The length a text takes in a query string (`application/x-www-form-urlencoded`, as `URLSearchParams`
 * writes it: a space is `+`, "é" is `%C3%A9`). Lengths add up: the length of a text is the sum of the
 * lengths of its pieces.
 */
export function encodedLength(text: string): number {
  return new URLSearchParams({ q: text }).toString().length - 2;
}

/**
 * A client of the CRM's AI service. The prompt and the answer are never logged nor put in an error.
 */
export function createAiClient(options: AiClientOptions): AiClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const maxUrlLength = options.maxUrlLength ?? 16_000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const overhead = `${base}/ai/generate?q=&session_id=${randomUUID()}`.length;

  return {
    maxUrlLength,
    promptBudget: maxUrlLength - overhead,

    async health(healthOptions = {}) {
      const signal = healthOptions.signal
        ? AbortSignal.any([healthOptions.signal, AbortSignal.timeout(healthTimeoutMs)])
        : AbortSignal.timeout(healthTimeoutMs);
      try {
        const response = await fetchImpl(`${base}/ai/health`, { headers, signal });
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          return false;
        }
        const body = (await response.json()) as { online?: unknown } | null;
        return body?.online === true;
      } catch {
        return false;
      }
    },

    async generate(prompt, generateOptions = {}) {
      const query = new URLSearchParams({ q: prompt, session_id: randomUUID() });
      const url = `${base}/ai/generate?${query}`;
      if (url.length > maxUrlLength) throw new AiPromptTooLongError(url.length, maxUrlLength);
      const outer = generateOptions.signal;
      outer?.throwIfAborted();

      const controller = new AbortController();
      let idle = false;
      let timer: NodeJS.Timeout | undefined;
      const rearm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          idle = true;
          controller.abort();
        }, idleTimeoutMs);
      };
      const cancel = () => controller.abort(outer?.reason);
      outer?.addEventListener("abort", cancel, { once: true });
      /** What a failed fetch or read means: cancellation, idleness, or the service gone. */
      const failure = (error: unknown, message: string): unknown => {
        if (outer?.aborted) return outer.reason;
        if (idle) return new AiUnavailableError(`the AI service sent nothing for ${idleTimeoutMs} ms`);
        return new AiUnavailableError(message, { cause: error });
      };

      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      rearm();
      try {
        let response: Response;
        try {
          response = await fetchImpl(url, {
            headers: { ...headers, accept: "text/event-stream" },
            signal: controller.signal,
          });
        } catch (error) {
          throw failure(error, "the AI service could not be reached");
        }
        const status = response.status;
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          if (status >= 500 || status === 429) {
            const retryAfterMs = readRetryAfter(response.headers.get("retry-after"), now());
            throw new AiUnavailableError(`the AI service answered HTTP ${status}`, {
              status,
              ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            });
          }
          throw new AiResponseError(`the AI service refused the request (HTTP ${status})`, { status });
        }
        const contentType = response.headers.get("content-type");
        if (!response.body || (contentType && !contentType.includes("text/event-stream"))) {
          await response.body?.cancel().catch(() => {});
          throw new AiResponseError(
            `the AI service answered ${contentType ?? "nothing"}, not an event stream`,
          );
        }

        let answer = "";
        let final = false;
        let protocolError: AiResponseError | undefined;
        // The service's `retry:` is how long it asks to be left alone before a new attempt. The answer
        // cannot be resumed (a new request is a new session), so `id:` has nothing to resume from.
        let retryMs: number | undefined;
        const parser = createParser({
          onRetry: (interval) => {
            retryMs = interval;
          },
          onEvent: (event) => {
            if (final || protocolError) return;
            const parsed = readTokenEvent(event.data);
            if (!parsed) {
              protocolError = new AiResponseError(
                "the AI service sent an event that is not { token, is_final } JSON",
              );
              return;
            }
            if (parsed.token) {
              answer += parsed.token;
              generateOptions.onToken?.(parsed.token);
            }
            final = parsed.isFinal;
          },
        });
        const broken = (message: string, cause?: unknown) =>
          new AiUnavailableError(message, {
            ...(cause === undefined ? {} : { cause }),
            ...(retryMs === undefined ? {} : { retryAfterMs: retryMs }),
          });
        const decoder = new TextDecoder("utf-8");
        reader = response.body.getReader();
        while (!final && !protocolError) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (error) {
            if (outer?.aborted || idle) throw failure(error, "the AI service's stream broke off");
            throw broken("the AI service's stream broke off", error);
          }
          if (chunk.done) {
            parser.feed(decoder.decode());
            break;
          }
          rearm();
          parser.feed(decoder.decode(chunk.value, { stream: true }));
        }
        if (protocolError) throw protocolError;
        if (!final) throw broken("the AI service's stream ended before its final event");
        return answer;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener("abort", cancel);
        // Frees the connection when the final event came before the end of the body.
        reader?.cancel().catch(() => {});
      }
    },
  };
}

function readTokenEvent(data: string): { token: string; isFinal: boolean } | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { token, is_final: isFinal } = value as { token?: unknown; is_final?: unknown };
  if (isFinal !== undefined && typeof isFinal !== "boolean") return null;
  if (token === undefined || token === null) return isFinal === true ? { token: "", isFinal } : null;
  if (typeof token !== "string") return null;
  return { token, isFinal: isFinal === true };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
function readRetryAfter(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
