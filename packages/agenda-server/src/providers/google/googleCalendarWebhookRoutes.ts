import type { Router } from "express";
import { AgendaError } from "../../errors";
import { defineRoute, type RouteContext } from "../../http/defineRoute";
import { discardBody } from "../../http/readBody";
import { jobQueues } from "../../jobs/agendaJobs";
import type { CalendarSync } from "../../sync/createCalendarSync";
import type { DeliveryRecorder } from "../../webhooks/recordDelivery";
import { sameSecret } from "../../webhooks/sameSecret";

/**
 * The Google Calendar push webhook. It answers within Google's limits: a lookup, a delivery recorded
 * with its sync job in one transaction, and the answer; the sync itself runs as a job.
 */
export function mountGoogleCalendarWebhookRoutes(
  router: Router,
  context: RouteContext,
  options: { sync: Pick<CalendarSync, "channel">; deliveries: DeliveryRecorder },
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
    if (channel?.provider !== "google") return { status: 200 };
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
}
