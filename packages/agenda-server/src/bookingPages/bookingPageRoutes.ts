import type { BookingQuestion } from "@crm-agenda/shared";
import type { Request, Response, Router } from "express";
import { AgendaError } from "../errors";
import { clientAddress } from "../http/clientAddress";
import type { LinkGuessLimit } from "../http/createLinkGuessLimit";
import type { RateLimiter } from "../http/createRateLimiter";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import { isJsonContentType } from "../http/readBody";
import { toICalendar } from "../ics/toICalendar";
import type { Owner } from "../options";
import type { BookingEngine, FreeSlot } from "./BookingEngine";
import type { BookingTypeStore } from "./bookingTypeStore";
import { type GuestBookingRow, type GuestBookingStore, toGuestBooking } from "./guestBookingStore";
import { newLinkToken } from "./linkTokens";

export interface BookingPageRoutesOptions {
  bookingTypes: BookingTypeStore;
  guestBookings: GuestBookingStore;
  engine: BookingEngine;
  limits: { perIp: RateLimiter; perLink: RateLimiter };
  /** The budget of failed lookups per client address, shared with the other secret links. */
  linkGuesses: LinkGuessLimit;
  now: () => Date;
}

const owner = (row: { tenantId: string; userId: string }): Owner => ({
  tenantId: row.tenantId,
  userId: row.userId,
});
const typeNotFound = (id: string) =>
  new AgendaError("not_found", `no booking type ${id} among yours; it may have been deleted`);
// One message for an unknown, mistyped, replaced or forged link: which of them it is, is nobody's business.
const linkNotFound = () =>
  new AgendaError(
    "not_found",
    "this booking link does not work: it may be mistyped, or its owner replaced it; ask them for a new one",
  );
const bookingLinkNotFound = () =>
  new AgendaError(
    "not_found",
    "this link to your booking does not work: check that it was copied whole from the confirmation",
  );
const slotTaken = () =>
  new AgendaError("slot_taken", "this time is no longer free; pick another slot among those shown");

/**
 * The owner's booking types (signed in), and the public routes of their links and of guests'
 * bookings. Public routes ask nothing of the host's session and answer only free slots, the type's
 * own public fields and the guest's own booking. Their writes need a JSON body but no same-origin
 * page, since a booking page may be served or embedded anywhere the owner publishes the link; each
 * is rate-limited per IP address and per link, and a token that finds nothing spends the address's
 * budget of failed lookups, shared with the other secret links.
 */
