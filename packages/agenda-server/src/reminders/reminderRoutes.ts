import type { ReminderAction, ReminderAnswer } from "@crm-agenda/shared";
import type { Request, Response, Router } from "express";
import type { AgendaTables } from "../db/schema";
import { AgendaError } from "../errors";
import { currentAttendance } from "../events/eventStore";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import { discardBody } from "../http/readBody";
import type { AgendaHooks } from "../options";
import type { ReminderLinks } from "./reminderLinks";
import { type PageLanguage, reminderAnsweredPage, reminderErrorPage, reminderLinkPage } from "./reminderPage";
import type { ReminderStore } from "./reminderStore";

type EventRow = AgendaTables["events"]["$inferSelect"];

const attendanceOf = { confirm: "confirmed", cancel: "cancelled" } as const;

function toAnswer(action: ReminderAction, event: EventRow): ReminderAnswer {
  return {
    action,
    title: event.title,
    start: event.startAt.toISOString(),
    end: event.endAt.toISOString(),
    timeZone: event.timeZone,
    attendance: currentAttendance(event) ?? null,
  };
}

/**
 * The client's confirm and cancel links, proved by their signed token alone. `GET` only shows the
 * appointment and a button (mail scanners and link previews open links, and must not answer for the
 * client); the button's form `POST` records the answer. A browser gets pages in its language (French
 * or English), any other caller JSON. A cancel marks the attendance and tells the host through
 * `onEventChanged`; the event stays in the agenda for its user to decide.
 */
export function mountReminderRoutes(
  router: Router,
  context: RouteContext,
  input: {
    links: ReminderLinks;
    store: ReminderStore;
    now: () => Date;
    notify(change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]): void;
  },
): void {
  const { links, store } = input;

  /** The event the link names, when it still exists at the start the link was sent for. */
  function standing(event: EventRow | null, start: Date): EventRow {
    if (!event) {
      throw new AgendaError("not_found", "this appointment no longer exists; contact the organiser");
    }
    if (Math.floor(event.startAt.getTime() / 1000) !== Math.floor(start.getTime() / 1000)) {
      throw new AgendaError(
        "conflict",
        `this appointment was moved to ${event.startAt.toISOString()}; use the links of the newer reminder`,
      );
    }
    return event;
  }

  async function load(params: { token: string; action: ReminderAction }) {
    const claims = links.verify(params.token, params.action, input.now());
    return { claims, event: standing(await store.event(claims.eventId), claims.start) };
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
    respond(req, res, async () => toAnswer(params.action, (await load(params)).event), reminderLinkPage),
  );

  defineRoute(router, context, "answerReminder", async ({ req, res, params }) => {
    // A form's fields, or any body: the token alone says what to do.
    await discardBody(req, context.bodyLimitBytes);
    return respond(
      req,
      res,
      async () => {
        const { claims, event } = await load(params);
        const attendance = attendanceOf[params.action];
        const changed = await store.answer(event.id, attendance, event.startAt, input.now());
        // Moved or deleted between the check and the answer, the answer was not recorded: say why.
        const after = standing(await store.event(event.id), claims.start);
        if (changed) {
          input.notify({
            type: "updated",
            tenantId: event.tenantId,
            userId: event.userId,
            eventId: event.id,
          });
        }
        return toAnswer(params.action, after);
      },
      reminderAnsweredPage,
    );
  });
}
