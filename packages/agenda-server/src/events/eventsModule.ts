import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaModule } from "../AgendaModule";
import type { AgendaHooks } from "../options";
import { type AgendaWrites, createAgendaWrites } from "./agendaWrites";
import { type EventRoutesOptions, mountEventRoutes } from "./eventRoutes";
import { createEventStore, type EventStore } from "./eventStore";

/**
 * The agenda's events as one module: the event store, and the event routes whose writes commit with
 * their outbound sync jobs; the host's `onEventChanged` hears each change without holding it up.
 */
export function createEventsModule(
  input: Parameters<typeof createAgendaWrites>[0] &
    Pick<EventRoutesOptions, "clients" | "zoomMeetings"> & {
      db: NodePgDatabase;
      hooks: AgendaHooks | undefined;
      reportError(error: unknown): void;
    },
): AgendaModule & {
  store: EventStore;
  /** Shared with other features writing events (bookings), so their writes sync out and are heard too. */
  writes: AgendaWrites;
  /** Tells the host's `onEventChanged` of a change made elsewhere (a booking, a client's answer to a reminder). */
  notify: EventRoutesOptions["notify"];
} {
  const store = createEventStore(input.db, input.tables, input.now);
  const writes = createAgendaWrites(input);
  const notify: EventRoutesOptions["notify"] = (change) => {
    const hook = input.hooks?.onEventChanged;
    if (!hook) return;
    Promise.resolve()
      .then(() => hook(change))
      .catch((error) => input.reportError(error));
  };
  return {
    store,
    writes,
    notify,
    mount(router, context) {
      mountEventRoutes(router, context, {
        events: store,
        writes,
        clients: input.clients,
        ...(input.zoomMeetings && { zoomMeetings: input.zoomMeetings }),
        notify,
      });
    },
  };
}
