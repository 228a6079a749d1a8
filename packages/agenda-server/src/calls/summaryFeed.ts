import { type SummaryStreamMessage, summaryStreamMessageSchema } from "@crm-agenda/shared";
import type { Pool } from "pg";
import { z } from "zod";
import { createChannelListener, type FeedRetry } from "../db/createChannelListener";

/**
 * What the instance writing a summary tells the others: `changed` when the stored summary changed
 * (its status, or the summary itself: listeners read it from the database), and the live messages
 * of the stream as they are.
 */
export type SummaryFeedMessage = { type: "changed" } | Exclude<SummaryStreamMessage, { type: "summary" }>;

type Listener = (message: SummaryFeedMessage) => void;

/**
 * Postgres refuses a NOTIFY payload of 8,000 bytes or more ("payload string too long"); a little is
 * kept back for the envelope's own growth.
 */
export const maxPayloadBytes = 7_900;

/** What the agenda sends on its channel; a `summary` never travels (streams read it from the row). */
const feedPayloadSchema = z.object({
  eventId: z.string().min(1).max(100),
  message: z.union([z.object({ type: z.literal("changed") }), summaryStreamMessageSchema]),
});

/**
 * Relays a summary's progress from the instance writing it to every instance serving its stream,
 * through Postgres NOTIFY on one channel (its payloads are small, so a summary itself never travels).
 *
 * The listening connection is the feed's own; when it drops (a restart, a failover, a reaper) the
 * feed listens again with a growing delay, tells its listeners `changed` once it is back (they read
 * the row, so nothing said meanwhile is lost), and says through `listening()` whether it hears
 * anything meanwhile, so streams can read the row themselves. A payload that is not ours (any role
 * may NOTIFY on the channel) is reported and ignored.
 */
export function createSummaryFeed(options: {
  pool: Pool;
  schema: string;
  reportError(error: unknown): void;
  retry?: Partial<FeedRetry>;
}) {
  const { pool, reportError } = options;
  const channel = `${options.schema}_summary_feed`;
  const listeners = new Map<string, Set<Listener>>();
  /** Messages waiting to be sent, per event, in order; one send at a time per event. */
  const outbox = new Map<string, { messages: SummaryFeedMessage[]; done: Promise<void> }>();
  let publishFailing = false;

  function dispatch(eventId: string, message: SummaryFeedMessage) {
    for (const listener of listeners.get(eventId) ?? []) {
      try {
        listener(message);
      } catch (error) {
        reportError(error);
      }
    }
  }

  function hear(payload: string | undefined) {
    const parsed = feedPayloadSchema.safeParse(parseJson(payload));
    if (!parsed.success || parsed.data.message.type === "summary") {
      reportError(
        new Error(
          `a notification on the channel "${channel}" that the agenda did not send was ignored (${payload?.length ?? 0} characters)`,
          { cause: parsed.error ?? "a summary is never sent on the channel" },
        ),
      );
      return;
    }
    const { eventId, message } = parsed.data;
    dispatch(eventId, message);
  }

  const listener = createChannelListener({
    pool,
    channel,
    name: "the summary feed",
    hear,
    // What was said while nobody listened is in the rows: every stream reads its row again.
    resumed: () => {
      for (const eventId of listeners.keys()) dispatch(eventId, { type: "changed" });
    },
    reportError,
    retry: options.retry,
  });

  /** The NOTIFY payloads for one message: a token too long for one is cut in pieces that fit. */
  function payloads(eventId: string, message: SummaryFeedMessage): string[] {
    const payload = JSON.stringify({ eventId, message });
    if (Buffer.byteLength(payload) <= maxPayloadBytes) return [payload];
    if (message.type !== "token") return [JSON.stringify({ eventId, message: { type: "changed" } })];
    const characters = Array.from(message.token);
    if (characters.length < 2) return [JSON.stringify({ eventId, message: { type: "changed" } })];
    const half = Math.ceil(characters.length / 2);
    return [
      ...payloads(eventId, { type: "token", token: characters.slice(0, half).join("") }),
      ...payloads(eventId, { type: "token", token: characters.slice(half).join("") }),
    ];
  }

  async function send(eventId: string, message: SummaryFeedMessage) {
    try {
      for (const payload of payloads(eventId, message)) {
        await pool.query("select pg_notify($1, $2)", [channel, payload]);
      }
      publishFailing = false;
    } catch (error) {
      // Listeners that missed it read the row when the summary changes or their feed comes back;
      // one report per outage is enough.
      if (!publishFailing) reportError(error);
      publishFailing = true;
    }
  }

  function enqueue(eventId: string, message: SummaryFeedMessage): Promise<void> {
    const pending = outbox.get(eventId);
    if (pending) {
      pending.messages.push(message);
      return pending.done;
    }
    const entry = { messages: [message], done: Promise.resolve() };
    outbox.set(eventId, entry);
    entry.done = (async () => {
      // Sent one at a time so they arrive in order; tokens that queued up meanwhile travel together.
      while (entry.messages.length > 0) {
        const batch = entry.messages.splice(0);
        for (const item of joinTokens(batch)) await send(eventId, item);
      }
      outbox.delete(eventId);
    })();
    return entry.done;
  }

  return {
    /** Starts listening; a later loss of the connection is repaired by the feed itself. */
    start(): Promise<void> {
      return listener.start();
    },

    /** Stops listening, once the messages still queued are sent or given up. */
    async stop() {
      await Promise.all(Array.from(outbox.values(), (entry) => entry.done));
      listener.stop();
    },

    /** Whether the feed hears the other instances now; while it does not, readers poll the row. */
    listening(): boolean {
      return listener.listening();
    },

    /**
     * Tells every instance about the summary of `eventId`, after what this instance said about it
     * before. Never rejects: a message that could not be sent is reported, and listeners that missed
     * it read the row.
     */
    publish(eventId: string, message: SummaryFeedMessage): Promise<void> {
      return enqueue(eventId, message);
    },

    /** {@link publish} without waiting, for the live messages of a summary being written. */
    relay(eventId: string, message: SummaryFeedMessage): void {
      enqueue(eventId, message).catch(reportError);
    },

    subscribe(eventId: string, listener: Listener): () => void {
      const set = listeners.get(eventId) ?? new Set<Listener>();
      listeners.set(eventId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(eventId);
      };
    },
  };
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

/** Consecutive tokens joined into one message: fewer notifications when sending fell behind. */
function joinTokens(messages: SummaryFeedMessage[]): SummaryFeedMessage[] {
  const joined: SummaryFeedMessage[] = [];
  for (const message of messages) {
    const last = joined.at(-1);
    if (message.type === "token" && last?.type === "token") {
      joined[joined.length - 1] = { type: "token", token: last.token + message.token };
    } else joined.push(message);
  }
  return joined;
}

export type SummaryFeed = ReturnType<typeof createSummaryFeed>;
