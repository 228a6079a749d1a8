import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../../AgendaModule";
import type { CallProvider } from "../../calls/CallProvider";
import type { SummaryStore } from "../../calls/summaryStore";
import type { ConnectionService } from "../../connections/connectionService";
import type { OAuthProvider } from "../../connections/OAuthProvider";
import type { AgendaTables } from "../../db/schema";
import type { ZoomMeetingJob } from "../../events/agendaWrites";
import type { EventRoutesOptions } from "../../events/eventRoutes";
import { jobQueues } from "../../jobs/agendaJobs";
import { type BatchJob, runBatch } from "../../jobs/runBatch";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { createZoomMeeting } from "./createZoomMeeting";
import { followZoomMeeting, type ZoomMeetingOutcome } from "./followZoomMeeting";
import { handleZoomEvent, type ZoomEnvelope } from "./handleZoomEvent";
import { createZoomCallProvider } from "./zoomCallProvider";
import { mountZoomWebhookRoutes } from "./zoomWebhookRoutes";

/**
 * Zoom as one module: its webhook route, the jobs its deliveries queue, and the meetings the agenda
 * makes for events and keeps in step with them.
 */
export function createZoomModule(input: {
  pool: Pool;
  schema: string;
  db: NodePgDatabase;
  tables: AgendaTables;
  queue: PgBoss;
  connections: ConnectionService;
  summaries: SummaryStore;
  deliveries: DeliveryRecorder;
  zoom: OAuthProvider | undefined;
  webhookSecretToken: string | undefined;
  now: () => Date;
  reportError(error: unknown): void;
}): AgendaModule & {
  meetings: NonNullable<EventRoutesOptions["zoomMeetings"]>;
  /** Zoom's recordings for the call pipeline; null when Zoom is not configured. */
  callProvider: CallProvider | null;
} {
  const { queue, connections } = input;
  const meetingContext = { pool: input.pool, schema: input.schema, connections, zoom: input.zoom };
  return {
    callProvider: input.zoom ? createZoomCallProvider(input.zoom) : null,
    mount(router, context) {
      mountZoomWebhookRoutes(router, context, {
        deliveries: input.deliveries,
        secretToken: input.webhookSecretToken,
        now: input.now,
      });
    },
    meetings: {
      create: (owner, meeting) => createZoomMeeting(owner, meeting, { connections, zoom: input.zoom }),
      async discard(owner, meetingId) {
        const job: ZoomMeetingJob = { action: "delete", ...owner, meetingId };
        try {
          await followZoomMeeting(job, meetingContext);
        } catch (error) {
          input.reportError(
            new Error(`the Zoom meeting ${meetingId} of an event that was not saved is deleted later`, {
              cause: error,
            }),
          );
          await queue.send(jobQueues.zoomMeeting, job).catch((failure) => input.reportError(failure));
        }
      },
    },
    async work() {
      await queue.work<BatchJob<ZoomEnvelope>>(jobQueues.zoomEvent, async (jobs) => {
        for (const job of jobs) {
          await runBatch(queue, jobQueues.zoomEvent, job.data, (envelope) =>
            handleZoomEvent(envelope, {
              db: input.db,
              tables: input.tables,
              connections,
              summaries: input.summaries,
              queue,
            }),
          );
        }
      });
      // Checked every second, like calendar pushes: a moved meeting follows within seconds.
      await queue.work<ZoomMeetingJob>(jobQueues.zoomMeeting, { pollingIntervalSeconds: 1 }, async (jobs) => {
        let outcome: ZoomMeetingOutcome | undefined;
        for (const job of jobs) outcome = await followZoomMeeting(job.data, meetingContext);
        // Kept as the job's output (one job a batch): why a job stopped can be read there.
        return outcome;
      });
    },
  };
}
