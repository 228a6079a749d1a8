import type {
  CalendarEvent,
  CrmClient,
  ErrorBody,
  EventSummary,
  SummaryStreamMessage,
} from "@crm-agenda/shared";
import { createFakeAgendaFetch, type FakeAgendaOptions, type FakeFailure } from "./createFakeAgendaFetch";

/** One open `GET /events/:id/summary/stream`, which the test or story writes to. */
export interface FakeSummaryStream {
  /** The event whose stream it is. */
  readonly eventId: string;
  /** Sends one message as the router does: an SSE event named by its type, the JSON as data; with an `id:` when given one. */
  send(message: SummaryStreamMessage, options?: { id?: string }): void;
  /** Sends a `retry:` field, the reconnection delay the server asks for. */
  retry(milliseconds: number): void;
  /** The `Last-Event-ID` header the client opened this stream with, if any. */
  readonly lastEventId: string | null;
  /** Sends a `: keep-alive` comment. */
  keepAlive(): void;
  /** Ends the stream as the server does after the last summary. */
  close(): void;
  /** Breaks the connection, as a network failure or a restarted server would. */
  drop(): void;
  /** True once the client went away (aborted) or the stream was closed or dropped. */
  readonly ended: boolean;
}

/** Options of {@link createFakeSummaryFetch}. */
export interface FakeSummaryOptions {
  /** The events and connections, answered by {@link createFakeAgendaFetch}. */
  agenda?: FakeAgendaOptions;
  /** The summary of each event, by event id; other events answer status `none`. */
  summaries?: Record<string, EventSummary>;
  /** The host's CRM clients, for `GET /clients?q=` (matched on name and e-mails). */
  clients?: CrmClient[];
  /** How long `GET /clients` takes, in milliseconds. */
  searchDelayMs?: number;
  /** How long `GET /events/:id/summary` takes, in milliseconds; `Infinity` never answers. */
  summaryDelayMs?: number;
  /** How long `PUT /events/:id/client` and `POST …/regenerate` take, in milliseconds. */
  writeDelayMs?: number;
  /** Answer `PUT /events/:id/client` with this error. */
  setClientFailure?: FakeFailure;
  /** Answer `POST /events/:id/summary/regenerate` with this error. */
  regenerateFailure?: FakeFailure;
  /** Called with each stream as it opens, e.g. to play a script in a story. */
  onStream?: (stream: FakeSummaryStream) => void;
}

/** The fake server of {@link createFakeSummaryFetch}. */
export interface FakeSummaryServer {
  fetch: typeof globalThis.fetch;
  /** Every request received, as "METHOD /path?query". */
  readonly requests: string[];
  /** The streams opened so far, oldest first. */
  readonly streams: readonly FakeSummaryStream[];
  /** Resolves with the next stream the client opens (or the latest one not yet taken). */
  nextStream(): Promise<FakeSummaryStream>;
  /** The events as the server holds them now. */
  readonly events: readonly CalendarEvent[];
  /** The summary of an event as the server holds it now. */
  summaryOf(eventId: string): EventSummary;
}

const encoder = new TextEncoder();

/**
 * A fake agenda server for the call summary and the client picker: the summary routes (get, stream,
 * regenerate), `GET /clients` and `PUT /events/:id/client`, in memory; every other route goes to
 * {@link createFakeAgendaFetch}. Streams stay open until the test sends, closes or drops them.
 */
