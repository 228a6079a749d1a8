import type { AgendaModule } from "../AgendaModule";
import { AgendaError } from "../errors";
import { defineRoute } from "../http/defineRoute";
import type { AgendaOptions, AgendaSession, Owner } from "../options";
import { type AvailabilityService, createAvailabilityService } from "./availabilityService";

/**
 * Availability and booking: the settings routes, `GET /availability` and `POST /bookings`. The
 * service is exposed for features that answer without a session (the public booking page).
 */
export function createAvailabilityModule(
  input: Parameters<typeof createAvailabilityService>[0] & { canBookFor: AgendaOptions["canBookFor"] },
): AgendaModule & { service: AvailabilityService } {
  const service = createAvailabilityService(input);

  /** Whose agenda a request is about: the session's own, or a colleague the host lets it book for. */
  async function ownerFor(session: AgendaSession, userId: string | undefined): Promise<Owner> {
    if (userId === undefined || userId === session.userId) {
      return { tenantId: session.tenantId, userId: session.userId };
    }
    // Only a user of the session's own tenant is ever asked about or reached.
    const allowed = (await input.canBookFor?.(session, userId)) === true;
    if (!allowed) {
      throw new AgendaError("forbidden", `you may not see or book the agenda of user ${userId}`, {
        details: [{ path: "userId", message: "not allowed by the host's canBookFor" }],
      });
    }
    return { tenantId: session.tenantId, userId };
  }

  return {
    service,
    mount(router, context) {
      defineRoute(router, context, "getAvailabilitySettings", async ({ session }) => {
        return { status: 200, body: await service.settings(session) };
      });

      defineRoute(router, context, "putAvailabilitySettings", async ({ session, body }) => {
        const owner = { tenantId: session.tenantId, userId: session.userId };
        return { status: 200, body: await service.saveSettings(owner, body) };
      });

      defineRoute(router, context, "getAvailability", async ({ session, query }) => {
        const owner = await ownerFor(session, query.userId);
        const answer = await service.freeSlots(
          owner,
          new Date(query.from),
          new Date(query.to),
          query.duration,
        );
        return { status: 200, body: answer };
      });

      defineRoute(router, context, "createBooking", async ({ session, body }) => {
        const owner = await ownerFor(session, body.userId);
        return { status: 201, body: { event: await service.book(owner, session, body) } };
      });
    },
  };
}
