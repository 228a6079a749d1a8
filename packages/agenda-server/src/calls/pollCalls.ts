import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { ConnectionService } from "../connections/connectionService";
import { withAdvisoryLock } from "../db/withAdvisoryLock";
import { jobQueues } from "../jobs/agendaJobs";
import { fanOut } from "../jobs/fanOut";
import type { CallProvider, CallProviders } from "./CallProvider";
import { enqueueCall } from "./enqueueCall";
import type { SummaryStore } from "./summaryStore";

/** How far back the fallback looks for calls whose webhook never came. */
export const pollWindowMs = 48 * 3600_000;

/**
 * The polling fallback: for every active Zoom and Google connection, the calls of the last 48 hours
 * whose transcript is not known yet (Zoom recordings, Meet conference records) are put on the agenda
 * and queued, as the webhook would have. Each round is one job per connection, so any number of
 * worker instances share it, and one connection's failure (a revoked grant, the provider down) does
 * not hold back the others.
 */
export function createCallPolling(context: {
  pool: Pool;
  schema: string;
  connections: ConnectionService;
  callProviders: CallProviders;
  summaries: SummaryStore;
  queue: PgBoss;
  now: () => Date;
  reportError(error: unknown): void;
}) {
  // Each connection's calls come from the call provider reading with its token.
  const listers = new Map(
    Object.values(context.callProviders).map((provider) => [provider.connection, provider]),
  );

  async function poll(
    connection: { id: string; tenantId: string; userId: string },
    lister: CallProvider,
    accessToken: string,
  ): Promise<{ found: number; queued: number }> {
    const until = context.now();
    const calls = await lister.listRecentCalls(accessToken, connection.id, {
      from: new Date(until.getTime() - pollWindowMs),
      to: until,
    });
    const known = await context.summaries.known(
      lister.calls,
      calls.map((call) => call.key),
    );
    let queued = 0;
    for (const call of calls.filter((candidate) => !known.has(candidate.key))) {
      await enqueueCall(context, { tenantId: connection.tenantId, userId: connection.userId }, call);
      queued++;
    }
    return { found: calls.length, queued };
  }

  return {
    /** The tick: one {@link jobQueues.callPollConnection} job per polled connection, their starts spread over `spreadMs`. */
    fanOut(spreadMs: number): Promise<number> {
      return fanOut(context.queue, jobQueues.callPollConnection, {
        pageOfIds: (after, limit) => context.connections.activeIds([...listers.keys()], after, limit),
        spreadMs,
      });
    },

    /**
     * One connection's round. Skipped while another run of it holds the connection's poll lock; a
     * failure is reported and left to the next round, which asks the provider again anyway.
     */
    async pollConnection(connectionId: string): Promise<{ found: number; queued: number }> {
      try {
        const connection = await context.connections.active(connectionId);
        const lister = connection && listers.get(connection.provider);
        if (!connection || !lister) return { found: 0, queued: 0 };
        // A refresh holds the token's lock on a client of its own: taken before the poll's lock, a
        // running poll never holds two locked clients of the pool at once.
        const accessToken = await context.connections.accessToken(connection.id);
        const outcome = await withAdvisoryLock(
          context.pool,
          `crm-agenda:call-poll:${context.schema}:${connectionId}`,
          { wait: false },
          () => poll(connection, lister, accessToken),
        );
        return outcome.acquired ? outcome.value : { found: 0, queued: 0 };
      } catch (error) {
        context.reportError(error);
        return { found: 0, queued: 0 };
      }
    },
  };
}

export type CallPolling = ReturnType<typeof createCallPolling>;
