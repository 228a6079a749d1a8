import { createHash, timingSafeEqual } from "node:crypto";
import type { Router } from "express";
import type { Pool } from "pg";
import { z } from "zod";
import { quoteIdentifier } from "../db/migrate";
import { AgendaError } from "../errors";
import { defineRoute, type RouteContext } from "../http/defineRoute";
import { discardBody, readRawBody } from "../http/readBody";
import { jobQueues } from "../jobs/agendaJobs";
import type { DeliveryRecorder } from "../webhooks/recordDelivery";
import type { CalendarSync } from "./createCalendarSync";

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
 * The calendar webhooks. Both answer within the providers' limits: a lookup, a delivery recorded with
 * its sync job in one transaction, and the answer; the sync itself runs as a job.
 */
export function mountSyncRoutes(
  router: Router,
  context: RouteContext,
  options: { sync: CalendarSync; deliveries: DeliveryRecorder; pool: Pool; schema: string },
): void {
  const { sync, deliveries } = options;

  /**
   * Google Calendar push (https://developers.google.com/calendar/api/guides/push#receiving-notifications):
   * the channel and its token are in X-Goog-* headers, the body is empty. `sync` opens a channel;
   * `exists` and `not_exists` say something changed. A channel we do not know (one stopped, or of
   * a previous install) is answered 200 so Google stops retrying it; a wrong token is refused.
   */
  defineRoute(router, context, "googleCalendarWebhook", async ({ req }) => {
    // Everything is in the headers; Google's empty JSON body may already have gone through a host parser.
    await discardBody(req, context.bodyLimitBytes);
    const channelId = req.header("x-goog-channel-id");
    const state = req.header("x-goog-resource-state");
    if (!channelId || !state) throw new AgendaError("bad_request", "not a Google Calendar push notification");
    const channel = await sync.channel(channelId);
    if (!channel || channel.provider !== "google") return { status: 200 };
    if (!sameSecret(req.header("x-goog-channel-token"), channel.secret)) {
      throw new AgendaError(
        "unauthorized",
        "Google Calendar notification refused: the channel token does not match",
      );
    }
    if (state === "sync") return { status: 200 };
    await deliveries.record({
      source: "google-calendar",
      deliveryKey: `${channelId}:${req.header("x-goog-message-number") ?? ""}`,
      eventType: state,
      job: {
        queue: jobQueues.calendarSync,
        data: { connectionId: channel.connectionId },
        singletonKey: channel.connectionId,
      },
    });
    return { status: 200 };
  });

  /**
   * Microsoft Graph (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks): the
   * validation handshake echoes `validationToken` as text/plain at once (Graph waits 10 seconds);
   * each notification's clientState must be ours; change notifications and `missed` sync the
   * connection; `reauthorizationRequired` renews the subscription and `subscriptionRemoved` makes a
   * new one (https://learn.microsoft.com/graph/change-notifications-lifecycle-events). Answered 202.
   */
  defineRoute(router, context, "microsoftWebhook", async ({ req, res }) => {
    const validationToken = req.query.validationToken;
    if (typeof validationToken === "string") {
      res.status(200).type("text/plain").send(validationToken);
      return undefined;
    }
    const raw = await readRawBody(req, context.bodyLimitBytes);
    let items: unknown[];
    try {
      items = graphCollectionSchema.parse(JSON.parse(raw.toString("utf8"))).value;
    } catch {
      throw new AgendaError("bad_request", "the body is not a Graph notification collection");
    }
    for (const item of items) {
      const parsed = graphNotificationSchema.safeParse(item);
      if (!parsed.success) continue;
      const notification = parsed.data;
      const channel = await sync.channel(notification.subscriptionId);
      if (!channel || channel.provider !== "microsoft") continue;
      if (!sameSecret(notification.clientState, channel.secret)) continue;
      const connectionId = channel.connectionId;
      const lifecycle = notification.lifecycleEvent;
      if (lifecycle === "subscriptionRemoved") {
        await options.pool.query(
          `delete from ${quoteIdentifier(options.schema)}.calendar_channels where id = $1`,
          [notification.subscriptionId],
        );
      }
      await deliveries.record({
        source: "microsoft",
        deliveryKey: lifecycle
          ? `${notification.subscriptionId}:${lifecycle}:${notification.subscriptionExpirationDateTime ?? ""}`
          : createHash("sha256").update(JSON.stringify(item)).digest("hex"),
        eventType: lifecycle ?? notification.changeType ?? "changed",
        job:
          lifecycle === "reauthorizationRequired" || lifecycle === "subscriptionRemoved"
            ? {
                queue: jobQueues.calendarWatch,
                data: { connectionId, force: true },
                singletonKey: connectionId,
              }
            : { queue: jobQueues.calendarSync, data: { connectionId }, singletonKey: connectionId },
      });
    }
    return { status: 202 };
  });
}
