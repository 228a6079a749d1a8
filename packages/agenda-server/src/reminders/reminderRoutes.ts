import {
  type CalendarEvent,
  occurrenceIdPattern,
  type ReminderAction,
  type ReminderAnswer,
} from "@crm-agenda/shared";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Request, Response, Router } from "express";
import type { Pool } from "pg";
import { inTransaction } from "../db/inTransaction";
import { AgendaError } from "../errors";
import { toCalendarEvent } from "../events/eventStore";
import type { LinkGuessLimit } from "../http/createLinkGuessLimit";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import { discardBody } from "../http/readBody";
import type { AgendaHooks } from "../options";
import type { OccurrenceReminders } from "./occurrenceReminders";
import type { ReminderLinkClaims, ReminderLinks } from "./reminderLinks";
import { type PageLanguage, reminderAnsweredPage, reminderErrorPage, reminderLinkPage } from "./reminderPage";
import type { ReminderStore } from "./reminderStore";

const attendanceOf = { confirm: "confirmed", cancel: "cancelled" } as const;

/** What a link is about (an event, or one occurrence of a series), as the agenda shows it now. */
interface Appointment {
  tenantId: string;
  userId: string;
  event: CalendarEvent;
}

function toAnswer(action: ReminderAction, { event }: Appointment): ReminderAnswer {
  return {
    action,
    title: event.title,
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    attendance: event.attendance ?? null,
  };
}

/**
 * The client's confirm and cancel links, proved by their signed token alone. `GET` only shows the
 * appointment and a button (mail scanners and link previews open links, and must not answer for the
 * client); the button's form `POST` records the answer. A browser gets pages in its language (French
 * or English), any other caller JSON. A cancel marks the attendance and tells the host through
 * `onEventChanged`; the event stays in the agenda for its user to decide. A link of an occurrence of
 * a series answers for that occurrence alone.
 */
export function mountReminderRoutes(
  router: Router,
  context: RouteContext,
  input: {
    links: ReminderLinks;
    store: ReminderStore;
    occurrences: OccurrenceReminders;
    pool: Pool;
    /** The budget of failed lookups per client address, shared with the other secret links. */
    linkGuesses: LinkGuessLimit;
    now: () => Date;
    notify(change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]): void;
  },
): void {
  const { links, store, occurrences } = input;
  const reads = drizzle(input.pool);

  /** The appointment the link names, when it still exists at the start the link was sent for. */
  function standing<Found extends Appointment>(appointment: Found | null, start: Date): Found {
    if (!appointment) {
      throw new AgendaError("not_found", "this appointment no longer exists; contact the organiser");
    }
    const { event } = appointment;
    if (Math.floor(Date.parse(event.start) / 1000) !== Math.floor(start.getTime() / 1000)) {
      throw new AgendaError(
        "conflict",
        `this appointment was moved to ${event.start}; use the links of the newer reminder`,
      );
    }
    return appointment;
  }

  /** The event or occurrence an id names; inside a transaction, an occurrence's series stays locked. */
  async function find(db: NodePgDatabase, eventId: string) {
    if (occurrenceIdPattern.test(eventId)) {
      const found = await occurrences.find(db, eventId);
      return found && { ...found.owner, event: found.event, occurrence: found };
    }
    const row = await store.event(eventId);
    return (
      row && { tenantId: row.tenantId, userId: row.userId, event: toCalendarEvent(row), occurrence: null }
    );
  }

  async function load(req: Request, res: Response, params: { token: string; action: ReminderAction }) {
    // Only a forged token counts against the address: an expired, moved or other-action link was ours.
    await input.linkGuesses.lookup(req, res, () => links.isSigned(params.token) || null);
    const claims = links.verify(params.token, params.action, input.now());
    return { claims, appointment: standing(await find(reads, claims.eventId), claims.start) };
  }

  /** Records the answer for the start the link was sent for; false when it was already that one. */
  async function answer(claims: ReminderLinkClaims, attendance: "confirmed" | "cancelled") {
    return inTransaction(input.pool, async (db) => {
      const found = standing(await find(db, claims.eventId), claims.start);
      if (found.occurrence) return occurrences.answer(db, found.occurrence, attendance);
      return store.answer(found.event.id, attendance, new Date(found.event.start), input.now());
    });
  }

  /** Answers a browser with a page, and anyone else with JSON (errors in the shared shape). */
  async function respond(
    req: Request,
    res: Response,
    work: () => Promise<ReminderAnswer>,
    render: (answer: ReminderAnswer, language: PageLanguage) => string,
  ) {
    // The token is in the address: keep it out of caches, referrers and search engines.
    res.set({ "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" });
    const html = req.accepts(["json", "html"]) === "html";
    const language: PageLanguage = req.acceptsLanguages("en", "fr") === "fr" ? "fr" : "en";
    try {
      const answer = await work();
      if (!html) return { status: 200, body: answer };
      res.status(200).type("html").send(render(answer, language));
      return undefined;
    } catch (error) {
      if (!html || !(error instanceof AgendaError)) throw error;
      res.status(error.status).type("html").send(reminderErrorPage(error, language));
      return undefined;
    }
  }

  defineRoute(router, context, "showReminderLink", async ({ req, res, params }) =>
    respond(
      req,
      res,
      async () => toAnswer(params.action, (await load(req, res, params)).appointment),
      reminderLinkPage,
    ),
  );

  defineRoute(router, context, "answerReminder", async ({ req, res, params }) => {
    // A form's fields, or any body: the token alone says what to do.
    await discardBody(req, context.bodyLimitBytes);
    return respond(
      req,
      res,
      async () => {
        const { claims, appointment } = await load(req, res, params);
        const changed = await answer(claims, attendanceOf[params.action]);
        const after = standing(await find(reads, claims.eventId), claims.start);
        if (changed) {
          input.notify({
            type: "updated",
            tenantId: appointment.tenantId,
            userId: appointment.userId,
            // As the agenda's own writes of an occurrence do: the series changed.
            eventId: appointment.event.seriesId ?? appointment.event.id,
          });
        }
        return toAnswer(params.action, after);
      },
      reminderAnsweredPage,
    );
  });
}
