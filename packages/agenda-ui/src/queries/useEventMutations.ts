import type {
  Attendee,
  CalendarEvent,
  CreateEventInput,
  SeriesScope,
  UpdateEventInput,
} from "@crm-agenda/shared";
import { useMutation } from "@tanstack/react-query";
import {
  createOptimisticId,
  type EventCacheSnapshot,
  findCachedEvent,
  restoreEventCaches,
  snapshotEventCaches,
  writeEventToCaches,
} from "../_internal/optimisticEvents";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import type { AgendaRequestError } from "../client/AgendaRequestError";
import { agendaQueryKeys } from "./agendaQueryKeys";

interface CreateContext {
  snapshot: EventCacheSnapshot;
  optimisticId: string;
}

/**
 * Creates an event in the CRM agenda. It shows at once in every cached week it falls in, is replaced
 * by the server's copy on success, and disappears again if the server refuses.
 */
export function useCreateEvent() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { baseUrl } = client;
  return useMutation<CalendarEvent, AgendaRequestError, CreateEventInput, CreateContext>(
    {
      mutationFn: (input) => client.request("createEvent", { body: input }),
      onMutate: async (input) => {
        const snapshot = await snapshotEventCaches(queryClient, baseUrl);
        const optimisticId = createOptimisticId();
        writeEventToCaches(queryClient, baseUrl, optimisticId, optimisticEvent(optimisticId, input));
        return { snapshot, optimisticId };
      },
      onError: (_error, _input, context) => {
        if (context !== undefined) restoreEventCaches(queryClient, context.snapshot);
      },
      onSuccess: (created, _input, context) => {
        writeEventToCaches(queryClient, baseUrl, context.optimisticId, undefined);
        writeEventToCaches(queryClient, baseUrl, created.id, created);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: agendaQueryKeys.events(baseUrl) }),
    },
    queryClient,
  );
}

/** What {@link useUpdateEvent} takes: the event's id and the fields to change. */
export interface UpdateEventVariables {
  /** The event's id. */
  id: string;
  /** Only the fields to change. */
  changes: UpdateEventInput;
}

/**
 * Changes some fields of an event. Every cached week shows the change at once (an event moved to
 * another week leaves the first and joins the second), and goes back if the server refuses.
 */
export function useUpdateEvent() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { baseUrl } = client;
  return useMutation<CalendarEvent, AgendaRequestError, UpdateEventVariables, EventCacheSnapshot>(
    {
      mutationFn: ({ id, changes }) => client.request("updateEvent", { params: { id }, body: changes }),
      onMutate: async ({ id, changes }) => {
        const snapshot = await snapshotEventCaches(queryClient, baseUrl);
        const current = findCachedEvent(queryClient, baseUrl, id);
        if (current !== undefined)
          writeEventToCaches(queryClient, baseUrl, id, applyChanges(current, changes));
        return snapshot;
      },
      onError: (_error, _variables, snapshot) => {
        if (snapshot !== undefined) restoreEventCaches(queryClient, snapshot);
      },
      // A change to a whole series answers with the series, not the occurrence: the refetch shows it.
      onSuccess: (updated, { id }) => {
        if (updated.id === id) writeEventToCaches(queryClient, baseUrl, updated.id, updated);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: agendaQueryKeys.events(baseUrl) }),
    },
    queryClient,
  );
}

/** What {@link useDeleteEvent} takes: the event's id. */
export interface DeleteEventVariables {
  /** The event's id. */
  id: string;
  /** For an occurrence of a series: which of its events go. @default "this" */
  scope?: SeriesScope;
}

/** Deletes an event. It leaves every cached week at once and comes back if the server refuses. */
export function useDeleteEvent() {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const { baseUrl } = client;
  return useMutation<undefined, AgendaRequestError, DeleteEventVariables, EventCacheSnapshot>(
    {
      mutationFn: ({ id, scope }) =>
        client.request("deleteEvent", { params: { id }, ...(scope && { query: { scope } }) }),
      onMutate: async ({ id }) => {
        const snapshot = await snapshotEventCaches(queryClient, baseUrl);
        writeEventToCaches(queryClient, baseUrl, id, undefined);
        return snapshot;
      },
      onError: (_error, _variables, snapshot) => {
        if (snapshot !== undefined) restoreEventCaches(queryClient, snapshot);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: agendaQueryKeys.events(baseUrl) }),
    },
    queryClient,
  );
}

function optimisticEvent(id: string, input: CreateEventInput): CalendarEvent {
  const now = new Date().toISOString();
  return {
    id,
    title: input.title.trim(),
    description: input.description ?? null,
    start: input.start,
    end: input.end,
    allDay: input.allDay ?? false,
    timeZone: input.timeZone,
    location: input.location ?? null,
    conference: input.conference ?? null,
    attendees: (input.attendees ?? []).map(withResponseStatus),
    source: "crm",
    clientMatch: { clientId: null, clientName: null, method: "none" },
    summaryStatus: "none",
    createdAt: now,
    updatedAt: now,
  };
}

function applyChanges(event: CalendarEvent, changes: UpdateEventInput): CalendarEvent {
  return {
    ...event,
    title: changes.title?.trim() ?? event.title,
    description: changes.description === undefined ? event.description : changes.description,
    start: changes.start ?? event.start,
    end: changes.end ?? event.end,
    allDay: changes.allDay ?? event.allDay,
    timeZone: changes.timeZone ?? event.timeZone,
    location: changes.location === undefined ? event.location : changes.location,
    conference: changes.conference === undefined ? event.conference : changes.conference,
    attendees: changes.attendees === undefined ? event.attendees : changes.attendees.map(withResponseStatus),
  };
}

function withResponseStatus(attendee: NonNullable<CreateEventInput["attendees"]>[number]): Attendee {
  return { ...attendee, responseStatus: attendee.responseStatus ?? "needsAction" };
}
