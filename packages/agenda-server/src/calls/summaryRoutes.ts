import type { SummaryStreamMessage } from "@crm-agenda/shared";
import type { Router } from "express";
import type PgBoss from "pg-boss";
import { AgendaError } from "../errors";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import { summaryJobSender } from "./enqueueCall";
import type { SummaryFeed } from "./summaryFeed";
import type { SummaryStore } from "./summaryStore";

const keepAliveMs = 15_000;
const settled = new Set(["ready", "failed", "none"]);

export function mountSummaryRoutes(
  router: Router,
  context: RouteContext,
  options: { summaries: SummaryStore; feed: SummaryFeed; queue: PgBoss },
): void {
  const { summaries, feed, queue } = options;
  const notFound = (id: string) =>
    new AgendaError("not_found", `no event ${id} in your agenda; it may have been deleted`);

  defineRoute(router, context, "getEventSummary", async ({ session, params }) => {
    const summary = await summaries.describe(session, params.id);
    if (!summary) throw notFound(params.id);
    return { status: 200, body: summary };
  });

  defineRoute(router, context, "streamEventSummary", async ({ session, params, req, res }) => {
    const first = await summaries.describe(session, params.id);
    if (!first) throw notFound(params.id);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Proxies such as nginx would otherwise hold the tokens back.
      "x-accel-buffering": "no",
    });
    const send = (message: SummaryStreamMessage) =>
      res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
    send({ type: "summary", summary: first });
    if (settled.has(first.status)) {
      res.end();
      return undefined;
    }
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(keepAlive);
      res.end();
    };
    const unsubscribe = feed.subscribe(params.id, (message) => {
      if (closed) return;
      if (message.type !== "changed") {
        send(message);
        return;
      }
      void summaries.describe(session, params.id).then((summary) => {
        if (closed || !summary) return;
        send({ type: "summary", summary });
        if (settled.has(summary.status)) close();
      });
    });
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
    req.on("close", close);
    // A change between the first read and the subscription would otherwise be missed.
    const current = await summaries.describe(session, params.id);
    if (current && current.status !== first.status) {
      send({ type: "summary", summary: current });
      if (settled.has(current.status)) close();
    }
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
}
