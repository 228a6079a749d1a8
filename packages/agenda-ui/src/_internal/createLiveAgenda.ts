import type { QueryClient } from "@tanstack/react-query";
import type { AgendaClient } from "../client/createAgendaClient";
import { isEventChange } from "./answerShapes";
import { createEventChangeBatcher } from "./createEventChangeBatcher";
import { readServerSentEvents } from "./readServerSentEvents";
import { defaultReconnectDelay, isTransientFailure, sleep } from "./reconnect";

/** One provider's live connection, open while at least one agenda holds it. */
export interface LiveAgenda {
  /** Holds the stream open until the returned function is called. */
  hold(): () => void;
}

/**
 * Follows `GET /events/stream` for one provider, whatever number of agendas it shows: opened when the
 * first agenda mounts, closed when the last goes. Each change goes to the query cache through
 * {@link createEventChangeBatcher}. When the stream drops it reconnects with `Last-Event-ID` after the
 * server's `retry:`, doubling the delay while it keeps failing; a server without the route (404) or
 * refusing the session ends it, and the cache's own refetch (focus, staleness) stays the fallback.
 */
export function createLiveAgenda(client: AgendaClient, queryClient: QueryClient): LiveAgenda {
  let holders = 0;
  let controller: AbortController | null = null;

  async function follow(signal: AbortSignal) {
    const batcher = createEventChangeBatcher(queryClient, client.baseUrl);
    let lastEventId = "";
    let serverDelay: number | undefined;
    let attempt = 0;
    let connections = 0;
    try {
      while (!signal.aborted) {
        let heard = false;
        try {
          const response = await client.open("streamEventChanges", {
            signal,
            ...(lastEventId ? { headers: { "last-event-id": lastEventId } } : {}),
          });
          connections += 1;
          await readServerSentEvents(response, "the live agenda stream", {
            signal,
            onRetry: (milliseconds) => {
              serverDelay = milliseconds;
            },
            onEvent: (event) => {
              heard = true;
              if (event.id !== undefined) lastEventId = event.id;
              if (event.event === "reset") batcher.reset();
              // A stream opened afresh after another: what happened in between is unknown.
              else if (event.event === "ready" && connections > 1) batcher.reset();
              else if (event.event === "change") {
                const change = parseJson(event.data);
                if (isEventChange(change)) batcher.change(change);
              }
              return undefined;
            },
          });
        } catch (error) {
          if (signal.aborted || !isTransientFailure(error)) return;
        }
        // A stream that carried events before dropping starts the delays over.
        if (heard) attempt = 0;
        await sleep(defaultReconnectDelay(attempt, serverDelay) * (0.5 + Math.random() / 2), signal);
        attempt += 1;
      }
    } finally {
      batcher.dispose();
    }
  }

  return {
    hold() {
      holders += 1;
      if (holders === 1) {
        controller = new AbortController();
        void follow(controller.signal);
      }
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        holders -= 1;
        if (holders === 0) controller?.abort();
      };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
