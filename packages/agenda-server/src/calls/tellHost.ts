import type { Pool } from "pg";
import { withAdvisoryLock } from "../db/withAdvisoryLock";
import type { EventStore } from "../events/eventStore";
import type { AgendaHooks } from "../options";
import type { HostNotificationStore } from "./hostNotificationStore";

/** A host hook that threw, its message with credentials masked (pg-boss keeps a thrown error in the job). */
export class HostHookError extends Error {
  override readonly name = "HostHookError";
}

/** Another worker is telling the host of this notification; the job comes back to see how it ended. */
class NotificationBusyError extends Error {
  override readonly name = "NotificationBusyError";
}

const maxMessageLength = 500;

/**
 * A hook's error message fit to store and report: the password of a connection string, a bearer
 * token, and `password=`, `token=`, `secret=` or `key=` values masked, and kept short.
 */
export function maskSecrets(message: string): string {
  const masked = message
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//***@")
    .replace(/\b(bearer|basic)\s+[\w\-.~+/=]+/gi, "$1 ***")
    .replace(
      /\b(\w*(?:password|passwd|pwd|token|secret|api[-_]?key|key))(["']?\s*[=:]\s*["']?)[^\s&"',;]+/gi,
      "$1$2***",
    );
  return masked.length > maxMessageLength ? `${masked.slice(0, maxMessageLength)}…` : masked;
}

/**
 * One try at telling the host's hook of a stored summary, for its outbox row: the hook is called with
 * the notification's id, then the row marked delivered. When the hook throws, the masked message is
 * kept and thrown for the queue to retry with backoff; on the last attempt the row is marked failed
 * and the failure reported, and nothing is thrown, so the host's process never sees it. One worker at
 * a time per notification, across instances, so a job retried past its expiry does not call twice.
 */
export async function tellHost(
  notificationId: string,
  attempt: { isLast: boolean },
  deps: {
    pool: Pool;
    notifications: HostNotificationStore;
    events: EventStore;
    hooks: AgendaHooks | undefined;
    reportError(error: unknown): void;
  },
): Promise<void> {
  const outcome = await withAdvisoryLock(
    deps.pool,
    `crm-agenda:host-notification:${notificationId}`,
    { wait: false },
    async () => {
      const due = await deps.notifications.claim(notificationId);
      if (!due) return;
      const owner = { tenantId: due.tenantId, userId: due.userId };
      const event = await deps.events.get(owner, due.eventId);
      const subject = {
        ...owner,
        eventId: due.eventId,
        clientId: event?.clientMatch.clientId ?? null,
        regenerated: due.regenerated,
        notificationId,
      };
      try {
        if (due.hook === "onSummaryReady")
          await deps.hooks?.onSummaryReady?.({ ...subject, summary: due.summary });
        else await deps.hooks?.onActionItems?.({ ...subject, actionItems: due.summary.actionItems });
      } catch (error) {
        const message = maskSecrets(error instanceof Error ? error.message : String(error));
        await deps.notifications.threw(notificationId, message, attempt.isLast);
        const failure = new HostHookError(
          `the host's ${due.hook} hook threw on try ${due.attempts} for notification ${notificationId}: ${message}`,
        );
        if (!attempt.isLast) throw failure;
        deps.reportError(failure);
        return;
      }
      await deps.notifications.delivered(notificationId);
    },
  );
  if (!outcome.acquired && !attempt.isLast)
    throw new NotificationBusyError(`notification ${notificationId} is being delivered by another worker`);
}
