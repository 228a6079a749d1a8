import { createParser, type EventSourceMessage } from "eventsource-parser";
import { AgendaRequestError } from "../client/AgendaRequestError";

/** How a stream ended: `stopped` when `onEvent` asked to stop, else `dropped` (the server or network). */
export type StreamEnd = "stopped" | "dropped";

/**
 * Reads a `text/event-stream` response as it arrives with eventsource-parser (the parser the server
 * uses too), handing each event to `onEvent` (which returns `"stop"` to end the read) and the server's
 * `retry:` to `onRetry`. A network failure mid-stream is a `dropped` end, not an error, so the caller
 * can reconnect; an abort through `signal` rejects.
 * @throws {AgendaRequestError} `invalid_response` when the answer is not an event stream.
 */
export async function readServerSentEvents(
  response: Response,
  what: string,
  options: {
    signal: AbortSignal;
    onEvent: (event: EventSourceMessage) => "stop" | undefined;
    onRetry?: ((milliseconds: number) => void) | undefined;
  },
): Promise<StreamEnd> {
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.includes("text/event-stream") || response.body === null) {
    await response.body?.cancel().catch(() => {});
    throw new AgendaRequestError({
      status: response.status,
      code: "invalid_response",
      message: `The agenda server answered ${what} with ${contentType || "no content type"} instead of text/event-stream`,
    });
  }
  let stopped = false;
  const parser = createParser({
    onEvent: (event) => {
      if (!stopped && options.onEvent(event) === "stop") stopped = true;
    },
    ...(options.onRetry && { onRetry: options.onRetry }),
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    while (!stopped) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    return "dropped";
  } finally {
    if (stopped) void reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return stopped ? "stopped" : "dropped";
}
