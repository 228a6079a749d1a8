import { createParser } from "eventsource-parser";
import { expect } from "vitest";

/** One server-sent event of the live agenda stream, its data parsed. */
export interface LiveEvent {
  event: string;
  id: string | undefined;
  data: { type: string; eventId?: string; before?: unknown; after?: unknown };
}

/**
 * Opens `GET /events/stream` as `user` (after `lastEventId` when given) and reads it as it comes:
 * `events` grows with each SSE event, `ended()` is true once the server ended it.
 */
export async function followEventStream(baseUrl: string, user: string, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/events/stream`, {
    headers: { "x-test-user": user, ...(lastEventId && { "last-event-id": lastEventId }) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events: LiveEvent[] = [];
  let retry: number | undefined;
  let ended = false;
  const parser = createParser({
    onEvent: (message) =>
      events.push({ event: message.event ?? "message", id: message.id, data: JSON.parse(message.data) }),
    onRetry: (milliseconds) => {
      retry = milliseconds;
    },
  });
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      const reader = response.body!.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
    } catch {
      // Aborted by the test.
    }
    ended = true;
  })();
  return {
    events,
    reading,
    ended: () => ended,
    retry: () => retry,
    /** The `id:` the stream last gave, as `EventSource` keeps it for `Last-Event-ID`. */
    lastId: () => events.findLast((event) => event.id !== undefined)?.id,
    changesOf: (eventId: string) => events.filter((event) => event.data.eventId === eventId),
    close: () => controller.abort(),
  };
}
