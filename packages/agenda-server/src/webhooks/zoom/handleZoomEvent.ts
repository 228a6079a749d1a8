import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type PgBoss from "pg-boss";
import { enqueueCall } from "../../calls/enqueueCall";
import type { SummaryStore } from "../../calls/summaryStore";
import { type ZoomRecordedMeeting, zoomCallSource } from "../../calls/zoomCalls";
import type { ConnectionService } from "../../connections/connectionService";
import type { AgendaTables } from "../../db/schema";
import type { ZoomEnvelope } from "./zoomWebhookRoutes";

/**
 * The job behind a Zoom delivery.
 * - `recording.transcript_completed` and `recording.completed` with a TRANSCRIPT file
 *   (https://developers.zoom.us/docs/api/rest/reference/zoom-api/events/#/paths/recording.transcript_completed):
 *   the call goes on its host's agenda and its summary is queued.
 * - `app_deauthorized`: the user removed our app at Zoom, so their tokens and Zoom call data go.
 * Running any of them twice changes nothing the second time.
 */
export async function handleZoomEvent(
  envelope: ZoomEnvelope,
  context: {
    db: NodePgDatabase;
    tables: AgendaTables;
    connections: ConnectionService;
    summaries: SummaryStore;
    queue: PgBoss;
  },
): Promise<void> {
  switch (envelope.event) {
    case "recording.completed":
    case "recording.transcript_completed": {
      const meeting = envelope.payload.object as ZoomRecordedMeeting | undefined;
      if (!meeting?.uuid || !meeting.host_id) return;
      const connection = await context.connections.findByAccount("zoom", meeting.host_id);
      // A Zoom user who never connected to the agenda: nothing of theirs to summarize.
      if (!connection) return;
      const source = zoomCallSource(meeting, connection.id);
      if (!source) return;
      await enqueueCall(context, { tenantId: connection.tenantId, userId: connection.userId }, source);
      return;
    }
    case "app_deauthorized": {
      const zoomUserId = envelope.payload.user_id;
      if (typeof zoomUserId !== "string" || !zoomUserId) return;
      const { connections, events } = context.tables;
      // One transaction: a worker stopped halfway leaves both in place, and the retry finds the
      // owners again (deleting the connection first, on its own, would leave their calls behind).
      await context.db.transaction(async (transaction) => {
        const owners = await transaction
          .delete(connections)
          .where(and(eq(connections.provider, "zoom"), eq(connections.accountId, zoomUserId)))
          .returning({ tenantId: connections.tenantId, userId: connections.userId });
        for (const owner of owners) {
          await transaction
            .delete(events)
            .where(
              and(
                eq(events.tenantId, owner.tenantId),
                eq(events.userId, owner.userId),
                eq(events.source, "zoom"),
              ),
            );
        }
      });
      return;
    }
    default:
      return;
  }
}
