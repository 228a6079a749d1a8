import type { EventChange, EventList, ListEventsQuery } from "@crm-agenda/shared";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { agendaQueryKeys } from "../queries/agendaQueryKeys";
import { createEventChangeBatcher } from "./createEventChangeBatcher";
import { makeEvent } from "./makeEvent";

const baseUrl = "/api/agenda";
const thisWeek = { from: "2026-11-23T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z" };
const nextWeek = { from: "2026-11-30T00:00:00.000Z", to: "2026-12-07T00:00:00.000Z" };
const lastMonth = { from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" };
const meeting = makeEvent({
  id: "0b6f3c2e-1d4a-4e5b-9c6d-7e8f9a0b1c2d",
  title: "Revue Dupont",
  start: "2026-11-25T09:00:00.000Z",
  end: "2026-11-25T10:00:00.000Z",
});
const other = makeEvent({
  id: "1c7a4d3f-2e5b-4f6c-8d7e-8f9a0b1c2d3e",
  title: "Point Martin",
  start: "2026-11-26T09:00:00.000Z",
  end: "2026-11-26T10:00:00.000Z",
});

// A weekly series begun in October: next week shows one of its occurrences, under an id of its own.
const seriesId = "3e9c6f5b-4a7d-4b8e-8f9a-0b1c2d3e4f5a";
const occurrence = makeEvent({
  id: `${seriesId}_20261202T090000Z`,
  seriesId,
  title: "Point hebdo",
  start: "2026-12-02T09:00:00.000Z",
  end: "2026-12-02T10:00:00.000Z",
});
const seriesRow = { start: "2026-10-07T09:00:00.000Z", end: "2026-10-07T10:00:00.000Z" };

/**
 * A cache holding three ranges, this week and next week on screen (observed) and last month not: each
 * read of a range is counted, with the fake clock's time.
 */
function setup() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } },
  });
  const reads = new Map<string, number[]>();
  const lists = new Map<string, EventList>([
    [thisWeek.from, { events: [meeting, other] }],
    [nextWeek.from, { events: [occurrence] }],
    [lastMonth.from, { events: [] }],
  ]);
  const options = (range: ListEventsQuery) => ({
    queryKey: agendaQueryKeys.eventList(baseUrl, range),
    queryFn: async () => {
      reads.set(range.from, [...(reads.get(range.from) ?? []), Date.now()]);
      return lists.get(range.from) ?? { events: [] };
    },
  });
  for (const range of [thisWeek, nextWeek, lastMonth]) {
    queryClient.setQueryData(agendaQueryKeys.eventList(baseUrl, range), lists.get(range.from));
  }
  const observers = [thisWeek, nextWeek].map((range) =>
    new QueryObserver(queryClient, options(range)).subscribe(() => {}),
  );
  const batcher = createEventChangeBatcher(queryClient, baseUrl);
  return {
    queryClient,
    batcher,
    readsOf: (range: ListEventsQuery) => reads.get(range.from) ?? [],
    isStale: (range: ListEventsQuery) =>
      queryClient.getQueryState(agendaQueryKeys.eventList(baseUrl, range))?.isInvalidated,
    dispose() {
      batcher.dispose();
      for (const unsubscribe of observers) unsubscribe();
      queryClient.clear();
    },
  };
}

