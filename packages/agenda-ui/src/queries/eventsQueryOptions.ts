import type { CalendarEvent, EventList, ListEventsQuery } from "@crm-agenda/shared";
import { queryOptions } from "@tanstack/react-query";
import type { AgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "./agendaQueryKeys";

/** The events overlapping `range` (`from` inclusive, `to` exclusive), for `useQuery` or prefetching. */
export function eventsQueryOptions(client: AgendaClient, range: ListEventsQuery) {
  return queryOptions<EventList>({
    queryKey: agendaQueryKeys.eventList(client.baseUrl, range),
    queryFn: ({ signal }) => client.request("listEvents", { query: range, signal }),
  });
}

/** One event by its id, for `useQuery` or prefetching. */
export function eventQueryOptions(client: AgendaClient, id: string) {
  return queryOptions<CalendarEvent>({
    queryKey: agendaQueryKeys.event(client.baseUrl, id),
    queryFn: ({ signal }) => client.request("getEvent", { params: { id }, signal }),
  });
}