export function mountBookingPageRoutes(
  router: Router,
  context: RouteContext,
  options: BookingPageRoutesOptions,
): void {
  const { bookingTypes, guestBookings, engine, limits, linkGuesses, now } = options;
  const publicContext: RouteContext = {
    ...context,
    // The host's session plays no part here: a failing session store must not close the booking page.
    authenticate: async () => null,
    checkOrigin: requireJson,
  };

  defineRoute(router, context, "listBookingTypes", async ({ session }) => ({
    status: 200,
    body: { bookingTypes: await bookingTypes.list(session) },
  }));

  defineRoute(router, context, "createBookingType", async ({ session, body }) => ({
    status: 201,
    body: await bookingTypes.create(session, body),
  }));

  defineRoute(router, context, "updateBookingType", async ({ session, params, body }) => {
    const updated = await bookingTypes.update(session, params.id, body);
    if (!updated) throw typeNotFound(params.id);
    return { status: 200, body: updated };
  });

  defineRoute(router, context, "deleteBookingType", async ({ session, params }) => {
    if (!(await bookingTypes.remove(session, params.id))) throw typeNotFound(params.id);
    return { status: 204 };
  });

  defineRoute(router, context, "renewBookingLink", async ({ session, params }) => {
    const renewed = await bookingTypes.renewLink(session, params.id);
    if (!renewed) throw typeNotFound(params.id);
    return { status: 200, body: renewed };
  });

  function limit(req: Request, res: Response, link: string): void {
    limits.perIp.take(`ip:${clientAddress(req)}`, "from your address", res);
    limits.perLink.take(`link:${link}`, "on this link", res);
  }

  async function typeOfLink(req: Request, res: Response, token: string) {
    limit(req, res, token);
    const type = await linkGuesses.lookup(req, res, () => bookingTypes.byLinkToken(token));
    if (!type) throw linkNotFound();
    return type;
  }

  async function bookingOfLink(req: Request, res: Response, token: string) {
    limit(req, res, token);
    const booking = await linkGuesses.lookup(req, res, () => guestBookings.byManageToken(token));
    if (!booking) throw bookingLinkNotFound();
    return booking;
  }

  /** Free slots from now on only: a slot already begun, or in the past, is never offered. */
  async function slotsFor(who: Owner, from: Date, to: Date, durationMinutes: number): Promise<FreeSlot[]> {
    const earliest = new Date(Math.max(from.getTime(), now().getTime()));
    if (to <= earliest) return [];
    return engine.freeSlots(who, { from: earliest, to }, durationMinutes);
  }

  /** The slot starting exactly at `start`, if it is free; the client may only pick offered slots. */
  async function freeSlotAt(who: Owner, start: Date, durationMinutes: number): Promise<FreeSlot> {
    const end = new Date(start.getTime() + durationMinutes * 60_000);
    const slots = await slotsFor(who, start, end, durationMinutes);
    const slot = slots.find((candidate) => candidate.start.getTime() === start.getTime());
    if (!slot) throw slotTaken();
    return slot;
  }

  const slotList = (slots: FreeSlot[]) => ({
    slots: slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
  });

  defineRoute(router, publicContext, "getPublicBookingType", async ({ req, res, params }) => {
    const type = await typeOfLink(req, res, params.token);
    return {
      status: 200,
      body: {
        title: type.title,
        durationMinutes: type.durationMinutes,
        description: type.description,
        video: type.conference?.provider ?? null,
        questions: type.questions,
      },
    };
  });

  defineRoute(router, publicContext, "listPublicBookingSlots", async ({ req, res, params, query }) => {
    const type = await typeOfLink(req, res, params.token);
    const slots = await slotsFor(owner(type), new Date(query.from), new Date(query.to), type.durationMinutes);
    return { status: 200, body: slotList(slots) };
  });

  defineRoute(router, publicContext, "bookThroughLink", async ({ req, res, params, body }) => {
    const type = await typeOfLink(req, res, params.token);
    const answers = checkAnswers(type.questions, body.answers);
    const slot = await freeSlotAt(owner(type), new Date(body.start), type.durationMinutes);
    const booked = await engine.book(owner(type), {
      ownerEmail: type.ownerEmail,
      title: `${type.title} — ${body.name}`,
      description: describeBooking(type.questions, answers, body),
      start: slot.start,
      durationMinutes: type.durationMinutes,
      guest: { name: body.name, email: body.email },
      conference: type.conference,
    });
    const manageToken = newLinkToken();
    let row: GuestBookingRow;
    try {
      row = await guestBookings.insert(
        {
          tenantId: type.tenantId,
          userId: type.userId,
          bookingTypeId: type.id,
          eventId: booked.eventId,
          title: type.title,
          durationMinutes: type.durationMinutes,
          startAt: slot.start,
          endAt: slot.end,
          guestName: body.name,
          guestEmail: body.email,
          guestTimeZone: body.timeZone ?? "UTC",
          joinUrl: booked.joinUrl,
          answers,
        },
        manageToken,
      );
    } catch (error) {
      // An event whose guest cannot manage it would hold the slot with no way to give it back.
      await engine.cancel(owner(type), booked.eventId).catch(() => {});
      throw error;
    }
    return { status: 201, body: { booking: toGuestBooking(row), manageToken, ics: icsOf(row) } };
  });

  defineRoute(router, publicContext, "getGuestBooking", async ({ req, res, params }) => {
    const booking = await bookingOfLink(req, res, params.token);
    return { status: 200, body: { booking: toGuestBooking(booking), ics: icsOf(booking) } };
  });

  defineRoute(router, publicContext, "listGuestBookingSlots", async ({ req, res, params, query }) => {
    const booking = await bookingOfLink(req, res, params.token);
    if (booking.status === "cancelled") return { status: 200, body: { slots: [] } };
    const slots = await slotsFor(
      owner(booking),
      new Date(query.from),
      new Date(query.to),
      booking.durationMinutes,
    );
    return { status: 200, body: slotList(slots) };
  });

  defineRoute(router, publicContext, "cancelGuestBooking", async ({ req, res, params }) => {
    const booking = await bookingOfLink(req, res, params.token);
    if (booking.status === "cancelled") {
      return { status: 200, body: { booking: toGuestBooking(booking), ics: icsOf(booking) } };
    }
    if (booking.startAt <= now()) {
      throw new AgendaError(
        "conflict",
        "this appointment has already begun and can no longer be cancelled here",
      );
    }
    if (booking.eventId) await engine.cancel(owner(booking), booking.eventId);
    const cancelled = await guestBookings.cancelled(booking.id);
    return { status: 200, body: { booking: toGuestBooking(cancelled), ics: icsOf(cancelled) } };
  });

  defineRoute(router, publicContext, "rescheduleGuestBooking", async ({ req, res, params, body }) => {
    const booking = await bookingOfLink(req, res, params.token);
    if (booking.status === "cancelled" || !booking.eventId) {
      throw new AgendaError(
        "conflict",
        "this booking was cancelled; book a new time through the booking link",
      );
    }
    if (booking.startAt <= now()) {
      throw new AgendaError("conflict", "this appointment has already begun and can no longer be moved here");
    }
    const slot = await freeSlotAt(owner(booking), new Date(body.start), booking.durationMinutes);
    await engine.move(owner(booking), booking.eventId, slot);
    const moved = await guestBookings.moved(booking.id, slot, body.timeZone ?? booking.guestTimeZone);
    return { status: 200, body: { booking: toGuestBooking(moved), ics: icsOf(moved) } };
  });
}

