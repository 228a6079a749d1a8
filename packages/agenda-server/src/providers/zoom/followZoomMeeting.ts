import type { Pool } from "pg";
import type { ConnectionService } from "../../connections/connectionService";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import { quoteIdentifier } from "../../db/migrate";
import { withWaitedLock } from "../../db/withConnectionLock";
import { AgendaError } from "../../errors";
import type { EventRow, ZoomMeetingJob } from "../../events/agendaWrites";
import type { Owner } from "../../options";
import { ProviderUnavailableError } from "../providerFetch";
import { type ZoomAnswer, zoomAnswerText, zoomMeetingFields, zoomRequest } from "./zoomRequest";

/** How a job ended, kept as the job's output: done, or stopped for a reason retrying cannot fix. */
export type ZoomMeetingOutcome =
  | { outcome: "updated" | "deleted" | "unchanged" }
  | { outcome: "stopped"; reason: string };

export interface ZoomMeetingContext {
  pool: Pool;
  schema: string;
  connections: ConnectionService;
  zoom: OAuthProvider | undefined;
}

/**
 * The Zoom meeting job: Update a meeting
 * (https://developers.zoom.us/docs/api/meetings/#tag/meetings/PATCH/meetings/{meetingId}) with the
 * event's title, time and description, or Delete a meeting
 * (https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId}), where a
 * meeting Zoom no longer has (404, code 3001) counts as deleted. Only a meeting the agenda made is
 * touched, and only while the event's conference still names it. Network failures, 429 and 5xx throw
 * for the queue to retry with backoff. Another refusal stops the job, its reason shown on the Zoom
 * connection (`lastError`, cleared by the next call that goes through); a Zoom connection gone or
 * needing to be reconnected stops it too, the connection's status saying why.
 */
export async function followZoomMeeting(
  job: ZoomMeetingJob,
  context: ZoomMeetingContext,
): Promise<ZoomMeetingOutcome> {
  if (job.action === "delete") {
    return callZoom(context, job, job.meetingId, "delete", { method: "DELETE" });
  }
  const s = quoteIdentifier(context.schema);
  // One update of an event at a time, each reading the event when it runs: the last drag wins.
  return withWaitedLock(
    context.pool,
    `crm-agenda:zoom-meeting:${context.schema}:${job.eventId}`,
    async () => {
      const { rows } = await context.pool.query<EventRow>(`select * from ${s}.events where id = $1`, [
        job.eventId,
      ]);
      const row = rows[0];
      if (!row?.zoom_meeting_id || row.conference?.meetingId !== row.zoom_meeting_id) {
        return { outcome: "unchanged" };
      }
      const fields = zoomMeetingFields({
        title: row.title,
        description: row.description,
        start: row.start_at.toISOString(),
        end: row.end_at.toISOString(),
        timeZone: row.time_zone,
      });
      return callZoom(
        context,
        { tenantId: row.tenant_id, userId: row.user_id },
        row.zoom_meeting_id,
        "update",
        // An empty agenda clears a description the event no longer has.
        { method: "PATCH", body: { agenda: "", ...fields } },
      );
    },
  );
}

async function callZoom(
  context: ZoomMeetingContext,
  owner: Owner,
  meetingId: string,
  action: "update" | "delete",
  request: { method: "PATCH" | "DELETE"; body?: unknown },
): Promise<ZoomMeetingOutcome> {
  const stopped = (reason: string) => ({
    outcome: "stopped" as const,
    reason: `the Zoom meeting ${meetingId} could not be ${action}d: ${reason}`,
  });
  if (!context.zoom) return stopped("Zoom is not configured on this server");
  const connection = (await context.connections.list(owner)).find((item) => item.provider === "zoom");
  if (!connection) return stopped("no Zoom account is connected");
  if (connection.status === "needs_reauth") return stopped("Zoom needs to be reconnected");
  let accessToken: string;
  try {
    accessToken = await context.connections.accessToken(connection.id);
  } catch (error) {
    if (error instanceof AgendaError && (error.code === "forbidden" || error.code === "not_found")) {
      return stopped(error.message);
    }
    throw error;
  }
  const answer = await zoomRequest(context.zoom, accessToken, {
    ...request,
    path: `/meetings/${encodeURIComponent(meetingId)}`,
  });
  const s = quoteIdentifier(context.schema);
  if (answer.status >= 200 && answer.status < 300) {
    await context.pool.query(
      `update ${s}.connections set last_error = null where id = $1 and status = 'active'`,
      [connection.id],
    );
    return { outcome: action === "update" ? "updated" : "deleted" };
  }
  if (action === "delete" && isMeetingGone(answer)) return { outcome: "deleted" };
  if (answer.status === 429 || answer.status >= 500) {
    throw new ProviderUnavailableError(zoomAnswerText(answer), { status: answer.status });
  }
  const refused = stopped(zoomAnswerText(answer));
  await context.pool.query(`update ${s}.connections set last_error = $2 where id = $1`, [
    connection.id,
    refused.reason,
  ]);
  return refused;
}

/** 404 with code 3001, "Meeting does not exist" (or no code, as a bare 404 says the same). */
const isMeetingGone = (answer: ZoomAnswer) =>
  answer.status === 404 && (answer.body.code === undefined || answer.body.code === 3001);
