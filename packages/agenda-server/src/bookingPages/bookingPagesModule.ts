import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaModule } from "../AgendaModule";
import type { AgendaTables } from "../db/schema";
import type { BookingPageOptions, ClientDirectory } from "../options";
import type { BookingEngine } from "./BookingEngine";
import { mountBookingPageRoutes } from "./bookingPageRoutes";
import { createBookingTypeStore } from "./bookingTypeStore";
import { createRateLimiter } from "./createRateLimiter";
import { createGuestBookingStore } from "./guestBookingStore";

/** Default limits of the public routes: a person picking a slot stays far below them. */
export const defaultBookingRateLimits = {
  perIp: { burst: 30, perMinute: 30 },
  perLink: { burst: 120, perMinute: 120 },
} as const;

/** Public booking links: the owner's booking types and the routes a guest books, cancels and moves through. */
export function createBookingPagesModule(input: {
  db: NodePgDatabase;
  tables: AgendaTables;
  engine: BookingEngine;
  clients: ClientDirectory;
  options: BookingPageOptions | undefined;
  now: () => Date;
}): AgendaModule {
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
        engine: input.engine,
        clients: input.clients,
        limits,
        now: input.now,
      });
    },
  };
}
