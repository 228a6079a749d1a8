import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaModule } from "../AgendaModule";
import type { AvailabilityService } from "../availability/availabilityService";
import type { AgendaTables } from "../db/schema";
import type { AgendaWrites } from "../events/agendaWrites";
import type { EventRoutesOptions } from "../events/eventRoutes";
import type { LinkGuessLimit } from "../http/createLinkGuessLimit";
import { createRateLimiter } from "../http/createRateLimiter";
import type { BookingPageOptions } from "../options";
import { mountBookingPageRoutes } from "./bookingPageRoutes";
import { createBookingTypeStore } from "./bookingTypeStore";
import { createBookingEngine } from "./createBookingEngine";
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
  availability: AvailabilityService;
  writes: AgendaWrites;
  notify: EventRoutesOptions["notify"];
  options: BookingPageOptions | undefined;
  linkGuesses: LinkGuessLimit;
  now: () => Date;
}): AgendaModule {
  const engine = createBookingEngine(input);
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
        limits,
        linkGuesses: input.linkGuesses,
        now: input.now,
      });
    },
  };
}