export function createFakeSummaryFetch(options: FakeSummaryOptions = {}): FakeSummaryServer {
  const agenda = createFakeAgendaFetch(options.agenda);
  const summaries = new Map(Object.entries(options.summaries ?? {}));
  const requests: string[] = [];
  const streams: FakeSummaryStream[] = [];
  let taken = 0;
  const waiting: Array<(stream: FakeSummaryStream) => void> = [];

  const summaryOf = (eventId: string): EventSummary =>
    summaries.get(eventId) ?? {
      eventId,
      status: "none",
      summary: null,
      error: null,
      transcriptUrl: null,
      language: null,
      durationSeconds: null,
      participants: [],
      updatedAt: null,
    };

  function openStream(eventId: string, init: RequestInit | undefined): Response {
    const signal = init?.signal ?? undefined;
    const lastEventId = new Headers(init?.headers).get("last-event-id");
    let ended = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController;
      },
      cancel() {
        ended = true;
      },
    });
    const write = (text: string) => {
      if (!ended) controller.enqueue(encoder.encode(text));
    };
    const stream: FakeSummaryStream = {
      eventId,
      send(message, sendOptions = {}) {
        if (message.type === "summary") summaries.set(eventId, message.summary);
        const id = sendOptions.id === undefined ? "" : `id: ${sendOptions.id}\n`;
        write(`${id}event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
      },
      retry: (milliseconds) => write(`retry: ${milliseconds}\n\n`),
      lastEventId,
      keepAlive: () => write(": keep-alive\n\n"),
      close() {
        if (ended) return;
        ended = true;
        controller.close();
      },
      drop() {
        if (ended) return;
        ended = true;
        controller.error(new TypeError("network error"));
      },
      get ended() {
        return ended;
      },
    };
    signal?.addEventListener("abort", () => {
      if (ended) return;
      ended = true;
      controller.error(new DOMException("The operation was aborted.", "AbortError"));
    });
    streams.push(stream);
    // The router's first message is always the current summary.
    stream.send({ type: "summary", summary: summaryOf(eventId) });
    options.onStream?.(stream);
    const resolve = waiting.shift();
    if (resolve !== undefined) {
      taken = streams.length;
      resolve(stream);
    }
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input), "http://agenda.test");
    const method = init?.method ?? "GET";
    requests.push(`${method} ${url.pathname}${url.search}`);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const path = url.pathname.replace(/^.*?\/(events|clients)/, "/$1");

    if (method === "GET" && path === "/clients") {
      await wait(options.searchDelayMs);
      const q = (url.searchParams.get("q") ?? "").trim().toLowerCase();
      const clients = (options.clients ?? []).filter(
        (client) =>
          q === "" ||
          client.name.toLowerCase().includes(q) ||
          client.emails.some((email) => email.toLowerCase().includes(q)),
      );
      return json(200, { clients });
    }

    const summaryPath = /^\/events\/([^/]+)\/summary(\/stream|\/regenerate)?$/.exec(path);
    if (summaryPath !== null) {
      const eventId = decodeURIComponent(summaryPath[1] ?? "");
      const rest = summaryPath[2];
      if (method === "GET" && rest === undefined) {
        await wait(options.summaryDelayMs);
        return json(200, summaryOf(eventId));
      }
      if (method === "GET" && rest === "/stream") return openStream(eventId, init);
      if (method === "POST" && rest === "/regenerate") {
        await wait(options.writeDelayMs);
        if (options.regenerateFailure !== undefined) {
          return json(options.regenerateFailure.status, options.regenerateFailure.body);
        }
        const pending: EventSummary = { ...summaryOf(eventId), status: "pending", error: null };
        summaries.set(eventId, pending);
        return json(202, pending);
      }
    }

    const clientPath = /^\/events\/([^/]+)\/client$/.exec(path);
    if (clientPath !== null && method === "PUT") {
      await wait(options.writeDelayMs);
      if (options.setClientFailure !== undefined) {
        return json(options.setClientFailure.status, options.setClientFailure.body);
      }
      const clientId = (body as { clientId: string | null }).clientId;
      const chosen = (options.clients ?? []).find((client) => client.id === clientId);
      if (clientId !== null && chosen === undefined) {
        return json(422, error("unprocessable", `No CRM client ${clientId}`));
      }
      const clientMatch =
        chosen === undefined
          ? { clientId: null, clientName: null, method: "none" }
          : { clientId: chosen.id, clientName: chosen.name, method: "manual" };
      // The events fake merges a PATCH body into the event, which is what this route does server-side.
      return agenda.fetch(`${url.origin}${url.pathname.replace(/\/client$/, "")}`, {
        method: "PATCH",
        body: JSON.stringify({ clientMatch }),
      });
    }

    return agenda.fetch(input, init);
  };

  return {
    fetch,
    requests,
    streams,
    nextStream() {
      const latest = streams[taken];
      if (latest !== undefined) {
        taken += 1;
        return Promise.resolve(latest);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    get events() {
      return agenda.events;
    },
    summaryOf,
  };
}

function wait(milliseconds: number | undefined): Promise<void> {
  if (milliseconds === Number.POSITIVE_INFINITY) return new Promise(() => {});
  return new Promise((resolve) => setTimeout(resolve, milliseconds ?? 0));
}

function error(code: ErrorBody["error"]["code"], message: string): ErrorBody {
  return { error: { code, message } };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
