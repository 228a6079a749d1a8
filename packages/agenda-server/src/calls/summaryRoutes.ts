import type { SummaryStreamMessage } from "@crm-agenda/shared";
import type { Router } from "express";
import type PgBoss from "pg-boss";
import { AgendaError } from "../errors";
import { createStreamRegistry, type StreamRegistry } from "../http/createStreamRegistry";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { SummaryStreamOptions } from "../options";
import { summaryJobSender } from "./enqueueCall";
import type { SummaryFeed } from "./summaryFeed";
import type { SummaryStore } from "./summaryStore";

/** While the feed cannot hear other instances, an open stream reads its row this often. */
const fallbackReadMs = 3_000;
/** What a client waits before reconnecting after a drop, sent as `retry:`. */
const reconnectMs = 1_000;
const settled = new Set(["ready", "failed", "none"]);

export function mountSummaryRoutes(
  router: Router,
  context: RouteContext,
  options: {
    summaries: SummaryStore;
    feed: SummaryFeed;
    queue: PgBoss;
    limits?: SummaryStreamOptions | undefined;
    reportError(error: unknown): void;
  },
): StreamRegistry {
  const { summaries, feed, queue, reportError } = options;
  const streams = createStreamRegistry(options.limits, {
    tooManyForUser: (open) =>
      `you already follow ${open} summaries at once, the most allowed; close another event's summary, or wait for one to finish, then try again`,
    tooMany: "this server is following as many summaries as it can; try again in a little while",
  });
  const notFound = (id: string) =>
    new AgendaError("not_found", `no event ${id} in your agenda; it may have been deleted`);

  defineRoute(router, context, "getEventSummary", async ({ session, params }) => {
    const summary = await summaries.describe(session, params.id);
    if (!summary) throw notFound(params.id);
    return { status: 200, body: summary };
  });

  defineRoute(router, context, "streamEventSummary", async ({ session, params, req, res }) => {
    // The slot is held from here, before the first read, so a burst cannot slip past the limits.
    const stream = streams.open(session, req, res);
    const close = () => stream.close();
    let first: Awaited<ReturnType<SummaryStore["describe"]>>;
    try {
      first = await summaries.describe(session, params.id);
    } catch (error) {
      close();
      throw error;
    }
    if (!first) {
      close();
      throw notFound(params.id);
    }
    if (stream.closed) return undefined;
    stream.begin(reconnectMs);
    // Each stored state of the summary is an id: a client reconnecting with the one it has already seen
    // is not sent it again. The tokens in between are not stored, so a resumed stream starts its text
    // over (`reset`) rather than leave a gap in it.
    const stateId = (summary: NonNullable<typeof first>) =>
      `${Date.parse(summary.updatedAt ?? "") || 0}-${summary.status}`;
    const send = (message: SummaryStreamMessage) =>
      stream.send(message.type, message, message.type === "summary" ? stateId(message.summary) : undefined);
    const lastEventId = req.header("last-event-id");
    if (lastEventId !== stateId(first) || settled.has(first.status))
      send({ type: "summary", summary: first });
    else if (first.status === "in_progress") send({ type: "reset" });
    if (settled.has(first.status)) {
      close();
      return undefined;
    }
    let lastSent = first;
    let reading = false;
    let readAgain = false;
    /** Reads the row and sends it when it changed; closes the stream once the summary is settled. */
    const readRow = () => {
      if (stream.closed) return;
      // A change heard during a read may have come after the row was read: read once more after it.
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      summaries
        .describe(session, params.id)
        .then((summary) => {
          if (stream.closed || !summary) return;
          if (summary.status === lastSent.status && summary.updatedAt === lastSent.updatedAt) return;
          lastSent = summary;
          send({ type: "summary", summary });
          if (settled.has(summary.status)) close();
        })
        // The database is unreachable: the next change, or the next fallback read, tries again.
        .catch(reportError)
        .finally(() => {
          reading = false;
          if (readAgain) {
            readAgain = false;
            readRow();
          }
        });
    };
    stream.onClose(
      feed.subscribe(params.id, (message) => {
        if (stream.closed) return;
        if (message.type === "changed") readRow();
        else send(message);
      }),
    );
    // While the feed hears nothing (its connection dropped), the row is the only news.
    const fallback = setInterval(() => {
      if (!feed.listening()) readRow();
    }, fallbackReadMs);
    stream.onClose(() => clearInterval(fallback));
    // A change between the first read and the subscription would otherwise be missed.
    readRow();
    return undefined;
  });

  defineRoute(router, context, "regenerateEventSummary", async ({ session, params }) => {
    const summary = await summaries.describe(session, params.id);
    if (!summary) throw notFound(params.id);
    if (summary.status === "none") {
      throw new AgendaError("conflict", "this event has no call transcript to summarize");
    }
    // Only a settled summary reopens, with its one job; of two requests at once, the second is refused.
    if (!(await summaries.requeue(params.id, summaryJobSender(queue)))) {
      throw new AgendaError("conflict", "the summary is being written; wait for it before asking again");
    }
    await feed.publish(params.id, { type: "changed" });
    return { status: 202, body: await summaries.describe(session, params.id) };
  });

  return streams;
}
