import { bookingRoutes } from "@crm-agenda/shared/routes";
import { useMemo } from "react";
import { type AgendaClient, createAgendaClient } from "../client/createAgendaClient";

/** The agenda client with the booking routes, which the main entry's client leaves out. */
export function useBookingClient(baseUrl: string, fetch: typeof globalThis.fetch | undefined): AgendaClient {
  return useMemo(() => createAgendaClient({ baseUrl, fetch, extraRoutes: bookingRoutes }), [baseUrl, fetch]);
}
