import type { ConnectionList } from "@crm-agenda/shared";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import { type AgendaRequestError, isAgendaRequestError } from "../client/AgendaRequestError";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { connectionsQueryOptions } from "./connectionsQueryOptions";

/** The signed-in user's connected Zoom, Google and Microsoft accounts. */
export function useConnections() {
  return useQuery(connectionsQueryOptions(useAgendaClient()), useAgendaQueryClient());
}

/** What {@link useDisconnect} takes: the connection's id. */
export interface DisconnectVariables {
  /** The connection's id. */
  id: string;
}

/**
 * Disconnects an account: the server revokes access at the provider and deletes the tokens. The
 * account leaves the list at once and comes back if the server refuses; a 404 (already gone) counts
 * as done.
 */
export function useDisconnect() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const queryKey = agendaQueryKeys.connections(client.baseUrl);
  return useMutation<undefined, AgendaRequestError, DisconnectVariables, ConnectionList | undefined>(
    {
      mutationFn: ({ id }) => client.request("deleteConnection", { params: { id } }),
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey });
        const previous = queryClient.getQueryData<ConnectionList>(queryKey);
        if (previous !== undefined) {
          queryClient.setQueryData<ConnectionList>(queryKey, {
            connections: previous.connections.filter((connection) => connection.id !== id),
          });
        }
        return previous;
      },
      onError: (error, _variables, previous) => {
        if (isAgendaRequestError(error) && error.code === "not_found") return;
        if (previous !== undefined) queryClient.setQueryData(queryKey, previous);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey }),
    },
    queryClient,
  );
}
