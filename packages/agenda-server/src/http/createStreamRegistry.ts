import type { Request, Response } from "express";
import { AgendaError } from "../errors";
import type { AgendaSession, SummaryStreamOptions } from "../options";

/** Comments sent this often keep proxies and load balancers from closing an idle stream. */
const keepAliveMs = 15_000;

/** One open server-sent event stream, holding its slot of the limits until it closes. */
export interface OpenStream {
  /** True once closed, by the client, its lifetime, `closeAll` or `close()`. */
  readonly closed: boolean;
  /** Runs `step` when the stream closes (in the order given). */
  onClose(step: () => void): void;
  /** Writes the event-stream headers and the `retry:` the client should wait before reconnecting. */
  begin(retryMs: number): void;
  /** Sends one event; `id` becomes the client's `Last-Event-ID` when it reconnects. */
  send(event: string, data: unknown, id?: string): void;
  close(): void;
}

/** The open streams of one route, so they can be limited and ended when the agenda stops. */
export interface StreamRegistry {
  /**
   * Takes a slot for a stream of `session`'s user, before any read, so a burst cannot slip past the
   * limits. @throws {AgendaError} `rate_limited` or `unavailable` (stopping).
   */
  open(session: AgendaSession, req: Request, res: Response): OpenStream;
  /** Ends every open stream and refuses new ones. */
  closeAll(): void;
  /** Accepts streams again, after `closeAll`. */
  reopen(): void;
  /** How many are open now. */
  readonly size: number;
}

/**
 * The limits, keep-alive and lifetime shared by the agenda's server-sent event routes. `what` names
 * the streams in the messages a refused client reads, e.g. "summaries".
 */
export function createStreamRegistry(
  limits: SummaryStreamOptions | undefined,
  words: { tooManyForUser(open: number): string; tooMany: string },
): StreamRegistry {
  const maxPerUser = limits?.maxPerUser ?? 10;
  const maxOpen = limits?.maxOpen ?? 1_000;
  const lifetimeMs = (limits?.maxLifetimeSeconds ?? 600) * 1000;
  /** Each open stream's way to end it, by user. */
  const open = new Map<string, Set<() => void>>();
  let openCount = 0;
  let closing = false;

  return {
    open(session, req, res) {
      if (closing) {
        throw new AgendaError("unavailable", "the agenda is stopping on this server; open the stream again");
      }
      const userKey = `${session.tenantId}\u0000${session.userId}`;
      const mine = open.get(userKey) ?? new Set<() => void>();
      if (mine.size >= maxPerUser) {
        throw new AgendaError("rate_limited", words.tooManyForUser(mine.size), {
          details: { limit: maxPerUser },
        });
      }
      if (openCount >= maxOpen) {
        res.setHeader("retry-after", "30");
        throw new AgendaError("rate_limited", words.tooMany, { details: { limit: maxOpen } });
      }
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
      return {
        get closed() {
          return closed;
        },
        onClose(step) {
          if (closed) step();
          else release.push(step);
        },
        begin(retryMs) {
          if (closed) return;
          res.writeHead(200, {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache, no-transform",
            connection: "keep-alive",
            // Proxies such as nginx would otherwise hold the events back.
            "x-accel-buffering": "no",
          });
          res.write(`retry: ${Math.round(retryMs)}\n\n`);
          const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
          // Ended cleanly after its lifetime: the client opens it again, and the slot is not held for ever.
          const lifetime = setTimeout(close, lifetimeMs);
          release.push(() => {
            clearInterval(keepAlive);
            clearTimeout(lifetime);
          });
        },
        send(event, data, id) {
          if (closed) return;
          res.write(
            `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
          );
        },
        close,
      };
    },
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
