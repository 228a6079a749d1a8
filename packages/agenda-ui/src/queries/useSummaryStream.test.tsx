// @vitest-environment jsdom
import type { CalendarEvent, EventList, EventSummary } from "@crm-agenda/shared";
import { QueryClient } from "@tanstack/react-query";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeSummaryFetch } from "../_internal/createFakeSummaryFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { useSummaryStream } from "./useSummaryStream";

const baseUrl = "/api/agenda";
const eventId = "2b7d9c1e-3f4a-4b5c-8d6e-7f8091a2b3c4";
const week = { from: "2026-11-22T23:00:00.000Z", to: "2026-11-29T23:00:00.000Z" };
const call: CalendarEvent = makeEvent({
  id: eventId,
  title: "Négociation — Dupont SA",
  start: "2026-11-25T08:00:00.000Z",
  end: "2026-11-25T09:00:00.000Z",
  source: "zoom",
  summaryStatus: "in_progress",
});

function summary(status: EventSummary["status"]): EventSummary {
  return {
    eventId,
    status,
    summary:
      status === "ready"
        ? { executiveSummary: "Accord trouvé.", keyPoints: [], decisions: [], actionItems: [] }
        : null,
    error: null,
    transcriptUrl: null,
    language: "fr",
    durationSeconds: 600,
    participants: [],
    updatedAt: null,
  };
}

function setup(fetch: typeof globalThis.fetch) {
  const queryClient = new QueryClient();
  queryClient.setQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, week), { events: [call] });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AgendaProvider baseUrl={baseUrl} queryClient={queryClient} fetch={fetch}>
      {children}
    </AgendaProvider>
  );
  return { queryClient, wrapper };
}

// Unmount each hook before jsdom goes, so no stream update lands after the test.
afterEach(cleanup);

describe("useSummaryStream", () => {
  it("reconnects when the stream drops before the last summary, and stops once it came", async () => {
    const server = createFakeSummaryFetch({ summaries: { [eventId]: summary("in_progress") } });
    const { queryClient, wrapper } = setup(server.fetch);
    const delays: number[] = [];
    const { result } = renderHook(
      () =>
        useSummaryStream(eventId, {
          reconnectDelay: (attempt) => {
            delays.push(attempt);
            return 5;
          },
        }),
      { wrapper },
    );

    const first = await server.nextStream();
    act(() => first.send({ type: "token", token: '{"executiveSummary":"Acc' }));
    await waitFor(() => expect(result.current.text).toBe('{"executiveSummary":"Acc'));
    act(() => first.drop());

    const second = await server.nextStream();
    // The new connection only hears what comes next, so the cut text is gone.
    await waitFor(() => expect(result.current.connection).toBe("open"));
    expect(result.current.text).toBe("");
    act(() => second.close());

    const third = await server.nextStream();
    act(() => {
      third.send({ type: "summary", summary: summary("ready") });
      third.close();
    });
    await waitFor(() => expect(result.current.connection).toBe("closed"));
    // The first stream carried messages, so its drop started the delays over; the second carried only
    // the opening summary, which also counts as hearing from the server.
    expect(delays).toEqual([0, 0]);
    expect(
      queryClient.getQueryData<EventSummary>(agendaQueryKeys.eventSummary(baseUrl, eventId))?.status,
    ).toBe("ready");
    expect(
      queryClient.getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, week))?.events[0]?.summaryStatus,
    ).toBe("ready");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.streams).toHaveLength(3);
    expect(result.current.error).toBeNull();
  });

  it("reconnects after the server's retry delay, with Last-Event-ID, keeping the text the server resumes", async () => {
    const server = createFakeSummaryFetch({ summaries: { [eventId]: summary("in_progress") } });
    const { wrapper } = setup(server.fetch);
    const asked: Array<[number, number | undefined]> = [];
    const { result } = renderHook(
      () =>
        useSummaryStream(eventId, {
          reconnectDelay: (attempt, serverDelay) => {
            asked.push([attempt, serverDelay]);
            return 5;
          },
        }),
      { wrapper },
    );

    const first = await server.nextStream();
    expect(first.lastEventId).toBeNull();
    act(() => {
      first.retry(2_500);
      first.send({ type: "token", token: '{"executiveSummary":"Acc' }, { id: "41" });
      first.send({ type: "token", token: "ord" }, { id: "42" });
    });
    await waitFor(() => expect(result.current.text).toBe('{"executiveSummary":"Accord'));
    act(() => first.drop());

    const second = await server.nextStream();
    expect(second.lastEventId).toBe("42");
    expect(asked).toEqual([[0, 2_500]]);
    act(() => second.send({ type: "token", token: ' trouvé."}' }, { id: "43" }));
    await waitFor(() => expect(result.current.text).toBe('{"executiveSummary":"Accord trouvé."}'));
    act(() => second.send({ type: "summary", summary: summary("ready") }));
    await waitFor(() => expect(result.current.connection).toBe("closed"));
  });

  it("waits longer after each failed attempt in a row", async () => {
    let attempts = 0;
    const fetch: typeof globalThis.fetch = async () => {
      attempts += 1;
      throw new TypeError("Failed to fetch");
    };
    const { wrapper } = setup(fetch);
    const delays: number[] = [];
    renderHook(
      () =>
        useSummaryStream(eventId, {
          reconnectDelay: (attempt) => {
            delays.push(attempt);
            return 1;
          },
        }),
      { wrapper },
    );

    await waitFor(() => expect(attempts).toBeGreaterThanOrEqual(4));
    expect(delays.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it("gives up with the error when the server refuses the stream for good", async () => {
    let attempts = 0;
    const fetch: typeof globalThis.fetch = async () => {
      attempts += 1;
      return new Response(JSON.stringify({ error: { code: "not_found", message: "No such event" } }), {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    };
    const { wrapper } = setup(fetch);
    const { result } = renderHook(() => useSummaryStream(eventId, { reconnectDelay: () => 1 }), { wrapper });

    await waitFor(() => expect(result.current.connection).toBe("closed"));
    expect(result.current.error).toMatchObject({ code: "not_found", status: 404 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(1);
  });

  it("opens nothing while disabled and closes the stream when it is turned off", async () => {
    const server = createFakeSummaryFetch({ summaries: { [eventId]: summary("pending") } });
    const { wrapper } = setup(server.fetch);
    const { rerender, result } = renderHook(({ enabled }) => useSummaryStream(eventId, { enabled }), {
      wrapper,
      initialProps: { enabled: false },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.streams).toHaveLength(0);
    expect(result.current.connection).toBe("idle");

    rerender({ enabled: true });
    const stream = await server.nextStream();
    rerender({ enabled: false });
    await waitFor(() => expect(stream.ended).toBe(true));
  });
});
