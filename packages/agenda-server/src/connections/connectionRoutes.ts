import type { Connection, Provider } from "@crm-agenda/shared";
import type { Router } from "express";
import { AgendaError } from "../errors";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import type { Owner } from "../options";
import type { CalendarProviderId } from "../sync/CalendarProvider";
import type { CalendarSync } from "../sync/createCalendarSync";
import type { ConnectionService } from "./connectionService";

/** What the connection routes use of the calendar sync (null when `calendarSync: false`). */
export type ConnectionCalendarSync = Pick<
  CalendarSync,
  "status" | "listCalendars" | "configure" | "storedCalendarId"
>;

export function mountConnectionRoutes(
  router: Router,
  context: RouteContext,
  connections: ConnectionService,
  sync: () => ConnectionCalendarSync | null,
  /** Whether the provider's accounts hold a calendar (its OAuth settings say). */
  syncsCalendar: (provider: Provider) => provider is CalendarProviderId,
): void {
  /** The user's connections, each with its calendar sync settings and next run. */
  async function listWithSync(owner: Owner): Promise<Connection[]> {
    const [listed, syncs] = await Promise.all([
      connections.list(owner),
      sync()?.status(owner) ?? Promise.resolve([]),
    ]);
    const byConnection = new Map(syncs.map((item) => [item.connectionId, item]));
    return listed.map((connection) => {
      const settings = byConnection.get(connection.id);
      return {
        ...connection,
        nextSyncAt: settings?.nextRunAt?.toISOString() ?? null,
        calendarId: settings?.calendarId ?? null,
        pushCrmEvents: settings?.pushCrmEvents ?? false,
      };
    });
  }

  /** The owner's connection that syncs a calendar, or a 404 (another user's id reads as unknown). */
  async function syncedConnection(owner: Owner, id: string) {
    const calendarSync = sync();
    const connection = (await listWithSync(owner)).find((item) => item.id === id);
    if (!connection) throw new AgendaError("not_found", `no connection ${id} among your accounts`);
    if (!calendarSync || connection.calendarId === null || !syncsCalendar(connection.provider)) {
      throw new AgendaError("not_found", `this ${connection.provider} connection syncs no calendar`);
    }
    return { connection, calendarSync, provider: connection.provider };
  }

  defineRoute(router, context, "listConnections", async ({ session }) => {
    return { status: 200, body: { connections: await listWithSync(session) } };
  });

  defineRoute(router, context, "listConnectionCalendars", async ({ session, params }) => {
    const { calendarSync } = await syncedConnection(session, params.id);
    return { status: 200, body: { calendars: await calendarSync.listCalendars(params.id) } };
  });

  defineRoute(router, context, "updateConnection", async ({ session, params, body }) => {
    const { calendarSync, provider } = await syncedConnection(session, params.id);
    let calendarId: string | undefined;
    if (body.calendarId !== undefined) {
      const chosen = (await calendarSync.listCalendars(params.id)).find(
        (calendar) => calendar.id === body.calendarId,
      );
      if (!chosen) {
        throw new AgendaError(
          "unprocessable",
          "this calendar is not among the account's calendars the agenda may write to",
        );
      }
      calendarId = calendarSync.storedCalendarId(provider, chosen);
    }
    await calendarSync.configure(params.id, {
      ...(calendarId !== undefined && { calendarId }),
      ...(body.pushCrmEvents !== undefined && { pushCrmEvents: body.pushCrmEvents }),
    });
    const updated = (await listWithSync(session)).find((item) => item.id === params.id);
    if (!updated) throw new AgendaError("not_found", "the connection was removed meanwhile");
    return { status: 200, body: updated };
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
