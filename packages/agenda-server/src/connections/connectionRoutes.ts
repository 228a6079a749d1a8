import type { Router } from "express";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { AgendaSession } from "../options";
import type { ConnectionService } from "./connectionService";

/** What the connection routes read of the calendar sync (absent when `calendarSync: false`). */
export interface ConnectionSyncStatus {
  status(
    owner: Pick<AgendaSession, "tenantId" | "userId">,
  ): Promise<{ connectionId: string; nextRunAt: Date | null }[]>;
}

export function mountConnectionRoutes(
  router: Router,
  context: RouteContext,
  connections: ConnectionService,
  sync: () => ConnectionSyncStatus | null = () => null,
): void {
  defineRoute(router, context, "listConnections", async ({ session }) => {
    const [listed, syncs] = await Promise.all([
      connections.list(session),
      sync()?.status(session) ?? Promise.resolve([]),
    ]);
    const nextRuns = new Map(syncs.map((item) => [item.connectionId, item.nextRunAt]));
    return {
      status: 200,
      body: {
        connections: listed.map((connection) => ({
          ...connection,
          nextSyncAt: nextRuns.get(connection.id)?.toISOString() ?? null,
        })),
      },
    };
  });

  defineRoute(router, context, "startOAuth", async ({ session, params, query, res }) => {
    const url = await connections.start(session, params.provider, query.returnTo);
    res.setHeader("cache-control", "no-store");
    res.redirect(302, url);
    return undefined;
  });

  defineRoute(router, context, "oauthCallback", async ({ session, params, query, res }) => {
    const back = await connections.complete(session, params.provider, query);
    res.setHeader("cache-control", "no-store");
    res.redirect(302, back);
    return undefined;
  });

  defineRoute(router, context, "deleteConnection", async ({ session, params }) => {
    await connections.disconnect(session, params.id);
    return { status: 204 };
  });
}
