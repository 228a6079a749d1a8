import type PgBoss from "pg-boss";
import type { ConnectionService } from "../connections/connectionService";
import type { OAuthProvider } from "../connections/oauthProviders";
import { enqueueCall } from "./enqueueCall";
import type { SummaryStore } from "./summaryStore";
import { listZoomCalls } from "./zoomCalls";

/** How far back the fallback looks for calls whose webhook never came. */
export const pollWindowMs = 48 * 3600_000;

/**
 * The polling fallback: for every active Zoom connection, the recordings of the last 48 hours whose
 * transcript is not known yet are put on the agenda and queued, as the webhook would have. One
 * connection's failure (a revoked grant, Zoom down) does not stop the others.
 */
export async function pollCalls(context: {
  connections: ConnectionService;
  providers: Partial<Record<"zoom", OAuthProvider>>;
  summaries: SummaryStore;
  queue: PgBoss;
  now: () => Date;
  reportError(error: unknown): void;
}): Promise<{ found: number; queued: number }> {
  const zoom = context.providers.zoom;
  if (!zoom) return { found: 0, queued: 0 };
  let found = 0;
  let queued = 0;
  for (const connection of await context.connections.active("zoom")) {
    try {
      const accessToken = await context.connections.accessToken(connection.id);
      const to = context.now();
      const calls = await listZoomCalls(zoom, accessToken, connection.id, {
        from: new Date(to.getTime() - pollWindowMs),
        to,
      });
      found += calls.length;
      const known = await context.summaries.known(
        "zoom",
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
  return { found, queued };
}
