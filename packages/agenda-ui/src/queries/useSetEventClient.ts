import type { CalendarEvent, ClientMatch, CrmClient } from "@crm-agenda/shared";
import { useMutation } from "@tanstack/react-query";
import {
  type EventCacheSnapshot,
  findCachedEvent,
  restoreEventCaches,
  snapshotEventCaches,
  writeEventToCaches,
} from "../_internal/optimisticEvents";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import type { AgendaRequestError } from "../client/AgendaRequestError";
import { agendaQueryKeys } from "./agendaQueryKeys";

/** What {@link useSetEventClient} takes: the event and the client to link it to, or `null` to clear. */
export interface SetEventClientVariables {
  /** The event's id. */
  id: string;
  /** The CRM client chosen by the person, or `null` to say the event is about no client. */
  client: Pick<CrmClient, "id" | "name"> | null;
}

/**
 * Corrects the CRM client of an event by hand (`PUT /events/:id/client`). Every cached copy of the
 * event shows the new client at once, matched `manual` (or no client), and goes back to the previous
 * match if the server refuses.
 */
export function useSetEventClient() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { baseUrl } = client;
  return useMutation<CalendarEvent, AgendaRequestError, SetEventClientVariables, EventCacheSnapshot>(
    {
      mutationFn: ({ id, client: chosen }) =>
        client.request("setEventClient", { params: { id }, body: { clientId: chosen?.id ?? null } }),
      onMutate: async ({ id, client: chosen }) => {
        const snapshot = await snapshotEventCaches(queryClient, baseUrl);
        const current = findCachedEvent(queryClient, baseUrl, id);
        const clientMatch: ClientMatch =
          chosen === null
            ? { clientId: null, clientName: null, method: "none" }
            : { clientId: chosen.id, clientName: chosen.name, method: "manual" };
        if (current !== undefined) writeEventToCaches(queryClient, baseUrl, id, { ...current, clientMatch });
        return snapshot;
      },
      onError: (_error, _variables, snapshot) => {
        if (snapshot !== undefined) restoreEventCaches(queryClient, snapshot);
      },
      onSuccess: (updated) => writeEventToCaches(queryClient, baseUrl, updated.id, updated),
      onSettled: (_data, _error, { id }) =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: agendaQueryKeys.eventLists(baseUrl) }),
          queryClient.invalidateQueries({ queryKey: agendaQueryKeys.event(baseUrl, id) }),
        ]),
    },
    queryClient,
  );
}
