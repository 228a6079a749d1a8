import type { ConnectionList, ProviderCalendarList } from "@crm-agenda/shared";
import { queryOptions } from "@tanstack/react-query";
import type { AgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { retryWhenTransient } from "./eventsQueryOptions";

/** The signed-in user's connected accounts, for `useQuery` or prefetching. */
export function connectionsQueryOptions(client: AgendaClient) {
  return queryOptions<ConnectionList>({
    queryKey: agendaQueryKeys.connections(client.baseUrl),
    queryFn: ({ signal }) => client.request("listConnections", { signal }),
    retry: retryWhenTransient,
  });
}

/** The calendars of one connected Google or Microsoft account, the synced one `selected`. */
export function connectionCalendarsQueryOptions(client: AgendaClient, id: string) {
  return queryOptions<ProviderCalendarList>({
    queryKey: agendaQueryKeys.connectionCalendars(client.baseUrl, id),
    queryFn: ({ signal }) => client.request("listConnectionCalendars", { params: { id }, signal }),
    retry: retryWhenTransient,
  });
}
