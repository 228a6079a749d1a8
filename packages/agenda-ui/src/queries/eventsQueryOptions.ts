import type { CalendarEvent, EventList, ListEventsQuery } from "@crm-agenda/shared";
import { queryOptions } from "@tanstack/react-query";
import { isAgendaRequestError } from "../client/AgendaRequestError";
import type { AgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "./agendaQueryKeys";

/**
 * Tries again twice when the failure may pass (network, 5xx, 429); an answer such as 401 or 404 will
 * not change, and retrying would only keep the person waiting before they see why.
 */
export function retryWhenTransient(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isAgendaRequestError(error)) return false;
  return ["network_error", "unavailable", "rate_limited", "internal"].includes(error.code);
}

/** The events overlapping `range` (`from` inclusive, `to` exclusive), for `useQuery` or prefetching. */
export function eventsQueryOptions(client: AgendaClient, range: ListEventsQuery) {
  return queryOptions<EventList>({
    queryKey: agendaQueryKeys.eventList(client.baseUrl, range),
    queryFn: ({ signal }) => client.request("listEvents", { query: range, signal }),
    retry: retryWhenTransient,
  });
}

/** One event by its id, for `useQuery` or prefetching. */
export function eventQueryOptions(client: AgendaClient, id: string) {
  return queryOptions<CalendarEvent>({
    queryKey: agendaQueryKeys.event(client.baseUrl, id),
    queryFn: ({ signal }) => client.request("getEvent", { params: { id }, signal }),
    retry: retryWhenTransient,
  });
}
