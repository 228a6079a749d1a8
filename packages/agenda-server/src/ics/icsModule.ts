import { createHash } from "node:crypto";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Request, Response } from "express";
import type { AgendaModule } from "../AgendaModule";
import type { AgendaTables } from "../db/schema";
import { AgendaError } from "../errors";
import type { EventStore } from "../events/eventStore";
import type { LinkGuessLimit } from "../http/createLinkGuessLimit";
import { createRateLimiter } from "../http/createRateLimiter";
import { defineRoute } from "../http/defineRoute";
import type { Owner } from "../options";
import { createSeriesStore } from "../series/seriesStore";
import { createIcsFeedStore } from "./icsFeedStore";
import { toICalendar } from "./toICalendar";

export interface IcsModuleOptions {
  db: NodePgDatabase;
  tables: AgendaTables;
  events: EventStore;
  /** Where the router is reachable, for the feed URL; without it, the URL follows the request's host. */
  publicUrl: string | null;
  /** The budget of failed lookups per client address, shared with the other secret links. */
  linkGuesses: LinkGuessLimit;
  now: () => Date;
}

const day = 86_400_000;
/** The feed covers what a subscriber looks at: recent weeks and the year ahead. */
const feedDaysBack = 60;
const feedDaysAhead = 365;
/** Bounds one request's work whatever the agenda holds: the earliest events are kept. */
const maxFeedEvents = 5_000;
/**
 * Calendar apps refresh every few minutes to hours: twenty at once, then one every three seconds, per
 * feed, leaves them all room and stops a loop or a script.
 */
const feedRateLimit = { burst: 20, perMinute: 20 };

const owner = (session: Owner): Owner => ({ tenantId: session.tenantId, userId: session.userId });

/** A file name a browser will save: the title without path or control characters, `.ics` added. */
function fileName(title: string): string {
  const cleaned = title
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
  return `${cleaned || "event"}.ics`;
}

function sendCalendar(res: Response, text: string, headers: Record<string, string>): void {
  res
    .status(200)
    .set({ "Content-Type": "text/calendar; charset=utf-8", ...headers })
    .send(text);
}

function feedUrl(req: Request, publicUrl: string | null, token: string): string {
  const base = publicUrl ?? `${req.protocol}://${req.get("host")}${req.baseUrl}`;
  return `${base.replace(/\/+$/, "")}/ics/${token}`;
}

/**
 * ICS export: `GET /events/:id/ics` for one event, and each user's secret read-only feed
 * (`GET /ics/:token`, made and revoked at `/ics/feed`) that calendar apps subscribe to.
 */
export function createIcsModule(options: IcsModuleOptions): AgendaModule {
  const feeds = createIcsFeedStore(options.db, options.tables, options.now);
  const series = createSeriesStore(options.events);
  const feedLimiter = createRateLimiter(feedRateLimit, options.now);

  return {
    mount(router, context) {
      defineRoute(router, context, "getEventIcs", async ({ session, params, res }) => {
        const event = await options.events.get(owner(session), params.id);
        if (!event)
          throw new AgendaError(
            "not_found",
            `no event ${params.id} in your agenda; it may have been deleted`,
          );
        const name = fileName(event.title);
        sendCalendar(res, toICalendar([event]), {
          "Content-Disposition": `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
          "Cache-Control": "private, no-store",
        });
        return undefined;
      });

      defineRoute(router, context, "getIcsFeedStatus", async ({ session }) => {
        const feed = await feeds.status(owner(session));
        return {
          status: 200,
          body: { active: feed !== null, createdAt: feed?.createdAt.toISOString() ?? null },
        };
      });

      defineRoute(router, context, "createIcsFeed", async ({ session, req }) => {
        const feed = await feeds.create(owner(session));
        return {
          status: 201,
          body: { url: feedUrl(req, options.publicUrl, feed.token), createdAt: feed.createdAt.toISOString() },
        };
      });

      defineRoute(router, context, "deleteIcsFeed", async ({ session }) => {
        await feeds.revoke(owner(session));
        return { status: 204 };
      });

      defineRoute(router, context, "icsFeed", async ({ params, req, res }) => {
        const feedOwner = await options.linkGuesses.lookup(req, res, () => feeds.ownerOf(params.token));
        // Malformed, unknown and revoked tokens answer alike, so a guess learns nothing.
        if (!feedOwner) throw new AgendaError("not_found", "no calendar feed at this address");
        feedLimiter.take(feedOwner.tokenHash, "on this feed", res);
        const at = options.now().getTime();
        // What the agenda shows: a series as its occurrences (each its own VEVENT), as `GET /events` lists it.
        const [from, to] = [new Date(at - feedDaysBack * day), new Date(at + feedDaysAhead * day)];
        const [single, occurrences] = await Promise.all([
          // The earliest rows alone: the cap keeps the earliest events, and an agenda of any size costs
          // one bounded read.
          options.events.list(feedOwner, from, to, maxFeedEvents),
          series.list(feedOwner, from, to),
        ]);
        const events = [...single, ...occurrences]
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id))
          .slice(0, maxFeedEvents);
        const text = toICalendar(events, { name: "Agenda", refreshSeconds: 3600 });
        const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;
        const headers = {
          ETag: etag,
          // Private: the URL is a secret, no shared cache should keep it. Short: apps see changes soon.
          "Cache-Control": "private, max-age=300",
          "X-Robots-Tag": "noindex",
        };
        const ifNoneMatch = req.get("if-none-match");
        if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
          res.status(304).set(headers).end();
          return undefined;
        }
        sendCalendar(res, text, headers);
        return undefined;
      });
    },
  };
}
