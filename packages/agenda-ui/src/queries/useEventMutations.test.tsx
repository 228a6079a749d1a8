// @vitest-environment jsdom
import type { EventList } from "@crm-agenda/shared";
import { QueryClient } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { useCreateEvent, useDeleteEvent, useUpdateEvent } from "./useEventMutations";

const baseUrl = "/api/agenda";
const thisWeek = { from: "2026-11-22T23:00:00.000Z", to: "2026-11-29T23:00:00.000Z" };
const nextWeek = { from: "2026-11-29T23:00:00.000Z", to: "2026-12-06T23:00:00.000Z" };
const review = makeEvent({
  id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
  title: "Revue de contrat",
  start: "2026-11-24T08:00:00.000Z",
  end: "2026-11-24T09:00:00.000Z",
});

/** A fetch whose single answer the test gives when it wants, to look at the cache in between. */
function pendingFetch() {
  let answer: (response: Response) => void = () => {};
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    requests.push(`${init?.method} ${String(input)}`);
    return new Promise((resolve) => {
      answer = resolve;
    });
  };
  return { fetch, requests, answer: (response: Response) => answer(response) };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function setup(fetch: typeof globalThis.fetch) {
  const queryClient = new QueryClient();
  queryClient.setQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, thisWeek), { events: [review] });
  queryClient.setQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, nextWeek), { events: [] });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AgendaProvider baseUrl={baseUrl} queryClient={queryClient} fetch={fetch} timeZone="Europe/Paris">
      {children}
    </AgendaProvider>
  );
  const titlesIn = (range: typeof thisWeek) =>
    queryClient
      .getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, range))
      ?.events.map((event) => event.title);
  return { queryClient, wrapper, titlesIn };
}

describe("useUpdateEvent", () => {
  it("moves the event between cached weeks at once, then back when the server refuses", async () => {
    const server = pendingFetch();
    const { wrapper, titlesIn, queryClient } = setup(server.fetch);
    const { result } = renderHook(() => useUpdateEvent(), { wrapper });

    act(() => {
      result.current.mutate({
        id: review.id,
        changes: { start: "2026-12-01T09:00:00+01:00", end: "2026-12-01T10:00:00+01:00" },
      });
    });

    await waitFor(() => expect(titlesIn(nextWeek)).toEqual(["Revue de contrat"]));
    expect(titlesIn(thisWeek)).toEqual([]);
    expect(server.requests).toEqual([`PATCH ${baseUrl}/events/${review.id}`]);

    server.answer(json(409, { error: { code: "conflict", message: "The event changed meanwhile" } }));

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toMatchObject({ status: 409, code: "conflict" });
    expect(titlesIn(thisWeek)).toEqual(["Revue de contrat"]);
    expect(titlesIn(nextWeek)).toEqual([]);
    expect(queryClient.getQueryState(agendaQueryKeys.eventList(baseUrl, thisWeek))?.isInvalidated).toBe(true);
  });

  it("keeps the server's copy on success and marks every week stale", async () => {
    const server = pendingFetch();
    const { wrapper, queryClient } = setup(server.fetch);
    const { result } = renderHook(() => useUpdateEvent(), { wrapper });

    act(() => {
      result.current.mutate({ id: review.id, changes: { title: "Revue signée" } });
    });
    await waitFor(() => expect(server.requests).toHaveLength(1));
    server.answer(json(200, { ...review, title: "Revue signée (serveur)" }));

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const cached = queryClient.getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, thisWeek));
    expect(cached?.events[0]?.title).toBe("Revue signée (serveur)");
    expect(queryClient.getQueryState(agendaQueryKeys.eventList(baseUrl, nextWeek))?.isInvalidated).toBe(true);
  });
});

describe("useCreateEvent", () => {
  it("shows the new event only in the week it falls in, then removes it when the server refuses", async () => {
    const server = pendingFetch();
    const { wrapper, titlesIn } = setup(server.fetch);
    const { result } = renderHook(() => useCreateEvent(), { wrapper });

    act(() => {
      result.current.mutate({
        title: "Appel découverte",
        start: "2026-11-24T07:00:00+01:00",
        end: "2026-11-24T07:30:00+01:00",
        timeZone: "Europe/Paris",
      });
    });

    // Sorted by start: the call at 07:00 comes before the review at 09:00.
    await waitFor(() => expect(titlesIn(thisWeek)).toEqual(["Appel découverte", "Revue de contrat"]));
    expect(titlesIn(nextWeek)).toEqual([]);

    server.answer(
      json(400, {
        error: {
          code: "validation_failed",
          message: "Invalid event",
          details: [{ path: "title", message: "must not be empty" }],
        },
      }),
    );

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.validationIssues).toEqual([{ path: "title", message: "must not be empty" }]);
    expect(titlesIn(thisWeek)).toEqual(["Revue de contrat"]);
  });

  it("replaces the stand-in with the server's event on success", async () => {
    const server = pendingFetch();
    const { wrapper, queryClient } = setup(server.fetch);
    const { result } = renderHook(() => useCreateEvent(), { wrapper });
    const created = makeEvent({
      id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      title: "Appel découverte",
      start: "2026-11-24T06:00:00.000Z",
      end: "2026-11-24T06:30:00.000Z",
    });

    act(() => {
      result.current.mutate({
        title: created.title,
        start: created.start,
        end: created.end,
        timeZone: "Europe/Paris",
      });
    });
    await waitFor(() => expect(server.requests).toHaveLength(1));
    server.answer(json(201, created));

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const ids = queryClient
      .getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, thisWeek))
      ?.events.map((event) => event.id);
    expect(ids).toEqual([created.id, review.id]);
  });
});

describe("useDeleteEvent", () => {
  it("removes the event at once, then puts it back when the server refuses", async () => {
    const server = pendingFetch();
    const { wrapper, titlesIn } = setup(server.fetch);
    const { result } = renderHook(() => useDeleteEvent(), { wrapper });

    act(() => {
      result.current.mutate({ id: review.id });
    });

    await waitFor(() => expect(titlesIn(thisWeek)).toEqual([]));
    server.answer(json(403, { error: { code: "forbidden", message: "Not your event" } }));

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(titlesIn(thisWeek)).toEqual(["Revue de contrat"]);
  });

  it("keeps the event gone when the server agrees", async () => {
    const server = pendingFetch();
    const { wrapper, titlesIn } = setup(server.fetch);
    const { result } = renderHook(() => useDeleteEvent(), { wrapper });

    act(() => {
      result.current.mutate({ id: review.id });
    });
    await waitFor(() => expect(server.requests).toHaveLength(1));
    server.answer(new Response(null, { status: 204 }));

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(titlesIn(thisWeek)).toEqual([]);
  });
});
