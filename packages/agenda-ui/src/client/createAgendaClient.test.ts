import { describe, expect, it } from "vitest";
import { AgendaRequestError } from "./AgendaRequestError";
import { createAgendaClient } from "./createAgendaClient";

interface RecordedRequest {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    requests.push({ url: String(input), init });
    return answer();
  };
  return { fetch, requests };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

const eventId = "0b9c1a4e-5f3d-4c7a-9e2b-1d2c3b4a5f60";

describe("createAgendaClient", () => {
  it("sends a query in the URL under the base URL, with same-origin credentials", async () => {
    const { fetch, requests } = fakeFetch(() => json(200, { events: [] }));
    const client = createAgendaClient({ baseUrl: "/api/agenda/", fetch });

    const answer = await client.request("listEvents", {
      query: { from: "2026-11-23T00:00:00Z", to: "2026-11-30T00:00:00Z" },
    });

    expect(answer).toEqual({ events: [] });
    expect(requests[0]?.url).toBe(
      "/api/agenda/events?from=2026-11-23T00%3A00%3A00Z&to=2026-11-30T00%3A00%3A00Z",
    );
    expect(requests[0]?.init?.method).toBe("GET");
    expect(requests[0]?.init?.credentials).toBe("same-origin");
    expect(requests[0]?.init?.body).toBeUndefined();
  });

  it("fills path parameters and sends the body as JSON", async () => {
    const { fetch, requests } = fakeFetch(() => json(200, { id: eventId, title: "Revue" }));
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await client.request("updateEvent", { params: { id: eventId }, body: { title: "Revue" } });

    expect(requests[0]?.url).toBe(`/api/agenda/events/${eventId}`);
    expect(requests[0]?.init?.method).toBe("PATCH");
    expect(requests[0]?.init?.body).toBe('{"title":"Revue"}');
    expect(new Headers(requests[0]?.init?.headers).get("content-type")).toBe("application/json");
  });

  it("says JSON on writes without a body too, as the router requires of every write", async () => {
    const { fetch, requests } = fakeFetch(() => new Response(null, { status: 204 }));
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await client.request("deleteConnection", { params: { id: eventId } });
    await client.request("listEvents", {
      query: { from: "2026-11-23T00:00:00Z", to: "2026-11-30T00:00:00Z" },
    });

    expect(requests[0]?.init?.method).toBe("DELETE");
    expect(requests[0]?.init?.body).toBeUndefined();
    expect(new Headers(requests[0]?.init?.headers).get("content-type")).toBe("application/json");
    expect(new Headers(requests[1]?.init?.headers).get("content-type")).toBeNull();
  });

  it("resolves undefined on 204", async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await expect(client.request("deleteEvent", { params: { id: eventId } })).resolves.toBeUndefined();
  });

  it("throws the server's error code, message and validation details", async () => {
    const { fetch } = fakeFetch(() =>
      json(400, {
        error: {
          code: "validation_failed",
          message: "The event is not valid",
          details: [{ path: "end", message: "end must be after start" }],
        },
      }),
    );
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    const error = await client
      .request("updateEvent", { params: { id: eventId }, body: { end: "2026-03-29T08:00:00+02:00" } })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AgendaRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: "validation_failed",
      message: "The event is not valid",
    });
    expect((error as AgendaRequestError).validationIssues).toEqual([
      { path: "end", message: "end must be after start" },
    ]);
  });

  it("names a non-agenda error answer by its status", async () => {
    const { fetch } = fakeFetch(
      () => new Response("Bad gateway", { status: 502, statusText: "Bad Gateway" }),
    );
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await expect(client.request("listConnections")).rejects.toMatchObject({
      status: 502,
      code: "unavailable",
      message: "The agenda server answered GET /api/agenda/connections with 502 Bad Gateway",
    });
  });

  it("turns a network failure into a network_error", async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await expect(client.request("listConnections")).rejects.toMatchObject({
      status: 0,
      code: "network_error",
      message: "Could not reach the agenda server (GET /api/agenda/connections): Failed to fetch",
    });
  });

  it("says the router may not be mounted there when a success answer is HTML", async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response("<!doctype html><title>CRM</title>", {
          status: 200,
          headers: { "content-type": "text/html" },
        }),
    );
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    const error = await client.request("listConnections").catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "invalid_response", status: 200 });
    expect((error as Error).message).toMatch(/text\/html instead of JSON; is the router mounted/);
  });

  it("says so when a JSON answer does not parse", async () => {
    const { fetch } = fakeFetch(
      () => new Response("{ not json", { status: 200, headers: { "content-type": "application/json" } }),
    );
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    await expect(client.request("listConnections")).rejects.toMatchObject({
      code: "invalid_response",
      message: "The agenda server answered GET /api/agenda/connections with malformed JSON",
    });
  });

  it("refuses to build a path with a missing parameter before sending anything", async () => {
    const { fetch, requests } = fakeFetch(() => json(200, {}));
    const client = createAgendaClient({ baseUrl: "/api/agenda", fetch });

    // @ts-expect-error params are required for getEvent
    await expect(client.request("getEvent", {})).rejects.toThrow(/missing path parameter "id"/);
    expect(requests).toHaveLength(0);
  });
});
