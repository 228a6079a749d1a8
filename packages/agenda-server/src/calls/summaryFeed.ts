import type { SummaryStreamMessage } from "@crm-agenda/shared";
import type { Pool, PoolClient } from "pg";

/**
 * What the instance writing a summary tells the others: `changed` when the stored summary changed
 * (its status, or the summary itself: listeners read it from the database), and the live messages
 * of the stream as they are.
 */
export type SummaryFeedMessage = { type: "changed" } | Exclude<SummaryStreamMessage, { type: "summary" }>;

type Listener = (message: SummaryFeedMessage) => void;

/**
 * Relays a summary's progress from the instance writing it to every instance serving its stream,
 * through Postgres NOTIFY on one channel (its payloads are small, so a summary itself never travels).
 */
export function createSummaryFeed(pool: Pool, schema: string) {
  const channel = `${schema}_summary_feed`;
  const listeners = new Map<string, Set<Listener>>();
  let client: PoolClient | null = null;

  function dispatch(eventId: string, message: SummaryFeedMessage) {
    for (const listener of listeners.get(eventId) ?? []) listener(message);
  }

  return {
    async start() {
      client = await pool.connect();
      client.on("notification", (notification) => {
        if (notification.channel !== channel || !notification.payload) return;
        const { eventId, message } = JSON.parse(notification.payload) as {
          eventId: string;
          message: SummaryFeedMessage;
        };
        dispatch(eventId, message);
      });
      await client.query(`listen "${channel}"`);
    },

    async stop() {
      if (!client) return;
      await client.query(`unlisten "${channel}"`).catch(() => {});
      client.release();
      client = null;
    },

    async publish(eventId: string, message: SummaryFeedMessage): Promise<void> {
      await pool.query("select pg_notify($1, $2)", [channel, JSON.stringify({ eventId, message })]);
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

export type SummaryFeed = ReturnType<typeof createSummaryFeed>;
