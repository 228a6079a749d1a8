import type PgBoss from "pg-boss";
import type { ConnectionService } from "../connections/connectionService";
import type { OAuthProvider } from "../connections/oauthProviders";
import type { CallSource } from "../db/schema/summaries";
import { enqueueCall } from "./enqueueCall";
import { listMeetCalls } from "./meetCalls";
import type { SummaryStore } from "./summaryStore";
import { listZoomCalls } from "./zoomCalls";

/** How far back the fallback looks for calls whose webhook never came. */
export const pollWindowMs = 48 * 3600_000;

type CallLister = (
  accessToken: string,
  connectionId: string,
  since: Date,
  until: Date,
) => Promise<CallSource[]>;

/**
 * The polling fallback: for every active Zoom and Google connection, the calls of the last 48 hours
 * whose transcript is not known yet (Zoom recordings, Meet conference records) are put on the agenda
 * and queued, as the webhook would have. One connection's failure (a revoked grant, the provider
 * down) does not stop the others.
 */
export async function pollCalls(context: {
  connections: ConnectionService;
  providers: Partial<Record<"zoom" | "google" | "microsoft", OAuthProvider>>;
  meetApiBaseUrl: string | null;
  summaries: SummaryStore;
  queue: PgBoss;
  now: () => Date;
  reportError(error: unknown): void;
}): Promise<{ found: number; queued: number }> {
  const listers: { connections: "zoom" | "google"; calls: CallSource["provider"]; list: CallLister }[] = [];
  const zoom = context.providers.zoom;
  if (zoom) {
    listers.push({
      connections: "zoom",
      calls: "zoom",
      list: (token, id, since, until) => listZoomCalls(zoom, token, id, { from: since, to: until }),
    });
  }
  const meetBase = context.meetApiBaseUrl;
  if (context.providers.google && meetBase) {
    listers.push({
      connections: "google",
      calls: "meet",
      list: (token, id, since) => listMeetCalls(meetBase, token, id, { since }),
    });
  }
  let found = 0;
  let queued = 0;
  for (const lister of listers) {
    for (const connection of await context.connections.active(lister.connections)) {
      try {
        const accessToken = await context.connections.accessToken(connection.id);
        const until = context.now();
        const calls = await lister.list(
          accessToken,
          connection.id,
          new Date(until.getTime() - pollWindowMs),
          until,
        );
        found += calls.length;
        const known = await context.summaries.known(
          lister.calls,
          calls.map((call) => call.key),
        );
        for (const call of calls.filter((candidate) => !known.has(candidate.key))) {
          await enqueueCall(context, { tenantId: connection.tenantId, userId: connection.userId }, call);
          queued++;
        }
      } catch (error) {
        context.reportError(error);
      }
    }
  }
  return { found, queued };
}
