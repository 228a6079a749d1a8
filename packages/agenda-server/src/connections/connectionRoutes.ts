import type { Router } from "express";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { ConnectionService } from "./connectionService";

export function mountConnectionRoutes(
  router: Router,
  context: RouteContext,
  connections: ConnectionService,
): void {
  defineRoute(router, context, "listConnections", async ({ session }) => {
    return { status: 200, body: { connections: await connections.list(session) } };
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
