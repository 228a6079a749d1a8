import type { CrmClientList } from "@crm-agenda/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import type { AgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { retryWhenTransient } from "./eventsQueryOptions";

/** The host's CRM clients matching `q` (`GET /clients?q=`), for `useQuery` or prefetching. */
export function clientSearchQueryOptions(client: AgendaClient, q: string) {
  const query = q.trim();
  return queryOptions<CrmClientList>({
    queryKey: agendaQueryKeys.clientSearch(client.baseUrl, query),
    queryFn: ({ signal }) => client.request("searchClients", { query: { q: query }, signal }),
    retry: retryWhenTransient,
    staleTime: 60_000,
  });
}

/**
 * Searches the host's CRM clients, for the client picker. While a new search runs, the last answer
 * stays (`isPlaceholderData` is true), so the list does not flicker as the person types.
 * @param options.enabled - search only while the picker is open. @default true
 */
export function useClientSearch(q: string, options: { enabled?: boolean } = {}) {
  return useQuery(
    {
      ...clientSearchQueryOptions(useAgendaClient(), q),
      enabled: options.enabled ?? true,
      placeholderData: keepPreviousData,
    },
    useAgendaQueryClient(),
  );
}
