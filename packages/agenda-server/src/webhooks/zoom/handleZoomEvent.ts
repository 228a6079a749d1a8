import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { ConnectionService } from "../../connections/connectionService";
import type { AgendaTables } from "../../db/schema";
import type { ZoomEnvelope } from "./zoomWebhookRoutes";

/**
 * The job behind a Zoom delivery. `app_deauthorized` (https://developers.zoom.us/docs/api/rest/reference/user/events/#/paths/app_deauthorized):
 * the user removed our app at Zoom, so their tokens and their Zoom call data go. Running it twice
 * finds nothing left the second time.
 */
export async function handleZoomEvent(
  envelope: ZoomEnvelope,
  context: { db: NodePgDatabase; tables: AgendaTables; connections: ConnectionService },
): Promise<void> {
  switch (envelope.event) {
    case "app_deauthorized": {
      const zoomUserId = envelope.payload.user_id;
      if (typeof zoomUserId !== "string" || !zoomUserId) return;
      const owners = await context.connections.forgetAccount("zoom", zoomUserId);
      const { events } = context.tables;
      for (const owner of owners) {
        await context.db
          .delete(events)
          .where(
            and(
              eq(events.tenantId, owner.tenantId),
              eq(events.userId, owner.userId),
              eq(events.source, "zoom"),
            ),
          );
      }
      return;
    }
    default:
      return;
  }
}
