import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type PgBoss from "pg-boss";
import { z } from "zod";
import { enqueueCall } from "../../calls/enqueueCall";
import type { SummaryStore } from "../../calls/summaryStore";
import type { ConnectionService } from "../../connections/connectionService";
import type { AgendaTables } from "../../db/schema";
import { type ZoomRecordedMeeting, zoomCallSource } from "./zoomCalls";

/** The envelope of every Zoom webhook (https://developers.zoom.us/docs/api/webhooks/). */
export const zoomEnvelopeSchema = z.object({
  event: z.string().min(1),
  event_ts: z.number().optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type ZoomEnvelope = z.infer<typeof zoomEnvelopeSchema>;

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
function pick(from: Fields, keys: readonly string[]): Fields {
  return Object.fromEntries(keys.filter((key) => from[key] !== undefined).map((key) => [key, from[key]]));
}

const meetingFields = ["uuid", "id", "host_id", "topic", "timezone", "start_time", "duration"] as const;
const fileFields = [
  "id",
  "file_type",
  "recording_start",
  "recording_end",
  "download_url",
  "play_url",
  "status",
] as const;

/**
 * What a Zoom delivery's job keeps of it: the fields `handleZoomEvent` reads, nothing else. Zoom's
 * recording events also carry the meeting's passcode, the recording's play passcode, its share link
 * and a download token (https://developers.zoom.us/docs/api/rest/reference/zoom-api/events/#/paths/recording.completed);
 * none of those reaches the job, and so none reaches pg-boss's archive or dead letters either.
 */
export function zoomJobData(envelope: ZoomEnvelope): ZoomEnvelope {
  const kept = (payload: Fields): ZoomEnvelope => ({
    event: envelope.event,
    ...(envelope.event_ts !== undefined && { event_ts: envelope.event_ts }),
    payload,
  });
  if (envelope.event === "app_deauthorized") return kept(pick(envelope.payload, ["user_id"]));
  const meeting = envelope.payload.object;
  if (!isFields(meeting)) return kept({});
  const files = Array.isArray(meeting.recording_files) ? meeting.recording_files : [];
  return kept({
    object: {
      ...pick(meeting, meetingFields),
      // Only the transcript is read; the video and audio files' links are not kept.
      recording_files: files
        .filter((file): file is Fields => isFields(file) && file.file_type === "TRANSCRIPT")
        .map((file) => pick(file, fileFields)),
    },
  });
}

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
