import type { CalendarEvent, EventList, ListEventsQuery } from "@crm-agenda/shared";
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { agendaQueryKeys } from "../queries/agendaQueryKeys";

/** What every cached events query held before an optimistic change, to put back if the server refuses. */
export type EventCacheSnapshot = ReadonlyArray<readonly [QueryKey, unknown]>;

const optimisticIdPrefix = "optimistic-";

/** A stand-in id for an event the server has not created yet. */
export function createOptimisticId(): string {
  return `${optimisticIdPrefix}${globalThis.crypto.randomUUID()}`;
}

/** True for the stand-in of an event still being created. */
export function isOptimisticEvent(event: Pick<CalendarEvent, "id">): boolean {
  return event.id.startsWith(optimisticIdPrefix);
}

/** True when `event` belongs in the list of `range`, as the server decides: it overlaps `[from, to)`. */
export function eventOverlapsRange(
  event: Pick<CalendarEvent, "start" | "end">,
  range: ListEventsQuery,
): boolean {
  const start = Date.parse(event.start);
  const end = Date.parse(event.end);
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  return start < to && (end > from || (end === start && start >= from));
}

/** `events` without the event `id`, then with `replacement` in start order if it falls in `range`. */
export function placeEvent(
  events: readonly CalendarEvent[],
  id: string,
  replacement: CalendarEvent | undefined,
  range: ListEventsQuery,
): CalendarEvent[] {
  const others = events.filter((event) => event.id !== id);
  if (replacement === undefined || !eventOverlapsRange(replacement, range)) return others;
  const replacementStart = Date.parse(replacement.start);
  const index = others.findIndex((event) => Date.parse(event.start) > replacementStart);
  return index === -1
    ? [...others, replacement]
    : [...others.slice(0, index), replacement, ...others.slice(index)];
}

export function isEventListKey(
  key: QueryKey,
): key is readonly ["agenda", string, "events", "list", ListEventsQuery] {
  return key[3] === "list" && typeof key[4] === "object" && key[4] !== null;
}

/**
 * Stops the agenda's in-flight event fetches (so they cannot overwrite the change) and remembers what
 * every cached events query holds.
 */
export async function snapshotEventCaches(
  queryClient: QueryClient,
  baseUrl: string,
): Promise<EventCacheSnapshot> {
  const queryKey = agendaQueryKeys.events(baseUrl);
  await queryClient.cancelQueries({ queryKey });
  return queryClient.getQueriesData({ queryKey });
}

/** Puts every events query back as it was in `snapshot`. */
export function restoreEventCaches(queryClient: QueryClient, snapshot: EventCacheSnapshot): void {
  for (const [queryKey, data] of snapshot) queryClient.setQueryData(queryKey, data);
}

/**
 * Writes `replacement` (or removes the event when it is undefined) into every cached range of events
 * of the agenda at `baseUrl`, and into the cache of the event itself.
 */
export function writeEventToCaches(
  queryClient: QueryClient,
  baseUrl: string,
  id: string,
  replacement: CalendarEvent | undefined,
): void {
  for (const [queryKey, data] of queryClient.getQueriesData<EventList>({
    queryKey: agendaQueryKeys.eventLists(baseUrl),
  })) {
    if (data === undefined || !isEventListKey(queryKey)) continue;
    queryClient.setQueryData<EventList>(queryKey, {
      ...data,
      events: placeEvent(data.events, id, replacement, queryKey[4]),
    });
  }
  const detailKey = agendaQueryKeys.event(baseUrl, id);
  if (replacement === undefined) queryClient.removeQueries({ queryKey: detailKey, exact: true });
  else if (!isOptimisticEvent(replacement))
    queryClient.setQueryData(agendaQueryKeys.event(baseUrl, replacement.id), replacement);
}

/** The cached copy of an event, from its own query or any cached range. */
export function findCachedEvent(
  queryClient: QueryClient,
  baseUrl: string,
  id: string,
): CalendarEvent | undefined {
  const detail = queryClient.getQueryData<CalendarEvent>(agendaQueryKeys.event(baseUrl, id));
  if (detail !== undefined) return detail;
  for (const [, data] of queryClient.getQueriesData<EventList>({
    queryKey: agendaQueryKeys.eventLists(baseUrl),
  })) {
    const found = data?.events.find((event) => event.id === id);
    if (found !== undefined) return found;
  }
  return undefined;
}
