import type { SummaryStatus, SummaryStreamMessage } from "@crm-agenda/shared";
import type { AgendaClient } from "../client/createAgendaClient";
import { isSummaryStreamMessage } from "./answerShapes";
import { readServerSentEvents } from "./readServerSentEvents";

/** Statuses after which the server sends nothing more and closes the stream. */
export const finalSummaryStatuses: ReadonlySet<SummaryStatus> = new Set(["none", "ready", "failed"]);

/** How a stream ended: `final` once a summary that is ready, failed or none came, else `dropped`. */
export type SummaryStreamEnd = "final" | "dropped";

/**
 * Opens `GET /events/:id/summary/stream` with the client's fetch (so the host's fetch and cookies
 * apply, which `EventSource` would not allow), reads its body as it arrives, and hands every well-formed
 * message to `onMessage`. Resolves when the stream ends; a network failure mid-stream is a `dropped`
 * end, not an error, so the caller can reconnect. As `EventSource` does, it sends `Last-Event-ID` when
 * given one, and reports each event's `id:` and the server's `retry:` (the reconnection delay it asks
 * for) so the caller can reconnect where it left off, when it is asked to.
 * @throws {AgendaRequestError} when the stream cannot be opened (non-2xx, network, not an event stream).
 */
export async function readSummaryStream(
  client: AgendaClient,
  eventId: string,
  options: {
    signal: AbortSignal;
    onMessage: (message: SummaryStreamMessage) => void;
    /** The `id:` of the last event heard on an earlier connection. */
    lastEventId?: string | undefined;
    /** Called with each event's `id:` (`""` when the server cleared it). */
    onEventId?: (id: string) => void;
    /** Called with the server's `retry:`, in milliseconds. */
    onRetry?: (milliseconds: number) => void;
  },
): Promise<SummaryStreamEnd> {
  const response = await client.open("streamEventSummary", {
    params: { id: eventId },
    signal: options.signal,
    ...(options.lastEventId ? { headers: { "last-event-id": options.lastEventId } } : {}),
  });
  let final = false;
  await readServerSentEvents(response, `the summary stream of event ${eventId}`, {
    signal: options.signal,
    onRetry: options.onRetry,
    onEvent: (event) => {
      if (event.id !== undefined) options.onEventId?.(event.id);
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return undefined;
      }
      // The event's name is the message's type; trust the name when the data leaves it out.
      const message =
        typeof data === "object" && data !== null ? { type: event.event ?? "message", ...data } : data;
      if (!isSummaryStreamMessage(message)) return undefined;
      if (message.type === "summary" && finalSummaryStatuses.has(message.summary.status)) final = true;
      options.onMessage(message);
      return final ? "stop" : undefined;
    },
  });
  return final ? "final" : "dropped";
}
