import type { Pool, PoolClient } from "pg";

/**
 * Hears every error of a pool and of its connections, so that a connection the server drops (a
 * failover, a restart, an idle-connection reaper, `pg_terminate_backend`) is reported to `reportError`
 * instead of ending the host's process as an unhandled `error` event.
 *
 * The pool itself recovers: pg removes a broken connection and opens a new one on the next query, and
 * a query that was running on it fails (a job is then retried). A pool only reports the errors of its
 * idle connections; one checked out (by drizzle's transactions, a lock, the summary feed) reports to
 * whoever holds it, so each connection gets a listener of its own the first time it is handed out,
 * whoever asks for it. The host's own listeners stay; `unwatch` removes only ours.
 */
export function watchPool(
  pool: Pool,
  reportError: (error: unknown) => void,
): {
  /**
   * Removes the agenda's listeners. `quiet`: for a pool the agenda opened and has ended, whose
   * connections may still report a drop after the end (pg-pool passes an idle connection's error to
   * the pool): each gets a listener that ignores it, as nobody is left to tell.
   */
  unwatch(options?: { quiet?: boolean }): void;
} {
  // The pool and the connection both hear an idle connection's error: it is reported once.
  const reported = new WeakSet<object>();
  const report = (error: unknown) => {
    if (typeof error === "object" && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    reportError(new Error("a database connection failed; the agenda goes on with another", { cause: error }));
  };
  const watched = new Set<PoolClient>();
  const watch = (client: PoolClient) => {
    if (watched.has(client)) return;
    watched.add(client);
    client.on("error", report);
  };
  const forget = (client: PoolClient) => {
    watched.delete(client);
    client.off("error", report);
    // A broken connection may still say something while it closes; it must not find no listener.
    client.on("error", () => {});
  };
  pool.on("error", report);
  pool.on("acquire", watch);
  pool.on("remove", forget);
  return {
    unwatch(options = {}) {
      pool.off("error", report);
      pool.off("acquire", watch);
      pool.off("remove", forget);
      if (options.quiet) pool.on("error", () => {});
      for (const client of watched) {
        client.off("error", report);
        if (options.quiet) client.on("error", () => {});
      }
      watched.clear();
    },
  };
}
