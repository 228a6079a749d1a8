import { createHash } from "node:crypto";
import type { Router } from "express";
import { AgendaError } from "../../errors";
import { defineRoute, type RouteContext } from "../../http/defineRoute";
import { readRawBody } from "../../http/readBody";
import { jobQueues } from "../../jobs/agendaJobs";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { type ZoomEnvelope, zoomEnvelopeSchema, zoomJobData } from "./handleZoomEvent";
import { answerZoomUrlValidation, verifyZoomSignature } from "./verifyZoomSignature";

/** The events the agenda acts on; others are acknowledged and dropped. */
const handledEvents = new Set(["app_deauthorized", "recording.transcript_completed", "recording.completed"]);

export function mountZoomWebhookRoutes(
  router: Router,
  context: RouteContext,
  options: { deliveries: DeliveryRecorder; secretToken: string | undefined; now: () => Date },
): void {
  defineRoute(router, context, "zoomWebhook", async ({ req, res }) => {
    if (!options.secretToken) {
      throw new AgendaError(
        "unavailable",
        "Zoom webhooks are not configured: set providers.zoom.webhookSecretToken",
      );
    }
    const rawBody = await readRawBody(req, context.bodyLimitBytes);
    const refusal = verifyZoomSignature({
      secretToken: options.secretToken,
      signature: req.header("x-zm-signature"),
      timestamp: req.header("x-zm-request-timestamp"),
      rawBody,
      now: options.now(),
    });
    if (refusal) throw new AgendaError("unauthorized", `Zoom webhook refused: ${refusal}`);
    let envelope: ZoomEnvelope;
    try {
      envelope = zoomEnvelopeSchema.parse(JSON.parse(rawBody.toString("utf8")));
    } catch {
      throw new AgendaError("bad_request", "the Zoom webhook body is not a Zoom event envelope");
    }
    if (envelope.event === "endpoint.url_validation") {
      const plainToken = envelope.payload.plainToken;
      if (typeof plainToken !== "string")
        throw new AgendaError("bad_request", "endpoint.url_validation needs payload.plainToken");
      res.status(200).json(answerZoomUrlValidation(options.secretToken, plainToken));
      return undefined;
    }
    // Zoom re-sends the same bytes when it retries; the digest of the signed body is the delivery's identity.
    const deliveryKey = createHash("sha256").update(rawBody).digest("hex");
    await options.deliveries.record({
      source: "zoom",
      deliveryKey,
      eventType: envelope.event,
      job: handledEvents.has(envelope.event)
        ? { queue: jobQueues.zoomEvent, data: zoomJobData(envelope), batch: true }
        : null,
    });
    return { status: 204 };
  });
}
