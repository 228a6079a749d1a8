import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaModule } from "../AgendaModule";
import { createAgendaWrites } from "../events/agendaWrites";
import type { EventStore } from "../events/eventStore";
import type { AgendaHooks, BookingPageOptions, ClientDirectory } from "../options";
import { mountBookingPageRoutes } from "./bookingPageRoutes";
import { createBookingTypeStore } from "./bookingTypeStore";
import { createBookingEngine } from "./createBookingEngine";
import { createRateLimiter } from "./createRateLimiter";
import { createGuestBookingStore } from "./guestBookingStore";

/** Default limits of the public routes: a person picking a slot stays far below them. */
export const defaultBookingRateLimits = {
  perIp: { burst: 30, perMinute: 30 },
  perLink: { burst: 120, perMinute: 120 },
} as const;

/** Public booking links: the owner's booking types and the routes a guest books, cancels and moves through. */
export function createBookingPagesModule(
  input: Parameters<typeof createAgendaWrites>[0] & {
    db: NodePgDatabase;
    events: EventStore;
    clients: ClientDirectory;
    hooks: AgendaHooks | undefined;
    options: BookingPageOptions | undefined;
    reportError(error: unknown): void;
  },
): AgendaModule {
  const engine = createBookingEngine({
    events: input.events,
    writes: createAgendaWrites(input),
    notify(change) {
      const hook = input.hooks?.onEventChanged;
      if (!hook) return;
      Promise.resolve()
        .then(() => hook(change))
        .catch((error) => input.reportError(error));
    },
  });
  const limits = {
    perIp: createRateLimiter(
      { ...defaultBookingRateLimits.perIp, ...input.options?.rateLimit?.perIp },
      input.now,
    ),
    perLink: createRateLimiter(
      { ...defaultBookingRateLimits.perLink, ...input.options?.rateLimit?.perLink },
      input.now,
    ),
  };
  return {
    mount(router, context) {
      mountBookingPageRoutes(router, context, {
        bookingTypes: createBookingTypeStore(input.db, input.tables, input.now),
        guestBookings: createGuestBookingStore(input.db, input.tables, input.now),
        engine,
        clients: input.clients,
        limits,
        now: input.now,
      });
    },
  };
}
