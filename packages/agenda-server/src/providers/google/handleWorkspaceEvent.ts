import type PgBoss from "pg-boss";
import { enqueueCall } from "../../calls/enqueueCall";
import type { SummaryStore } from "../../calls/summaryStore";
import type { ConnectionService } from "../../connections/connectionService";
import { ProviderUnavailableError } from "../providerFetch";
import type { WorkspaceEventJob } from "./googleEventsRoutes";
import { getMeetCall } from "./meetCalls";
import type { MeetSubscriptions } from "./meetSubscriptions";
import { meetTranscriptEventType, subscriptionLifecycleEventTypes } from "./workspaceEventsClient";

/**
 * The job behind a Workspace event push
 * (https://developers.google.com/workspace/events/guides/events-meet and .../events-lifecycle):
 * a generated Meet transcript puts the call on its user's agenda and queues its summary; the
 * subscription's lifecycle events renew, reactivate or remake it. Running one twice changes nothing
 * the second time.
 */
export async function handleWorkspaceEvent(
  event: WorkspaceEventJob,
  context: {
    subscriptions: MeetSubscriptions;
    connections: ConnectionService;
    summaries: SummaryStore;
    queue: PgBoss;
    meetApiBaseUrl: string;
  },
): Promise<void> {
  const connection = await context.subscriptions.connectionOf(event.source);
  // A subscription we no longer hold (the user disconnected): nothing to do.
  if (!connection) return;
  const owner = { tenantId: connection.tenantId, userId: connection.userId };
  switch (event.type) {
    case meetTranscriptEventType: {
      const transcriptName = (event.data as { transcript?: { name?: unknown } } | null)?.transcript?.name;
      if (typeof transcriptName !== "string") return;
      const token = await context.connections.accessToken(connection.id);
      const source = await getMeetCall(context.meetApiBaseUrl, token, connection.id, transcriptName);
      // The event says the file is written; if Meet does not show it yet, try again shortly.
      if (!source) throw new ProviderUnavailableError("Meet has not finished the transcript file yet");
      await enqueueCall(context, owner, source);
      return;
    }
    case subscriptionLifecycleEventTypes.expirationReminder:
      await context.subscriptions.renew(connection.id);
      return;
    case subscriptionLifecycleEventTypes.suspended:
      await context.subscriptions.reactivate(connection.id);
      return;
    case subscriptionLifecycleEventTypes.expired:
      await context.subscriptions.ensure(connection.id);
      return;
    default:
      return;
  }
}
