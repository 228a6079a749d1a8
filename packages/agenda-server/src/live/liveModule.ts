import type { EventChange } from "@crm-agenda/shared";
import type { AgendaModule } from "../AgendaModule";
import { createStreamRegistry } from "../http/createStreamRegistry";
import { defineRoute } from "../http/defineRoute";
import type { EventStreamOptions, Owner } from "../options";
import type { EventChangeFeed, NumberedChange } from "./createEventChangeFeed";

/** What an agenda waits before reconnecting after a drop, sent as `retry:`. */
const reconnectMs = 2_000;
/** While the feed cannot hear other instances, an open stream reads the changes table this often. */
const fallbackReadMs = 3_000;
/** How often each instance forgets changes older than the replay window. */
const pruneEveryMs = 60_000;
/** Numbers a stream remembers having sent, so a replay overlapping the live changes sends each once. */
const rememberedNumbers = 2_000;

/** The live agenda as `createAgenda` composes it, and the subscription it gives the host. */
export interface LiveModule extends AgendaModule {
  /** See `Agenda.events.subscribe`. */
  subscribe(owner: Owner, listener: (change: EventChange) => void): () => void;
}

/**
 * `GET /events/stream`: the signed-in user's event changes as server-sent events, whoever made them
 * and on whichever instance, resumed after `Last-Event-ID` (or `reset` when too far behind).
 */
export function createLiveModule(input: {
  feed: EventChangeFeed;
  limits?: EventStreamOptions | undefined;
  reportError(error: unknown): void;
}): LiveModule {
  const { feed, reportError } = input;
  const replayMinutes = input.limits?.replayMinutes ?? 10;
  const streams = createStreamRegistry(input.limits, {
    tooManyForUser: (open) =>
      `you already have ${open} live agendas open, the most allowed; close an agenda tab, then try again`,
    tooMany: "this server is keeping as many agendas live as it can; try again in a little while",
  });
  let pruneTimer: NodeJS.Timeout | undefined;

  return {
    mount(router, context) {
      defineRoute(router, context, "streamEventChanges", async ({ session, req, res }) => {
        const stream = streams.open(session, req, res);
        const owner: Owner = { tenantId: session.tenantId, userId: session.userId };
        let lastId = 0;
        const sent = new Set<number>();
        /** Changes heard while the first read runs, sent after it in order. */
        let waiting: NumberedChange[] | null = [];

        const deliver = ({ seq, change }: NumberedChange) => {
          if (sent.has(seq)) return;
          sent.add(seq);
          if (sent.size > rememberedNumbers) sent.delete(sent.values().next().value as number);
          // A change committed after a later-numbered one goes without an id, so ids only grow.
          const id = seq > lastId ? String(seq) : undefined;
          lastId = Math.max(lastId, seq);
          stream.send("change", change, id);
        };
        const reset = (latest: number) => {
          lastId = latest;
          stream.send("reset", { type: "reset" }, String(latest));
        };
        let catchingUp = false;
        /** Reads what the feed may not have said (it was not listening): the table is the record. */
        const catchUp = () => {
          if (catchingUp || stream.closed) return;
          catchingUp = true;
          Promise.all([feed.replay(owner, lastId), feed.latest()])
            .then(([missed, latest]) => {
              if (missed === "reset") reset(latest);
              else for (const numbered of missed) deliver(numbered);
            })
            .catch(reportError)
            .finally(() => {
              catchingUp = false;
            });
        };
        stream.onClose(
          feed.subscribe(owner, {
            change: (numbered) => (waiting ? waiting.push(numbered) : deliver(numbered)),
            resumed: catchUp,
          }),
        );

        const resumeFrom = parseLastEventId(req.header("last-event-id"));
        let first: { latest: number; missed: NumberedChange[] | "reset" | null };
        try {
          const latest = await feed.latest();
          first = { latest, missed: resumeFrom === undefined ? null : await feed.replay(owner, resumeFrom) };
        } catch (error) {
          stream.close();
          throw error;
        }
        if (stream.closed) return undefined;
        stream.begin(reconnectMs);
        if (first.missed === null) {
          lastId = first.latest;
          stream.send("ready", { type: "ready" }, String(first.latest));
        } else if (first.missed === "reset") {
          reset(first.latest);
        } else {
          lastId = resumeFrom ?? 0;
          for (const numbered of first.missed) deliver(numbered);
        }
        for (const numbered of waiting) deliver(numbered);
        waiting = null;
        const fallback = setInterval(() => {
          if (!feed.listening()) catchUp();
        }, fallbackReadMs);
        stream.onClose(() => clearInterval(fallback));
        return undefined;
      });
    },
    async start() {
      streams.reopen();
      await feed.start();
      // At once too, not a minute later: after a restart, what is past the window is already gone.
      await feed.prune(replayMinutes).catch(reportError);
      const prune = () => {
        feed.prune(replayMinutes).catch(reportError);
      };
      clearInterval(pruneTimer);
      pruneTimer = setInterval(prune, pruneEveryMs);
      pruneTimer.unref();
    },
    async stop() {
      streams.closeAll();
      clearInterval(pruneTimer);
      pruneTimer = undefined;
      feed.stop();
    },
    subscribe(owner, listener) {
      return feed.subscribe(owner, {
        change: ({ change }) => listener(change),
      });
    },
  };
}

/** A `Last-Event-ID` the stream gave: a change number; anything else starts the agenda over. */
function parseLastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header === "") return undefined;
  return /^\d{1,15}$/.test(header) ? Number(header) : -1;
}
