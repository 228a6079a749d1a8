import type { Connection, ConnectionList, UpdateConnectionInput } from "@crm-agenda/shared";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import { type AgendaRequestError, isAgendaRequestError } from "../client/AgendaRequestError";
import { agendaQueryKeys } from "./agendaQueryKeys";
import { connectionCalendarsQueryOptions, connectionsQueryOptions } from "./connectionsQueryOptions";

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

/** The calendars of a connected Google or Microsoft account; fetched only while `enabled`. */
export function useConnectionCalendars(id: string, options: { enabled?: boolean } = {}) {
  return useQuery(
    { ...connectionCalendarsQueryOptions(useAgendaClient(), id), enabled: options.enabled ?? true },
    useAgendaQueryClient(),
  );
}

/** What {@link useUpdateConnection} takes: the connection's id and the settings to change. */
export interface UpdateConnectionVariables extends UpdateConnectionInput {
  /** The connection's id. */
  id: string;
}

/**
 * Chooses the calendar a connection syncs, or whether the agenda's events are written to it. The
 * list of connections (and of calendars) is read again once the server has answered.
 */
export function useUpdateConnection() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const queryKey = agendaQueryKeys.connections(client.baseUrl);
  return useMutation<Connection, AgendaRequestError, UpdateConnectionVariables>(
    {
      mutationFn: ({ id, ...body }) => client.request("updateConnection", { params: { id }, body }),
      onSuccess: (updated) => {
        const previous = queryClient.getQueryData<ConnectionList>(queryKey);
        if (previous !== undefined) {
          queryClient.setQueryData<ConnectionList>(queryKey, {
            connections: previous.connections.map((connection) =>
              connection.id === updated.id ? updated : connection,
            ),
          });
        }
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey }),
    },
    queryClient,
  );
}
