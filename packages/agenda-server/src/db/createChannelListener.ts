import type { Pool, PoolClient } from "pg";

/** Delays between attempts to listen again after the connection was lost: doubling, with jitter. */
export interface FeedRetry {
  /** @default 250 */
  firstDelayMs: number;
  /** @default 15_000 */
  maxDelayMs: number;
}

/**
 * Listens to one Postgres NOTIFY channel on a connection of its own, and keeps listening: when the
 * connection drops (a restart, a failover, a reaper) it listens again with a growing delay and calls
 * `resumed` once it is back, so its owner reads again what may have been said meanwhile; `listening()`
 * says whether it hears anything now. Payloads are handed over as they come: checking them is the
 * owner's part (any role may NOTIFY on the channel).
 */
export function createChannelListener(options: {
  pool: Pool;
  channel: string;
  /** What the feed is, for the messages of its reports, e.g. "the summary feed". */
  name: string;
  hear(payload: string | undefined): void;
  resumed(): void;
  reportError(error: unknown): void;
  retry?: Partial<FeedRetry> | undefined;
}) {
  const { pool, channel, reportError } = options;
  const retry: FeedRetry = { firstDelayMs: 250, maxDelayMs: 15_000, ...options.retry };
  /** The connection listening now, and how to let it go. */
  let current: { client: PoolClient; close(): void } | null = null;
  let running = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;

  async function listen() {
    const client = await pool.connect();
    let lost = false;
    const close = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (current?.client === client) current = null;
      client.removeAllListeners("notification");
      // The connection is dropped, not put back: it may be broken, and another LISTEN would follow it.
      client.release(error ?? true);
    };
    const onLost = (error: unknown) => {
      if (lost || !running) return;
      close(error instanceof Error ? error : new Error(String(error)));
      reportError(
        new Error(`${options.name} lost its database connection; it listens again once it is back`, {
          cause: error,
        }),
      );
      scheduleListen();
    };
    // Kept after the connection is let go: a closing connection may still report an error.
    client.on("error", onLost);
    client.on("end", () => onLost(new Error("the connection ended")));
    client.on("notification", (notification) => {
      if (notification.channel !== channel) return;
      try {
        options.hear(notification.payload);
      } catch (error) {
        reportError(error);
      }
    });
    try {
      await client.query(`listen "${channel}"`);
    } catch (error) {
      close(error instanceof Error ? error : undefined);
      throw error;
    }
    if (lost) throw new Error(`${options.name}'s connection was lost as it started listening`);
    // Stopped while this attempt waited for a connection, or another attempt got there first: one
    // connection listens, this one is let go.
    if (!running || current) {
      close();
      return;
    }
    current = { client, close };
    const again = attempt > 0;
    attempt = 0;
    if (again) {
      try {
        options.resumed();
      } catch (error) {
        reportError(error);
      }
    }
  }

  function scheduleListen() {
    if (!running || retryTimer || connecting) return;
    const ceiling = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** attempt);
    attempt += 1;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        connecting = listen().then(
          () => {
            connecting = undefined;
          },
          () => {
            // The database may still be down: try again, later each time.
            connecting = undefined;
            scheduleListen();
          },
        );
      },
      ceiling / 2 + Math.random() * (ceiling / 2),
    );
  }

  return {
    /** Starts listening; a later loss of the connection is repaired by the listener itself. */
    async start() {
      running = true;
      attempt = 0;
      try {
        await listen();
      } catch (error) {
        running = false;
        throw error;
      }
    },
    /**
     * Stops listening. An attempt still waiting for a connection is not waited for (the database may
     * be unreachable for long): it lets its connection go when it gets one.
     */
    stop() {
      running = false;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      current?.close();
    },
    /** Whether the channel is heard now; while it is not, readers read the database themselves. */
    listening(): boolean {
      return current !== null;
    },
  };
}
