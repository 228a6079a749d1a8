import type { ListEventsQuery } from "@crm-agenda/shared";

/**
 * The TanStack Query keys of the agenda. Every key starts with `['agenda', baseUrl]`, so two agendas
 * mounted at different URLs never read each other's cache even in one shared QueryClient.
 */
export const agendaQueryKeys = {
  /** Everything the agenda at `baseUrl` caches. */
  all: (baseUrl: string) => ["agenda", baseUrl] as const,
  /** Every event list and every single event. */
  events: (baseUrl: string) => ["agenda", baseUrl, "events"] as const,
  /** Every event list, whatever its range. */
  eventLists: (baseUrl: string) => ["agenda", baseUrl, "events", "list"] as const,
  /** The events of one range. */
  eventList: (baseUrl: string, range: ListEventsQuery) =>
    ["agenda", baseUrl, "events", "list", { from: range.from, to: range.to }] as const,
  /** The signed-in user's connected Zoom, Google and Microsoft accounts. */
  connections: (baseUrl: string) => ["agenda", baseUrl, "connections"] as const,
  /** The calendars of one connected account, for choosing the one the agenda writes to. */
  connectionCalendars: (baseUrl: string, id: string) =>
    ["agenda", baseUrl, "connections", id, "calendars"] as const,
  /** One event. */
  event: (baseUrl: string, id: string) => ["agenda", baseUrl, "events", "detail", id] as const,
  /** The call summary of one event. */
  eventSummary: (baseUrl: string, id: string) => ["agenda", baseUrl, "events", "summary", id] as const,
  /** The CRM clients matching one search, for the client picker. */
  clientSearch: (baseUrl: string, q: string) => ["agenda", baseUrl, "clients", { q }] as const,
};
