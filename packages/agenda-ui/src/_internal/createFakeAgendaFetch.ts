import type {
  CalendarEvent,
  Connection,
  CreateEventInput,
  ErrorBody,
  EventSummary,
  ProviderCalendar,
  UpdateConnectionInput,
  UpdateEventInput,
} from "@crm-agenda/shared";

/** An error the fake server answers with instead of doing the work. */
export interface FakeFailure {
  status: number;
  body: ErrorBody;
}

/** Options of {@link createFakeAgendaFetch}. */
export interface FakeAgendaOptions {
  /** The events the fake server starts with. */
  events?: CalendarEvent[];
  /** The accounts the fake server starts with, for `GET /connections`. */
  connections?: Connection[];
  /** Each connection's calendars, by connection id, for `GET /connections/:id/calendars`. */
  calendars?: Record<string, Omit<ProviderCalendar, "selected">[]>;
  /** How long each answer takes, in milliseconds; `Infinity` never answers (a loading state). */
  delayMs?: number;
  /** Answer every `GET /events` with this error. */
  listFailure?: FakeFailure;
  /** Answer every `GET /connections` with this error. */
  connectionsFailure?: FakeFailure;
  /** Answer every write (POST, PATCH, DELETE) with this error. */
  writeFailure?: FakeFailure;
}

/** A fake agenda server in memory and the fetch that talks to it, for stories and tests. */
export interface FakeAgenda {
  fetch: typeof globalThis.fetch;
  /** The server's events as they are now. */
  readonly events: CalendarEvent[];
  /** The server's connected accounts as they are now. */
  readonly connections: Connection[];
  /** Every request received, as "METHOD /path?query". */
  readonly requests: string[];
}

/**
 * Answers the agenda routes the UI uses (list, get, create, update, delete events; list, configure
 * and delete connections, list their calendars) from memory, with the router's JSON shapes, so stories and tests run without a server.
 */
