import type { EventList } from "@crm-agenda/shared";
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { createAgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "../queries/agendaQueryKeys";
import { createLiveAgenda } from "./createLiveAgenda";
import { makeEvent } from "./makeEvent";

const baseUrl = "/api/agenda";
const week = { from: "2026-11-23T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z" };
const meeting = makeEvent({
  id: "0b6f3c2e-1d4a-4e5b-9c6d-7e8f9a0b1c2d",
  title: "Revue Dupont",
  start: "2026-11-25T09:00:00.000Z",
  end: "2026-11-25T10:00:00.000Z",
});

/**
 * A server for `GET /events/stream` that answers each connection with the next script: the SSE text
 * to send, then whether to keep the stream open or drop it. Records each request's Last-Event-ID.
 */
function createFakeStreamServer(scripts: { text: string; end: "drop" | "hold" }[] | { status: number }) {
  const requests: (string | null)[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    expect(String(input)).toBe(`${baseUrl}/events/stream`);
    requests.push(new Headers(init?.headers).get("last-event-id"));
    if (!Array.isArray(scripts)) {
      return new Response(JSON.stringify({ error: { code: "not_found", message: "No route" } }), {
        status: scripts.status,
        headers: { "content-type": "application/json" },
      });
    }
    const script = scripts[requests.length - 1] ?? { text: "", end: "hold" as const };
    const signal = init?.signal;
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
      },
      // The script's text is read first; the drop comes on the read after it, as on a real network.
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new TextEncoder().encode(script.text));
        } else if (script.end === "drop") controller.error(new TypeError("network error"));
        else return new Promise(() => {});
        return undefined;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch, requests };
}

function setup(fetch: typeof globalThis.fetch) {
  const queryClient = new QueryClient();
  queryClient.setQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, week), { events: [meeting] });
  const live = createLiveAgenda(createAgendaClient({ baseUrl, fetch }), queryClient);
  return { queryClient, live };
}

const deleted = (id: string) =>
  `id: 42\nevent: change\ndata: ${JSON.stringify({ type: "deleted", eventId: id, before: { start: meeting.start, end: meeting.end }, after: null })}\n\n`;

describe("createLiveAgenda", () => {
  it("opens one stream however many agendas hold it, and closes it when the last lets go", async () => {
    const server = createFakeStreamServer([
      { text: "retry: 1\nid: 7\nevent: ready\ndata: {}\n\n", end: "hold" },
    ]);
    const { live } = setup(server.fetch);
    const releaseWeek = live.hold();
    const releaseMonth = live.hold();
    await expect.poll(() => server.requests.length).toBe(1);
    releaseWeek();
    releaseMonth();
    const again = live.hold();
    await expect.poll(() => server.requests.length).toBe(2);
    again();
    expect(server.requests).toEqual([null, null]);
  });

  it("reconnects after a drop with the last id as Last-Event-ID, and applies what the stream says", async () => {
    const server = createFakeStreamServer([
      { text: "retry: 1\nid: 41\nevent: ready\ndata: {}\n\n", end: "drop" },
      { text: deleted(meeting.id), end: "hold" },
    ]);
    const { live, queryClient } = setup(server.fetch);
    const release = live.hold();
    await expect
      .poll(() => queryClient.getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, week))?.events)
      .toEqual([]);
    expect(server.requests).toEqual([null, "41"]);
    release();
  });

  it("ignores a change it cannot read", async () => {
    const server = createFakeStreamServer([
      {
        text: `retry: 1\nevent: change\ndata: {"type":"moved"}\n\nevent: change\ndata: not json\n\n${deleted(meeting.id)}`,
        end: "hold",
      },
    ]);
    const { live, queryClient } = setup(server.fetch);
    const release = live.hold();
    await expect
      .poll(() => queryClient.getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, week))?.events)
      .toEqual([]);
    release();
  });

  it("stops for good when the server has no live route, leaving the cache's own refetch in charge", async () => {
    const server = createFakeStreamServer({ status: 404 });
    const { live } = setup(server.fetch);
    const release = live.hold();
    await expect.poll(() => server.requests.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
    release();
  });
});
