import { expect } from "vitest";

/** One server-sent event of a summary stream, its data parsed. */
export interface StreamEvent {
  event: string;
  data: { summary?: { status: string }; token?: string };
}

/**
 * Opens `GET /events/:id/summary/stream` as `user` and reads it as it comes: `events` grows with each
 * SSE event, `reading` resolves when the server ends the stream.
 */
export function followSummaryStream(baseUrl: string, eventId: string, user = "alice") {
  const events: StreamEvent[] = [];
  let ended = false;
  const reading = (async () => {
    const response = await fetch(`${baseUrl}/events/${eventId}/summary/stream`, {
      headers: { "x-test-user": user },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
    ended = true;
  })();
  return { events, reading, ended: () => ended };
}