export function createFakeAgendaFetch(options: FakeAgendaOptions = {}): FakeAgenda {
  let events = [...(options.events ?? [])];
  let connections = [...(options.connections ?? [])];
  const requests: string[] = [];
  let created = 0;

  async function answer(url: URL, method: string, body: unknown): Promise<Response> {
    const connectionPath = /\/connections(?:\/([^/]+))?(\/calendars)?$/.exec(url.pathname);
    if (connectionPath !== null)
      return answerConnections(
        method,
        decodeURIComponent(connectionPath[1] ?? ""),
        connectionPath[2] !== undefined,
        body,
      );
    const path = url.pathname.replace(/^.*?\/events/, "/events");
    const id = decodeURIComponent(path.split("/")[2] ?? "");
    if (method === "GET" && path === "/events") {
      if (options.listFailure !== undefined)
        return json(options.listFailure.status, options.listFailure.body);
      const from = Date.parse(url.searchParams.get("from") ?? "");
      const to = Date.parse(url.searchParams.get("to") ?? "");
      const inRange = events
        .filter((event) => Date.parse(event.start) < to && Date.parse(event.end) > from)
        .sort((first, second) => Date.parse(first.start) - Date.parse(second.start));
      return json(200, { events: inRange });
    }
    if (method !== "GET" && options.writeFailure !== undefined) {
      return json(options.writeFailure.status, options.writeFailure.body);
    }
    if (method === "POST" && path === "/events") {
      const input = body as CreateEventInput;
      created += 1;
      const event = toEvent(`00000000-0000-4000-8000-${String(created).padStart(12, "0")}`, input);
      events = [...events, event];
      return json(201, event);
    }
    const existing = events.find((event) => event.id === id);
    if (existing === undefined) return json(404, { error: { code: "not_found", message: "No such event" } });
    // The call summary as far as the event's status tells; createFakeSummaryFetch serves the real thing.
    if (method === "GET" && path === `/events/${id}/summary`) return json(200, summaryOf(existing));
    if (path !== `/events/${id}`) {
      return json(404, { error: { code: "not_found", message: `No route ${method} ${path}` } });
    }
    if (method === "GET") return json(200, existing);
    if (method === "PATCH") {
      const changes = body as UpdateEventInput;
      const updated = { ...existing, ...changes, updatedAt: new Date().toISOString() } as CalendarEvent;
      events = events.map((event) => (event.id === id ? updated : event));
      return json(200, updated);
    }
    if (method === "DELETE") {
      events = events.filter((event) => event.id !== id);
      return new Response(null, { status: 204 });
    }
    return json(404, { error: { code: "not_found", message: `No route ${method} ${path}` } });
  }

  function answerConnections(method: string, id: string, calendarsOf: boolean, body: unknown): Response {
    const connection = connections.find((item) => item.id === id);
    if (calendarsOf) {
      if (method !== "GET" || connection === undefined || connection.calendarId === null)
        return json(404, { error: { code: "not_found", message: "This connection syncs no calendar" } });
      const calendars = (options.calendars?.[id] ?? []).map((calendar) => ({
        ...calendar,
        selected:
          calendar.id === connection.calendarId ||
          (calendar.primary && (connection.calendarId === "primary" || connection.calendarId === "")),
      }));
      return json(200, { calendars });
    }
    if (method === "PATCH" && id !== "") {
      if (options.writeFailure !== undefined)
        return json(options.writeFailure.status, options.writeFailure.body);
      if (connection === undefined || connection.calendarId === null)
        return json(404, { error: { code: "not_found", message: "This connection syncs no calendar" } });
      const input = body as UpdateConnectionInput;
      const chosen = options.calendars?.[id]?.find((calendar) => calendar.id === input.calendarId);
      const updated: Connection = {
        ...connection,
        ...(chosen !== undefined && {
          calendarId: chosen.primary ? (connection.provider === "google" ? "primary" : "") : chosen.id,
        }),
        ...(input.pushCrmEvents !== undefined && { pushCrmEvents: input.pushCrmEvents }),
      };
      connections = connections.map((item) =>
        item.id === id
          ? updated
          : input.pushCrmEvents === true && item.calendarId !== null
            ? { ...item, pushCrmEvents: false }
            : item,
      );
      return json(200, updated);
    }
    if (method === "GET" && id === "") {
      if (options.connectionsFailure !== undefined)
        return json(options.connectionsFailure.status, options.connectionsFailure.body);
      return json(200, { connections });
    }
    if (method === "DELETE" && id !== "") {
      if (options.writeFailure !== undefined)
        return json(options.writeFailure.status, options.writeFailure.body);
      if (!connections.some((connection) => connection.id === id))
        return json(404, { error: { code: "not_found", message: "No such connection" } });
      connections = connections.filter((connection) => connection.id !== id);
      return new Response(null, { status: 204 });
    }
    return json(404, { error: { code: "not_found", message: `No route ${method} /connections/${id}` } });
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input), "http://agenda.test");
    const method = init?.method ?? "GET";
    requests.push(`${method} ${url.pathname}${url.search}`);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    await wait(options.delayMs ?? 0, init?.signal ?? undefined);
    return answer(url, method, body);
  };

  return {
    fetch,
    get events() {
      return events;
    },
    get connections() {
      return connections;
    },
    requests,
  };
}

function summaryOf(event: CalendarEvent): EventSummary {
  return {
    eventId: event.id,
    status: event.summaryStatus,
    summary: null,
    error: null,
    transcriptUrl: null,
    language: null,
    durationSeconds: null,
    participants: [],
    updatedAt: null,
  };
}

function toEvent(id: string, input: CreateEventInput): CalendarEvent {
  const now = new Date().toISOString();
  return {
    id,
    title: input.title,
    description: input.description ?? null,
    start: new Date(input.start).toISOString(),
    end: new Date(input.end).toISOString(),
    allDay: input.allDay ?? false,
    timeZone: input.timeZone,
    location: input.location ?? null,
    conference: input.conference ?? null,
    attendees: (input.attendees ?? []).map((attendee) => ({
      ...attendee,
      responseStatus: attendee.responseStatus ?? "needsAction",
    })),
    source: "crm",
    clientMatch: { clientId: null, clientName: null, method: "none" },
    summaryStatus: "none",
    createdAt: now,
    updatedAt: now,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function wait(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = Number.isFinite(milliseconds) ? setTimeout(resolve, milliseconds) : undefined;
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
