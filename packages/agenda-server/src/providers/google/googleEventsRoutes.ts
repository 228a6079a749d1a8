import type { Router } from "express";
import { AgendaError } from "../../errors";
import { defineRoute, type RouteContext } from "../../http/defineRoute";
import { readRawBody } from "../../http/readBody";
import { jobQueues } from "../../jobs/agendaJobs";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { type GoogleCertsCache, PubSubPushError, verifyPubSubPush } from "./verifyPubSubPush";

/** What the Workspace event job receives: the CloudEvent's type, source and data (no token). */
export interface WorkspaceEventJob {
  type: string;
  source: string;
  data: unknown;
}

/**
 * Google Workspace Events delivered by a Pub/Sub push subscription
 * (https://cloud.google.com/pubsub/docs/push): the OIDC token is checked before the body is read,
 * the message is recorded under its `messageId` (the same on every redelivery) with its job, and
 * Pub/Sub gets its 204 at once. A refused token answers 401 (403 for another service account);
 * Pub/Sub then retries, which is right when our keys are briefly out of date.
 */
export function mountGoogleEventsRoutes(
  router: Router,
  context: RouteContext,
  options: {
    deliveries: DeliveryRecorder;
    pubsub: { audience: string; serviceAccountEmail: string } | null;
    certs: GoogleCertsCache | null;
    now: () => Date;
  },
): void {
  defineRoute(router, context, "googleEventsWebhook", async ({ req }) => {
    if (!options.pubsub || !options.certs) {
      throw new AgendaError(
        "unavailable",
        "Google Workspace events are not configured: set providers.google.pubsub",
      );
    }
    const body = await readRawBody(req, context.bodyLimitBytes);
    let push: Awaited<ReturnType<typeof verifyPubSubPush>>;
    try {
      push = await verifyPubSubPush(
        { authorization: req.header("authorization"), body },
        { ...options.pubsub, certs: options.certs, now: options.now },
      );
    } catch (error) {
      if (!(error instanceof PubSubPushError)) throw error;
      const code =
        error.code === "certs_unavailable"
          ? "unavailable"
          : error.code === "wrong_service_account"
            ? "forbidden"
            : error.code === "malformed_body"
              ? "bad_request"
              : "unauthorized";
      throw new AgendaError(code, `Google push refused: ${error.message}`);
    }
    const type = push.attributes["ce-type"] ?? "";
    await options.deliveries.record({
      source: "google-events",
      deliveryKey: push.messageId,
      eventType: type || "unknown",
      job: type
        ? {
            queue: jobQueues.workspaceEvent,
            data: {
              type,
              source: push.attributes["ce-source"] ?? "",
              data: push.data,
            } satisfies WorkspaceEventJob,
            batch: true,
          }
        : null,
    });
    return { status: 204 };
  });
}
