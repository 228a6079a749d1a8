import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import type { AgendaTables } from "../db/schema";
import type { StreamRegistry } from "../http/createStreamRegistry";
import type { AgendaHooks, SummaryStreamOptions } from "../options";
import { createHostNotificationStore, type HostNotificationStore } from "./hostNotificationStore";
import { createSummaryFeed, type SummaryFeed } from "./summaryFeed";
import { mountSummaryRoutes } from "./summaryRoutes";
import { createSummaryStore, type SummaryStore } from "./summaryStore";

/**
 * Call summaries as one module: the stored summaries (with the outbox of what the host's hooks are told), the summary routes and their streams (limited
 * by `summaryStreams`, ended first when the agenda stops so the host's `server.close()` can return),
 * and the feed relaying a summary's progress between instances.
 *
 * The feed is a module of its own, `feedModule`, listed before the job queue: it stops after the
 * jobs, so a summary being finished as the agenda stops still tells its streams on other instances.
 */
export function createSummariesModule(input: {
  db: NodePgDatabase & { $client: Pool };
  tables: AgendaTables;
  pool: Pool;
  schema: string;
  queue: PgBoss;
  limits: SummaryStreamOptions | undefined;
  hooks: AgendaHooks | undefined;
  now: () => Date;
  reportError(error: unknown): void;
}): AgendaModule & {
  store: SummaryStore;
  notifications: HostNotificationStore;
  feed: SummaryFeed;
  feedModule: AgendaModule;
} {
  const { reportError } = input;
  const notifications = createHostNotificationStore(input);
  const store = createSummaryStore(input.db, input.tables, input.now, notifications);
  const feed = createSummaryFeed({ pool: input.pool, schema: input.schema, reportError });
  let feedStarted = false;
  let streams: StreamRegistry | null = null;
  return {
    store,
    notifications,
    feed,
    feedModule: {
      async start() {
        await feed.start();
        feedStarted = true;
      },
      async stop() {
        if (!feedStarted) return;
        await feed.stop();
        feedStarted = false;
      },
    },
    mount(router, context) {
      streams = mountSummaryRoutes(router, context, {
        summaries: store,
        feed,
        queue: input.queue,
        limits: input.limits,
        reportError,
      });
    },
    async start() {
      streams?.reopen();
    },
    async stop() {
      streams?.closeAll();
    },
  };
}