/** Public writes need a JSON body, the one kind another site's plain form cannot send. */
function requireJson(req: Request): void {
  if (!isJsonContentType(req.headers["content-type"])) {
    throw new AgendaError(
      "csrf_rejected",
      `refused a ${req.method} sent as ${req.headers["content-type"] || "no content type"}: send it with the header Content-Type: application/json`,
    );
  }
}

/** The answers to the type's questions only, each required one given. */
function checkAnswers(questions: BookingQuestion[], given: Record<string, string>): Record<string, string> {
  const known = new Set(questions.map((question) => question.id));
  const issues = [
    ...Object.keys(given)
      .filter((id) => !known.has(id))
      .map((id) => ({ path: `answers.${id}`, message: "this booking link asks no such question" })),
    ...questions
      .filter((question) => question.required && !given[question.id]?.trim())
      .map((question) => ({
        path: `answers.${question.id}`,
        message: `an answer to "${question.label}" is required`,
      })),
  ];
  if (issues.length > 0) {
    throw new AgendaError(
      "validation_failed",
      `invalid body: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
      { details: issues },
    );
  }
  return Object.fromEntries(
    questions.flatMap((question) => {
      const answer = given[question.id]?.trim();
      return answer ? [[question.id, answer]] : [];
    }),
  );
}

function describeBooking(
  questions: BookingQuestion[],
  answers: Record<string, string>,
  guest: { name: string; email: string },
): string {
  const lines = questions.flatMap((question) =>
    answers[question.id] ? [`${question.label}\n${answers[question.id]}`] : [],
  );
  return [`${guest.name} <${guest.email}>`, ...lines].join("\n\n");
}

/** The guest's .ics, in the zone they booked in, with the same UID through every change. */
function icsOf(row: GuestBookingRow): string {
  const joinUrl = row.status === "cancelled" ? null : row.joinUrl;
  return toICalendar([
    {
      id: row.id,
      title: row.title,
      description: null,
      start: row.startAt.toISOString(),
      end: row.endAt.toISOString(),
      allDay: false,
      timeZone: row.guestTimeZone,
      location: null,
      conference: joinUrl ? { provider: "other", joinUrl } : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      cancelled: row.status === "cancelled",
    },
  ]);
}
