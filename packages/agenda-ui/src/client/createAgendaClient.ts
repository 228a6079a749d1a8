import type { RouteBody, RouteName, RouteOutput, RouteParams, RouteQuery } from "@crm-agenda/shared";
import { buildPath, type HttpMethod, routes } from "@crm-agenda/shared/routes";
import { isErrorBody } from "../_internal/answerShapes";
import { AgendaRequestError } from "./AgendaRequestError";

/** Options of {@link createAgendaClient}. */
export interface AgendaClientOptions {
  /** Where the host mounted the agenda router, e.g. `/api/agenda` or `https://crm.example/api/agenda`. */
  baseUrl: string;
  /**
   * The fetch to send requests with; tests and stories pass a fake one.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Routes kept out of the shared `routes` table, which this client may also call, e.g.
   * `bookingRoutes` of `@crm-agenda/shared/routes` (the booking pages pass them).
   * @default {}
   */
  extraRoutes?: Record<string, { method: HttpMethod; path: string }>;
}

type ParamsInput<N extends RouteName> =
  RouteParams<N> extends undefined ? { params?: undefined } : { params: RouteParams<N> };
// A query whose fields are all optional may be left out.
type QueryInput<N extends RouteName> =
  RouteQuery<N> extends undefined
    ? { query?: undefined }
    : object extends RouteQuery<N>
      ? { query?: RouteQuery<N> }
      : { query: RouteQuery<N> };
type BodyInput<N extends RouteName> =
  RouteBody<N> extends undefined ? { body?: undefined } : { body: RouteBody<N> };

/** What one request of route `N` takes: its path parameters, query and body, as the contract types them. */
export type AgendaRequestInput<N extends RouteName> = ParamsInput<N> &
  QueryInput<N> &
  BodyInput<N> & {
    /** Cancels the request; TanStack Query passes one to every query. */
    signal?: AbortSignal;
    /** Extra request headers, such as `Last-Event-ID` when a stream reconnects. */
    headers?: Record<string, string>;
  };

type RequestArguments<N extends RouteName> =
  object extends AgendaRequestInput<N> ? [input?: AgendaRequestInput<N>] : [input: AgendaRequestInput<N>];

/** A typed client for the agenda router, made by {@link createAgendaClient}. */
export interface AgendaClient {
  /** The `baseUrl` it was made with, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * Calls one route of the contract and resolves with its success body (`undefined` for 204).
   * @throws {AgendaRequestError} for any non-2xx answer, a network failure or a body that is not JSON.
   */
  request<N extends RouteName>(route: N, ...input: RequestArguments<N>): Promise<RouteOutput<N>>;
  /**
   * Calls a streaming route, such as `streamEventSummary` (`text/event-stream`), and resolves with the
   * response as soon as its headers arrive, its body left unread for the caller to stream.
   * @throws {AgendaRequestError} for any non-2xx answer or a network failure.
   */
  open<N extends RouteName>(route: N, ...input: RequestArguments<N>): Promise<Response>;
}

/**
 * Makes a typed fetch client for the agenda router from the shared contract:
 * `client.request("updateEvent", { params: { id }, body })`.
 * Sends cookies to the same origin only, so the host's session reaches the router.
 */
export function createAgendaClient(options: AgendaClientOptions): AgendaClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");

  async function sendRequest<N extends RouteName>(
    route: N,
    args: RequestArguments<N>,
    accept: string,
  ): Promise<{ response: Response; where: string }> {
    const input = (args[0] ?? {}) as {
      params?: Record<string, string>;
      query?: object;
      body?: unknown;
      signal?: AbortSignal;
      headers?: Record<string, string>;
    };
    const definition =
      options.extraRoutes?.[route] ?? (routes as Record<string, { method: HttpMethod; path: string }>)[route];
    if (!definition) {
      throw new TypeError(
        `the agenda client has no route "${route}": booking routes are called from @crm-agenda/ui/booking`,
      );
    }
    const method = definition.method.toUpperCase();
    const url = `${baseUrl}${buildPath(definition.path, input.params)}${toQueryString(input.query)}`;
    const where = `${method} ${url}`;
    // Resolved at call time so a test or polyfill that replaces globalThis.fetch later is honoured.
    const send = options.fetch ?? globalThis.fetch;

    let response: Response;
    try {
      response = await send(url, {
        method,
        credentials: "same-origin",
        // Every write says it is JSON, even with no body: the router refuses any other write as
        // possibly forged by another site's form.
        headers: {
          ...input.headers,
          ...(method === "GET" ? { accept } : { accept, "content-type": "application/json" }),
        },
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        signal: input.signal,
      });
    } catch (cause) {
      throw new AgendaRequestError({
        status: 0,
        code: "network_error",
        message: `Could not reach the agenda server (${where}): ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
    }

    if (!response.ok) throw await readError(response, where);
    return { response, where };
  }

  async function request<N extends RouteName>(
    route: N,
    ...args: RequestArguments<N>
  ): Promise<RouteOutput<N>> {
    const { response, where } = await sendRequest(route, args, "application/json");
    // Every route the client requests answers JSON on success, but for 204 No Content (redirects and
    // streams are opened another way); anything else, such as a host's HTML page, is an error.
    if (response.status === 204) return undefined as RouteOutput<N>;
    return (await readJson(response, where)) as RouteOutput<N>;
  }

  async function open<N extends RouteName>(route: N, ...args: RequestArguments<N>): Promise<Response> {
    return (await sendRequest(route, args, "text/event-stream")).response;
  }

  return { baseUrl, request, open };
}

function toQueryString(query: object | undefined): string {
  if (query === undefined) return "";
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.append(name, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

async function readJson(response: Response, where: string): Promise<unknown> {
  const contentType = response.headers.get("content-type") ?? "";
  // An HTML page here is almost always the host's SPA fallback: the router is not where baseUrl says.
  if (!contentType.includes("json")) {
    throw new AgendaRequestError({
      status: response.status,
      code: "invalid_response",
      message: `The agenda server answered ${where} with ${contentType || "no content type"} instead of JSON; is the router mounted at this base URL?`,
    });
  }
  try {
    return await response.json();
  } catch (cause) {
    throw new AgendaRequestError({
      status: response.status,
      code: "invalid_response",
      message: `The agenda server answered ${where} with malformed JSON`,
      cause,
    });
  }
}

async function readError(response: Response, where: string): Promise<AgendaRequestError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    const { code, message, details } = body.error;
    return new AgendaRequestError({ status: response.status, code, message, details });
  }
  return new AgendaRequestError({
    status: response.status,
    code: codeForStatus(response.status),
    message: `The agenda server answered ${where} with ${response.status} ${response.statusText}`.trim(),
  });
}

/** For answers that did not come from the router (a proxy's 502, a gateway's 401), guess from the status. */
function codeForStatus(status: number): AgendaRequestError["code"] {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "payload_too_large";
  if (status === 422) return "unprocessable";
  if (status === 429) return "rate_limited";
  if (status === 502 || status === 503 || status === 504) return "unavailable";
  return "internal";
}
