import type { Provider } from "@crm-agenda/shared";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import type { ConnectionService } from "../connections/connectionService";
import type { OAuthProvider } from "../connections/OAuthProvider";
import type { EventStore } from "../events/eventStore";
import { jobQueues } from "../jobs/agendaJobs";
import { workEach } from "../jobs/fanOut";
import type { AgendaOptions } from "../options";
import type { CallProvider, CallProviders } from "./CallProvider";
import { createAiClient } from "./createAiClient";
import type { HostNotificationStore } from "./hostNotificationStore";
import { createCallPolling } from "./pollCalls";
import { type CallPipeline, processCallTranscript } from "./processCallTranscript";
import type { SummaryFeed } from "./summaryFeed";
import type { SummaryStore } from "./summaryStore";
import { tellHost } from "./tellHost";

/**
 * A host notification still pending this long after its last try has no job left: every try, with
 * the queue's retries and backoff, ends well within it.
 */
const staleNotificationMs = 6 * 60 * 60_000;
const day = 24 * 60 * 60_000;

/**
 * Keeps the outbox from growing for ever in the host's database: delivered and superseded
 * notifications go after 30 days, failed ones after 90, a thousand rows a statement and at most ten
 * statements a sweep (the next sweep takes the rest).
 */
async function pruneNotifications(notifications: HostNotificationStore): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const pruned = await notifications.prune({ settledMs: 30 * day, failedMs: 90 * day, limit: 1_000 });
    if (pruned < 1_000) return;
  }
}

/**
 * The call pipeline as one module: the AI client, the call providers by the kind of call they give,
 * each call's summary job, the delivery of the host's hooks from the summaries' outbox, and the polling fallback (its tick, one job per connection, and its
 * schedule, or none when `polling: false`).
 */
export function createCallsModule(input: {
  pool: Pool;
  schema: string;
  queue: PgBoss;
  /** The configured OAuth providers: their API and OAuth hosts are the ones the host chose. */
  oauthProviders: Partial<Record<Provider, OAuthProvider>>;
  /** The call adapters of the provider modules that have one (null where not configured). */
  callProviders: (CallProvider | null)[];
  summaries: SummaryStore;
  notifications: HostNotificationStore;
  feed: SummaryFeed;
  events: EventStore;
  connections: ConnectionService;
  clients: AgendaOptions["clients"];
  hooks: AgendaOptions["hooks"];
  ai: AgendaOptions["ai"];
  maxTranscriptBytes: number | undefined;
  polling: AgendaOptions["polling"];
  /** Per-connection polls this instance runs at once. */
  pollConcurrency: number;
  now: () => Date;
  reportError(error: unknown): void;
}): AgendaModule & { ai: { baseUrl: string; token: string | undefined } } {
  const { queue } = input;
  const callProviders: CallProviders = Object.fromEntries(
    input.callProviders.flatMap((provider) => (provider ? [[provider.calls, provider]] : [])),
  );
  const ai = { baseUrl: input.ai?.baseUrl ?? "http://localhost:8000", token: input.ai?.token };
  // The providers' own API and OAuth hosts; a transcript link redirecting anywhere else is checked further.
  const configuredHosts = new Set(
    Object.values(input.oauthProviders).flatMap((provider) =>
      [provider.tokenUrl, provider.apiBaseUrl].map((url) => new URL(url).host),
    ),
  );
  const pipeline: CallPipeline = {
    summaries: input.summaries,
    events: input.events,
    connections: input.connections,
    callProviders,
    clients: input.clients,
    ai: createAiClient({
      ...ai,
      ...(input.ai?.maxUrlLength && { maxUrlLength: input.ai.maxUrlLength }),
      ...(input.ai?.idleTimeoutMs && { idleTimeoutMs: input.ai.idleTimeoutMs }),
    }),
    feed: input.feed,
    configuredHosts,
    maxTranscriptBytes: input.maxTranscriptBytes ?? 20 * 1_048_576,
    reportError: input.reportError,
  };
  const polling = createCallPolling({
    pool: input.pool,
    schema: input.schema,
    connections: input.connections,
    callProviders,
    summaries: input.summaries,
    queue,
    now: input.now,
    reportError: input.reportError,
  });
  const pollIntervalMinutes = input.polling === false ? false : (input.polling?.intervalMinutes ?? 10);
  let staleSweep: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;
  const resendStale = () => {
    sweeping ??= input.notifications
      .resendStale(staleNotificationMs)
      .then(() => pruneNotifications(input.notifications))
      .catch((error) => input.reportError(error))
      .finally(() => {
        sweeping = undefined;
      });
  };
  return {
    ai,
    async stop() {
      clearInterval(staleSweep);
      staleSweep = undefined;
      // A sweep under way finishes on the pool before the host ends it.
      await sweeping;
    },
    async work() {
      // Notifications whose job was lost: at start, then every 10 minutes, in each instance running jobs.
      resendStale();
      staleSweep = setInterval(resendStale, 10 * 60_000).unref();
      await queue.work<{ eventId: string }>(
        jobQueues.callSummary,
        { includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            await processCallTranscript(
              job.data.eventId,
              { isLast: job.retryCount >= job.retryLimit },
              pipeline,
            );
          }
        },
      );
      await queue.work<{ notificationId: string }>(
        jobQueues.hostNotification,
        { includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            await tellHost(
              job.data.notificationId,
              { isLast: job.retryCount >= job.retryLimit },
              {
                pool: input.pool,
                notifications: input.notifications,
                events: input.events,
                hooks: input.hooks,
                reportError: input.reportError,
              },
            );
          }
        },
      );
      // A tick sent by hand (`{}`) reaches every connection at once; the scheduled one spreads them.
      await queue.work<{ spreadSeconds?: number }>(jobQueues.callPoll, async ([tick]) => {
        await polling.fanOut((tick?.data.spreadSeconds ?? 0) * 1000);
      });
      await workEach<{ connectionId: string }>(
        queue,
        jobQueues.callPollConnection,
        { concurrency: input.pollConcurrency },
        async (data) => {
          await polling.pollConnection(data.connectionId);
        },
      );
      if (pollIntervalMinutes !== false) {
        const minutes = Math.min(Math.max(Math.round(pollIntervalMinutes), 1), 60);
        await queue.schedule(jobQueues.callPoll, minutes === 60 ? "0 * * * *" : `*/${minutes} * * * *`, {
          spreadSeconds: minutes * 60,
        });
      } else {
        await queue.unschedule(jobQueues.callPoll);
      }
    },
  };
}