const moved = (start: string, end: string): EventChange => ({
  type: "updated",
  eventId: meeting.id,
  before: { start: meeting.start, end: meeting.end },
  after: { start, end },
});

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-11-25T08:00:00.000Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createEventChangeBatcher", () => {
  it("reads a range on screen once for a burst of 100 changes to it, and leaves the other ranges alone", async () => {
    const cache = setup();
    for (let index = 0; index < 100; index += 1) {
      cache.batcher.change(
        moved("2026-11-25T09:00:00.000Z", `2026-11-25T10:${String(index % 60).padStart(2, "0")}:00.000Z`),
      );
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cache.readsOf(thisWeek)).toHaveLength(1);
    expect(cache.readsOf(nextWeek)).toHaveLength(0);
    expect(cache.readsOf(lastMonth)).toHaveLength(0);
    expect(cache.isStale(lastMonth)).toBe(false);
    cache.dispose();
  });

  it("reads a changed range 250 ms after the first change of a burst, the later ones joining it", async () => {
    const cache = setup();
    const first = Date.now();
    cache.batcher.change(moved("2026-11-25T11:00:00.000Z", "2026-11-25T12:00:00.000Z"));
    await vi.advanceTimersByTimeAsync(100);
    cache.batcher.change(moved("2026-11-25T13:00:00.000Z", "2026-11-25T14:00:00.000Z"));
    await vi.advanceTimersByTimeAsync(149);
    expect(cache.readsOf(thisWeek)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(cache.readsOf(thisWeek)).toEqual([first + 250]);
    cache.dispose();
  });

  it("reads a range at most once a second while changes keep coming for a second", async () => {
    const cache = setup();
    for (let index = 0; index < 100; index += 1) {
      cache.batcher.change(moved("2026-11-25T11:00:00.000Z", "2026-11-25T12:00:00.000Z"));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    const reads = cache.readsOf(thisWeek);
    expect(reads).toHaveLength(2);
    expect(reads[1]! - reads[0]!).toBeGreaterThanOrEqual(1_000);
    cache.dispose();
  });

  it("reads both ranges of an event moved from one to the other, and marks an off-screen range it enters as stale", async () => {
    const cache = setup();
    cache.batcher.change(moved("2026-12-01T09:00:00.000Z", "2026-12-01T10:00:00.000Z"));
    cache.batcher.change({
      type: "created",
      eventId: "2d8b5e4a-3f6c-4a7d-9e8f-9a0b1c2d3e4f",
      before: null,
      after: { start: "2026-10-12T09:00:00.000Z", end: "2026-10-12T10:00:00.000Z" },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(cache.readsOf(thisWeek)).toHaveLength(1);
    expect(cache.readsOf(nextWeek)).toHaveLength(1);
    // Not on screen: read when it is shown again, not now.
    expect(cache.readsOf(lastMonth)).toHaveLength(0);
    expect(cache.isStale(lastMonth)).toBe(true);
    cache.dispose();
  });

  it("takes a deleted event out of every range at once, without reading any", async () => {
    const cache = setup();
    cache.batcher.change({
      type: "deleted",
      eventId: meeting.id,
      before: { start: meeting.start, end: meeting.end },
      after: null,
    });
    expect(
      cache.queryClient.getQueryData<EventList>(agendaQueryKeys.eventList(baseUrl, thisWeek))?.events,
    ).toEqual([other]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cache.readsOf(thisWeek)).toHaveLength(0);
    cache.dispose();
  });

  it("reads the ranges showing a series' occurrences when the series changes or goes, though its own row lies elsewhere", async () => {
    const cache = setup();
    cache.batcher.change({ type: "updated", eventId: seriesId, before: seriesRow, after: seriesRow });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(cache.readsOf(nextWeek)).toHaveLength(1);
    expect(cache.readsOf(thisWeek)).toHaveLength(0);
    cache.batcher.change({ type: "deleted", eventId: seriesId, before: seriesRow, after: null });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cache.readsOf(nextWeek)).toHaveLength(2);
    expect(cache.readsOf(thisWeek)).toHaveLength(0);
    cache.dispose();
  });

  it("reads every range on screen once after a reset, however many came", async () => {
    const cache = setup();
    for (let index = 0; index < 10; index += 1) cache.batcher.reset();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cache.readsOf(thisWeek)).toHaveLength(1);
    expect(cache.readsOf(nextWeek)).toHaveLength(1);
    expect(cache.readsOf(lastMonth)).toHaveLength(0);
    expect(cache.isStale(lastMonth)).toBe(true);
    cache.dispose();
  });
});
