import type { ListEventsQuery } from "@crm-agenda/shared";
import { useQuery } from "@tanstack/react-query";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import { eventQueryOptions, eventsQueryOptions } from "./eventsQueryOptions";

/** The signed-in user's events overlapping `range`, from every calendar and call. */
export function useEvents(range: ListEventsQuery) {
  return useQuery(eventsQueryOptions(useAgendaClient(), range), useAgendaQueryClient());
}

/** One event by its id; pass `undefined` to wait (the query stays idle). */
export function useEvent(id: string | undefined) {
  const client = useAgendaClient();
  return useQuery(
    { ...eventQueryOptions(client, id ?? ""), enabled: id !== undefined },
    useAgendaQueryClient(),
  );
}
