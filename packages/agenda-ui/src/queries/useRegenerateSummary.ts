import type { EventSummary } from "@crm-agenda/shared";
import { useMutation } from "@tanstack/react-query";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import type { AgendaRequestError } from "../client/AgendaRequestError";
import { agendaQueryKeys } from "./agendaQueryKeys";

/** What {@link useRegenerateSummary} takes: the event's id. */
export interface RegenerateSummaryVariables {
  /** The event's id. */
  id: string;
}

/**
 * Asks the server to write an event's call summary again (also the retry of a failed one). On success
 * the summary's cache holds the server's answer, status `pending`, so {@link useSummaryStream} follows
 * the new summary. The server answers 409 (`conflict`) when the call has no transcript or a summary is
 * being written already.
 */
export function useRegenerateSummary() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  return useMutation<EventSummary, AgendaRequestError, RegenerateSummaryVariables>(
    {
      mutationFn: ({ id }) => client.request("regenerateEventSummary", { params: { id } }),
      onSuccess: (summary, { id }) => {
        queryClient.setQueryData(agendaQueryKeys.eventSummary(client.baseUrl, id), summary);
      },
    },
    queryClient,
  );
}
