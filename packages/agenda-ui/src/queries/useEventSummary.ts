import type { EventSummary } from "@crm-agenda/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { isEventSummary } from "../_internal/answerShapes";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import { AgendaRequestError } from "../client/AgendaRequestError";
import type { AgendaClient } from "../client/createAgendaClient";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { retryWhenTransient } from "./eventsQueryOptions";

/**
 * The call summary of one event and its status, for `useQuery` or prefetching. Its key,
 * `['agenda', baseUrl, 'events', 'summary', id]`, is the one {@link useSummaryStream} writes each
 * `summary` message to. The answer's shape is checked, so a router mounted elsewhere
 * than `baseUrl` shows as an error instead of an empty panel.
 */
export function eventSummaryQueryOptions(client: AgendaClient, id: string) {
  return queryOptions<EventSummary>({
    queryKey: agendaQueryKeys.eventSummary(client.baseUrl, id),
    queryFn: async ({ signal }) => {
      const body = await client.request("getEventSummary", { params: { id }, signal });
      if (!isEventSummary(body)) {
        throw new AgendaRequestError({
          status: 200,
          code: "invalid_response",
          message: `The agenda server's summary of event ${id} does not have the EventSummary shape`,
        });
      }
      return body;
    },
    retry: retryWhenTransient,
  });
}

/**
 * The call summary of one event: its status (`none`, `pending`, `waiting_for_ai`, `in_progress`,
 * `ready`, `failed`), the summary once ready, the reason when it failed and the transcript's link.
 * Pair it with {@link useSummaryStream} to follow a summary while it is written.
 */
export function useEventSummary(id: string) {
  return useQuery(eventSummaryQueryOptions(useAgendaClient(), id), useAgendaQueryClient());
}
