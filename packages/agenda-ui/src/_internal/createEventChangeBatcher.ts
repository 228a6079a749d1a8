import type { EventChange, EventList } from "@crm-agenda/shared";
import type { QueryClient } from "@tanstack/react-query";
import { agendaQueryKeys } from "../queries/agendaQueryKeys";
import { eventOverlapsRange, isEventListKey, writeEventToCaches } from "./optimisticEvents";

/** How changes are gathered before the cache is told. */
export interface ChangeBatching {
  /** Wait after the first change of a burst, so one sync's changes make one refresh. @default 250 */
  delayMs: number;
  /** Least time between two refreshes of the cache: a range is read again at most this often. @default 1_000 */
  minIntervalMs: number;
}

/**
 * Turns the live stream's changes into as few reads as possible: a deleted event leaves every cached
 * range at once (nothing to read); other changes are gathered, then each cached range showing the
 * event before or after it is invalidated once (TanStack Query reads again only the ranges on screen
 * and marks the others stale), with the changed events' own queries. `reset` invalidates them all.
 */
export function createEventChangeBatcher(
  queryClient: QueryClient,
  baseUrl: string,
  batching: ChangeBatching = { delayMs: 250, minIntervalMs: 1_000 },
) {
  let changes: EventChange[] = [];
  let resetAll = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = Number.NEGATIVE_INFINITY;

  const invalidate = (queryKey: readonly unknown[], exact = true) =>
    void queryClient.invalidateQueries({ queryKey, exact });

  function flush() {
    timer = undefined;
    lastFlush = Date.now();
    const gathered = changes;
    const everything = resetAll;
    changes = [];
    resetAll = false;
    if (everything) {
      invalidate(agendaQueryKeys.events(baseUrl), false);
      return;
    }
    for (const [queryKey, data] of queryClient.getQueriesData<EventList>({
      queryKey: agendaQueryKeys.eventLists(baseUrl),
    })) {
      if (!isEventListKey(queryKey)) continue;
      const range = queryKey[4];
      // A series' own row spans its first occurrence only: a range showing any of its occurrences
      // (named by their series) reads it again too.
      const shown = (change: EventChange) =>
        [change.before, change.after].some((span) => span !== null && eventOverlapsRange(span, range)) ||
        data?.events.some((event) => event.id === change.eventId || event.seriesId === change.eventId);
      if (gathered.some(shown)) invalidate(queryKey);
    }
    for (const id of new Set(gathered.map((change) => change.eventId))) {
      invalidate(agendaQueryKeys.event(baseUrl, id));
      invalidate(agendaQueryKeys.eventSummary(baseUrl, id));
    }
  }

  function showsSeries(seriesId: string) {
    return queryClient
      .getQueriesData<EventList>({ queryKey: agendaQueryKeys.eventLists(baseUrl) })
      .some(([, data]) => data?.events.some((event) => event.seriesId === seriesId));
  }

  function schedule() {
    if (timer !== undefined) return;
    timer = setTimeout(flush, Math.max(batching.delayMs, lastFlush + batching.minIntervalMs - Date.now()));
  }

  return {
    /** One change from the stream. */
    change(change: EventChange) {
      if (change.type === "deleted") writeEventToCaches(queryClient, baseUrl, change.eventId, undefined);
      // A deleted series leaves occurrences under ids of their own: the ranges showing them read again.
      if (change.type !== "deleted" || showsSeries(change.eventId)) {
        changes.push(change);
        schedule();
      }
    },
    /** Changes were missed: every cached range and event is read again. */
    reset() {
      resetAll = true;
      schedule();
    },
    /** Drops what is gathered, when the agenda closes. */
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
