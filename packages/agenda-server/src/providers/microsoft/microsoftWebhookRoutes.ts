import { createHash, randomUUID } from "node:crypto";
import type { Response, Router } from "express";
import { z } from "zod";
import { AgendaError } from "../../errors";
import { defineRoute, type RouteContext } from "../../http/defineRoute";
import { readRawBody } from "../../http/readBody";
import { jobQueues } from "../../jobs/agendaJobs";
import type { CalendarSync } from "../../sync/createCalendarSync";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { sameSecret } from "../../webhooks/sameSecret";

/** A Graph change or lifecycle notification (https://learn.microsoft.com/graph/api/resources/changenotification). */
const graphNotificationSchema = z.object({
  subscriptionId: z.string(),
  clientState: z.string().optional(),
  changeType: z.string().optional(),
  lifecycleEvent: z.enum(["reauthorizationRequired", "subscriptionRemoved", "missed"]).optional(),
  subscriptionExpirationDateTime: z.string().optional(),
  resource: z.string().optional(),
});
const graphCollectionSchema = z.object({ value: z.array(z.unknown()) });

/**
 * Notifications read from one Graph request at most. Graph documents no maximum for a collection's
 * `value` (https://learn.microsoft.com/graph/api/resources/changenotificationcollection: "the set of
 * notifications", batched across subscriptions that share the URL); this is far above what one
 * agenda's subscriptions produce together, and bounds what an unauthenticated request can cost.
 */
const maxGraphNotifications = 1_000;
/** Graph's tokens are a short sentence with a request id (about 120 characters). */
const maxValidationTokenLength = 1_024;

/**
 * The Outlook calendar webhook. It answers within Graph's limits: a lookup, the deliveries recorded
 * with their sync jobs in one transaction, and the answer; the sync itself runs as a job.
 */
export function mountMicrosoftWebhookRoutes(
  router: Router,
  context: RouteContext,
  options: { sync: Pick<CalendarSync, "channels" | "forgetChannel">; deliveries: DeliveryRecorder },
): void {
  const { sync, deliveries } = options;

  /**
   * Microsoft Graph (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks): the
   * validation handshake echoes `validationToken` as text/plain at once (Graph waits 10 seconds);
   * each notification's clientState must be ours; change notifications and `missed` sync the
   * connection; `reauthorizationRequired` renews the subscription and `subscriptionRemoved` makes a
   * new one (https://learn.microsoft.com/graph/change-notifications-lifecycle-events). Answered 202.
   *
   * The route is unauthenticated until each item's clientState is checked, so its cost is bounded:
   * at most `maxGraphNotifications` items, their subscriptions read in one query, their deliveries
   * recorded together.
   */
  defineRoute(router, context, "microsoftWebhook", async ({ req, res }) => {
    const raw = await readRawBody(req, context.bodyLimitBytes);
    const validationToken = req.query.validationToken;
    if (validationToken !== undefined) {
      answerGraphValidation(res, validationToken, raw);
      return undefined;
    }
    let items: unknown[];
    try {
      items = graphCollectionSchema.parse(JSON.parse(raw.toString("utf8"))).value;
    } catch {
      throw new AgendaError("bad_request", "the body is not a Graph notification collection");
    }
    if (items.length > maxGraphNotifications) {
      throw new AgendaError(
        "payload_too_large",
        `a Graph notification collection holds at most ${maxGraphNotifications} notifications here; this one has ${items.length}`,
      );
    }
    const notifications = items.flatMap((item) => {
      const parsed = graphNotificationSchema.safeParse(item);
      return parsed.success ? [{ item, notification: parsed.data }] : [];
    });
    const channels = await sync.channels(
      notifications.map(({ notification }) => notification.subscriptionId),
    );
    const recorded: Promise<boolean>[] = [];
    for (const { item, notification } of notifications) {
      const channel = channels.get(notification.subscriptionId);
      if (channel?.provider !== "microsoft") continue;
      if (!sameSecret(notification.clientState, channel.secret)) continue;
      const connectionId = channel.connectionId;
      const lifecycle = notification.lifecycleEvent;
      if (lifecycle === "subscriptionRemoved") {
        await sync.forgetChannel(notification.subscriptionId);
      }
      // Recorded together: the recorder writes deliveries that wait at once in one statement.
      const syncJob = { queue: jobQueues.calendarSync, data: { connectionId }, singletonKey: connectionId };
      if (!lifecycle) {
        recorded.push(
          deliveries.record({
            source: "microsoft",
            deliveryKey: createHash("sha256").update(JSON.stringify(item)).digest("hex"),
            eventType: notification.changeType ?? "changed",
            job: syncJob,
          }),
        );
        continue;
      }
      // Lifecycle notifications carry no id, and two alike (a second `missed`, a
      // reauthorizationRequired our renewal did not clear) each need acting on: each is its own
      // delivery. The jobs' singleton keys keep a burst of them to one sync or renewal at a time.
      const deliveryKey = `${notification.subscriptionId}:${lifecycle}:${randomUUID()}`;
      if (lifecycle !== "missed") {
        recorded.push(
          deliveries.record({
            source: "microsoft",
            deliveryKey,
            eventType: lifecycle,
            job: {
              queue: jobQueues.calendarWatch,
              data: { connectionId, force: true },
              singletonKey: connectionId,
            },
          }),
        );
      }
      // A missed or removed subscription lost notifications on the way: the delta round catches up.
      if (lifecycle !== "reauthorizationRequired") {
        recorded.push(
          deliveries.record({
            source: "microsoft",
            deliveryKey: `${deliveryKey}:sync`,
            eventType: lifecycle,
            job: syncJob,
          }),
        );
      }
    }
    await Promise.all(recorded);
    return { status: 202 };
  });
}

/**
 * Graph's validation request is a POST with `validationToken` in the query and no body; the token is
 * echoed as plain text. It is unauthenticated, so anyone can make the router echo a string: only a
 * short one, never with a body, as text/plain that a browser may not sniff into HTML.
 */
function answerGraphValidation(res: Response, token: unknown, body: Buffer): void {
  if (typeof token !== "string" || token.length === 0 || token.length > maxValidationTokenLength) {
    throw new AgendaError(
      "bad_request",
      `validationToken must be one non-empty value of at most ${maxValidationTokenLength} characters`,
    );
  }
  if (body.length > 0)
    throw new AgendaError("bad_request", "a Graph validation request has an empty body; this one has a body");
  res
    .status(200)
    .set("x-content-type-options", "nosniff")
    .set("cache-control", "no-store")
    .type("text/plain; charset=utf-8")
    .send(token);
}
