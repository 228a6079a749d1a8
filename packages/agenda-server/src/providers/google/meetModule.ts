import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../../AgendaModule";
import type { CallProvider } from "../../calls/CallProvider";
import type { SummaryStore } from "../../calls/summaryStore";
import type { ConnectionService } from "../../connections/connectionService";
import type { AgendaTables } from "../../db/schema";
import { jobQueues } from "../../jobs/agendaJobs";
import { type BatchJob, runBatch } from "../../jobs/runBatch";
import type { GoogleProviderOptions } from "../../options";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { mountGoogleEventsRoutes, type WorkspaceEventJob } from "./googleEventsRoutes";
import { handleWorkspaceEvent } from "./handleWorkspaceEvent";
import { createMeetCallProvider } from "./meetCallProvider";
import { createMeetSubscriptions } from "./meetSubscriptions";
import { createGoogleCertsCache } from "./verifyPubSubPush";

/**
 * Google Meet as one module: the Meet REST API for transcripts (its call provider), and, with
 * `pubsub`, Workspace Events subscriptions per connection pushed through Pub/Sub to its webhook route.
 */
export function createMeetModule(input: {
  google: GoogleProviderOptions | undefined;
  publicUrl: string | undefined;
  db: NodePgDatabase;
  tables: AgendaTables;
  queue: PgBoss;
  connections: ConnectionService;
  summaries: SummaryStore;
  deliveries: DeliveryRecorder;
  now: () => Date;
}): AgendaModule & {
  /** Null when Google is not configured. */
  callProvider: CallProvider | null;
  /** A Google account was connected: its Meet subscription is made by a job. */
  connected(connection: { id: string; provider: string }): Promise<void>;
  /** A Google account is being disconnected: its Meet subscription goes. */
  disconnecting(connection: { id: string; provider: string }): Promise<void>;
} {
  const { google, queue, connections } = input;
  const googleBase = google?.baseUrl?.replace(/\/+$/, "");
  const meetApiBaseUrl = google ? (googleBase ?? "https://meet.googleapis.com") : null;
  const pubsub = google?.pubsub ?? null;
  const subscriptions =
    google && pubsub
      ? createMeetSubscriptions({
          db: input.db,
          tables: input.tables,
          connections,
          eventsApiBaseUrl: googleBase ?? "https://workspaceevents.googleapis.com",
          pubsubTopic: pubsub.topic,
          now: input.now,
        })
      : null;
  return {
    callProvider: meetApiBaseUrl ? createMeetCallProvider(meetApiBaseUrl) : null,
    async connected(connection) {
      if (connection.provider === "google" && subscriptions) {
        await queue.send(
          jobQueues.meetSubscribe,
          { connectionId: connection.id },
          { singletonKey: connection.id },
        );
      }
    },
    async disconnecting(connection) {
      if (connection.provider === "google") await subscriptions?.remove(connection.id);
    },
    mount(router, context) {
      mountGoogleEventsRoutes(router, context, {
        deliveries: input.deliveries,
        pubsub: pubsub && {
          audience:
            pubsub.audience ?? `${(input.publicUrl ?? "").replace(/\/+$/, "")}/webhooks/google/events`,
          serviceAccountEmail: pubsub.serviceAccountEmail,
        },
        certs: pubsub
          ? createGoogleCertsCache({
              certsUrl: pubsub.certsUrl ?? `${googleBase ?? "https://www.googleapis.com"}/oauth2/v3/certs`,
            })
          : null,
        now: input.now,
      });
    },
    async work() {
      if (!subscriptions || !meetApiBaseUrl) return;
      await queue.work<BatchJob<WorkspaceEventJob>>(jobQueues.workspaceEvent, async (jobs) => {
        for (const job of jobs) {
          await runBatch(queue, jobQueues.workspaceEvent, job.data, (event) =>
            handleWorkspaceEvent(event, {
              subscriptions,
              connections,
              summaries: input.summaries,
              queue,
              meetApiBaseUrl,
            }),
          );
        }
      });
      await queue.work<{ connectionId: string }>(jobQueues.meetSubscribe, async (jobs) => {
        for (const job of jobs) await subscriptions.ensure(job.data.connectionId);
      });
    },
  };
}
