import type { SummaryStreamMessage } from "@crm-agenda/shared";
import type { Router } from "express";
import type PgBoss from "pg-boss";
import { AgendaError } from "../errors";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { SummaryStreamOptions } from "../options";
import { summaryJobSender } from "./enqueueCall";
import type { SummaryFeed } from "./summaryFeed";
import type { SummaryStore } from "./summaryStore";

const keepAliveMs = 15_000;
/** While the feed cannot hear other instances, an open stream reads its row this often. */
const fallbackReadMs = 3_000;
const settled = new Set(["ready", "failed", "none"]);

/** The open summary streams, so they can be limited and ended when the agenda stops. */
export interface SummaryStreams {
  /** Ends every open stream and refuses new ones. */
  closeAll(): void;
  /** Accepts streams again, after `closeAll`. */
  reopen(): void;
  /** How many are open now. */
  readonly size: number;
}

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
): SummaryStreams {
  const { summaries, feed, queue, reportError } = options;
  const maxPerUser = options.limits?.maxPerUser ?? 10;
  const maxOpen = options.limits?.maxOpen ?? 1_000;
  const lifetimeMs = (options.limits?.maxLifetimeSeconds ?? 600) * 1000;
  /** Each open stream's way to end it, by user. */
  const open = new Map<string, Set<() => void>>();
  let openCount = 0;
  let closing = false;
  const notFound = (id: string) =>
    new AgendaError("not_found", `no event ${id} in your agenda; it may have been deleted`);

  defineRoute(router, context, "getEventSummary", async ({ session, params }) => {
    const summary = await summaries.describe(session, params.id);
    if (!summary) throw notFound(params.id);
    return { status: 200, body: summary };
  });

  defineRoute(router, context, "streamEventSummary", async ({ session, params, req, res }) => {
    if (closing) {
      throw new AgendaError("unavailable", "the agenda is stopping on this server; open the stream again");
    }
    const userKey = `${session.tenantId}\u0000${session.userId}`;
    const mine = open.get(userKey) ?? new Set<() => void>();
    if (mine.size >= maxPerUser) {
      throw new AgendaError(
        "rate_limited",
        `you already follow ${mine.size} summaries at once, the most allowed; close another event's summary, or wait for one to finish, then try again`,
        { details: { limit: maxPerUser } },
      );
    }
    if (openCount >= maxOpen) {
      res.setHeader("retry-after", "30");
      throw new AgendaError(
        "rate_limited",
        "this server is following as many summaries as it can; try again in a little while",
        { details: { limit: maxOpen } },
      );
    }
    // The slot is held from here, before the first read, so a burst cannot slip past the limits.
    let closed = false;
    const release: (() => void)[] = [];
    const close = () => {
      if (closed) return;
      closed = true;
      for (const step of release) step();
      if (res.headersSent) res.end();
    };
    openCount += 1;
    mine.add(close);
    open.set(userKey, mine);
    release.push(() => {
      openCount -= 1;
      mine.delete(close);
      if (mine.size === 0 && open.get(userKey) === mine) open.delete(userKey);
    });
    req.on("close", close);

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
    if (closed) return undefined;
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
      close();
      return undefined;
    }
    let lastSent = first;
    let reading = false;
    let readAgain = false;
    /** Reads the row and sends it when it changed; closes the stream once the summary is settled. */
    const readRow = () => {
      if (closed) return;
      // A change heard during a read may have come after the row was read: read once more after it.
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      summaries
        .describe(session, params.id)
        .then((summary) => {
          if (closed || !summary) return;
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
    release.push(
      feed.subscribe(params.id, (message) => {
        if (closed) return;
        if (message.type === "changed") readRow();
        else send(message);
      }),
    );
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
    // While the feed hears nothing (its connection dropped), the row is the only news.
    const fallback = setInterval(() => {
      if (!feed.listening()) readRow();
    }, fallbackReadMs);
    // Ended cleanly after its lifetime: the client opens it again, and the slot is not held for ever.
    const lifetime = setTimeout(close, lifetimeMs);
    release.push(() => {
      clearInterval(keepAlive);
      clearInterval(fallback);
      clearTimeout(lifetime);
    });
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

  return {
    closeAll() {
      closing = true;
      for (const streams of Array.from(open.values())) for (const close of Array.from(streams)) close();
    },
    reopen() {
      closing = false;
    },
    get size() {
      return openCount;
    },
  };
}
