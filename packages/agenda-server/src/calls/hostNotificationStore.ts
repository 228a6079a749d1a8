import type { CallSummary } from "@crm-agenda/shared";
import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool, PoolClient } from "pg";
import type PgBoss from "pg-boss";
import { inTransaction } from "../db/inTransaction";
import type { AgendaTables } from "../db/schema";
import type { HostNotificationHook } from "../db/schema/hostNotifications";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";
import type { AgendaHooks, Owner } from "../options";

/**
 * The outbox of the host's summary hooks. A stored summary's notifications are recorded in the
 * transaction that stores it, each with its delivery job, so none is lost between the two; a
 * delivery claims its row by compare-and-set, so none is told twice by two workers.
 */
export function createHostNotificationStore(input: {
  db: NodePgDatabase & { $client: Pool };
  tables: AgendaTables;
  queue: PgBoss;
  hooks: AgendaHooks | undefined;
  now: () => Date;
}) {
  const { db, now } = input;
  const { hostNotifications, summaries } = input.tables;
  const configured = (["onSummaryReady", "onActionItems"] as const).filter((hook) => input.hooks?.[hook]);

  return {
    /**
     * Inside the transaction storing run `run`'s summary: supersedes what is still undelivered of an
     * older summary of the event (the host hears of the latest only), and records one notification per
     * configured hook, `regenerated` when an older summary of the event was stored before.
     */
    async record(
      tx: NodePgDatabase,
      client: PoolClient,
      subject: Owner & { eventId: string; run: number; summary: CallSummary },
    ): Promise<void> {
      const hooks = configured.filter(
        (hook) => hook === "onSummaryReady" || subject.summary.actionItems.length > 0,
      );
      if (configured.length === 0) return;
      const [older] = await tx
        .select({ id: hostNotifications.id })
        .from(hostNotifications)
        .where(eq(hostNotifications.eventId, subject.eventId))
        .limit(1);
      await tx
        .update(hostNotifications)
        .set({ state: "superseded", updatedAt: now() })
        .where(and(eq(hostNotifications.eventId, subject.eventId), eq(hostNotifications.state, "pending")));
      if (hooks.length === 0) return;
      const recorded = await tx
        .insert(hostNotifications)
        .values(
          hooks.map((hook) => ({
            eventId: subject.eventId,
            tenantId: subject.tenantId,
            userId: subject.userId,
            hook,
            run: subject.run,
            regenerated: older !== undefined,
            createdAt: now(),
            updatedAt: now(),
          })),
        )
        .onConflictDoNothing()
        .returning({ id: hostNotifications.id });
      for (const { id } of recorded)
        await input.queue.send(jobQueues.hostNotification, { notificationId: id }, { db: onClient(client) });
    },

    /**
     * Takes a pending notification for one try (its attempts counted), with the summary it tells; null
     * when it is delivered, failed or superseded. Its row lock makes a newer summary being stored either
     * supersede it first or wait until the summary is read, so the summary told is never a newer one.
     */
    async claim(id: string): Promise<
      | (Owner & {
          id: string;
          eventId: string;
          hook: HostNotificationHook;
          regenerated: boolean;
          attempts: number;
          summary: CallSummary;
        })
      | null
    > {
      return inTransaction(db.$client, async (tx) => {
        const [notification] = await tx
          .select()
          .from(hostNotifications)
          .where(and(eq(hostNotifications.id, id), eq(hostNotifications.state, "pending")))
          .for("update");
        if (!notification) return null;
        const [due] = await tx
          .select({ summary: summaries.summary })
          .from(summaries)
          .where(eq(summaries.eventId, notification.eventId));
        if (!due?.summary) return null;
        const attempts = notification.attempts + 1;
        await tx
          .update(hostNotifications)
          .set({ attempts, updatedAt: now() })
          .where(eq(hostNotifications.id, id));
        return {
          id,
          tenantId: notification.tenantId,
          userId: notification.userId,
          eventId: notification.eventId,
          hook: notification.hook,
          regenerated: notification.regenerated,
          attempts,
          summary: due.summary,
        };
      });
    },

    /**
     * Sends again the job of each notification left pending and untouched for `olderThanMs`: its job
     * ran out of tries without any worker finishing it (a process that died on each), so nothing would
     * ever tell the host. A job still queued for it meanwhile finds it delivered and does nothing, as
     * claims are taken one at a time. At most 500 a call; answers how many were sent again.
     */
    async resendStale(olderThanMs: number): Promise<number> {
      return inTransaction(db.$client, async (tx, client) => {
        const stale = tx
          .select({ id: hostNotifications.id })
          .from(hostNotifications)
          .where(
            and(
              eq(hostNotifications.state, "pending"),
              lt(hostNotifications.updatedAt, new Date(now().getTime() - olderThanMs)),
            ),
          )
          .limit(500);
        const resent = await tx
          .update(hostNotifications)
          .set({ updatedAt: now() })
          .where(inArray(hostNotifications.id, stale))
          .returning({ id: hostNotifications.id });
        for (const { id } of resent) {
          await input.queue.send(
            jobQueues.hostNotification,
            { notificationId: id },
            { db: onClient(client) },
          );
        }
        return resent.length;
      });
    },

    /**
     * Deletes what no one will read again: notifications delivered or superseded over `settledMs` ago,
     * and failed ones over `failedMs` ago (kept longer, for the host to see why). At most `limit` a
     * call, so one call never holds many rows locked; answers how many went.
     */
    async prune(options: { settledMs: number; failedMs: number; limit: number }): Promise<number> {
      const at = now().getTime();
      const doomed = db
        .select({ id: hostNotifications.id })
        .from(hostNotifications)
        .where(
          or(
            and(
              inArray(hostNotifications.state, ["delivered", "superseded"]),
              lt(hostNotifications.updatedAt, new Date(at - options.settledMs)),
            ),
            and(
              eq(hostNotifications.state, "failed"),
              lt(hostNotifications.updatedAt, new Date(at - options.failedMs)),
            ),
          ),
        )
        .limit(options.limit);
      const pruned = await db
        .delete(hostNotifications)
        .where(inArray(hostNotifications.id, doomed))
        .returning({ id: hostNotifications.id });
      return pruned.length;
    },

    /** The hook returned: told, for good. */
    async delivered(id: string): Promise<void> {
      await db
        .update(hostNotifications)
        .set({ state: "delivered", error: null, deliveredAt: now(), updatedAt: now() })
        .where(eq(hostNotifications.id, id));
    },

    /** The hook threw: kept pending for the next try (`final: false`), or given up on with its message. */
    async threw(id: string, message: string, final: boolean): Promise<void> {
      await db
        .update(hostNotifications)
        .set({ error: message, updatedAt: now(), ...(final && { state: "failed" as const }) })
        .where(and(eq(hostNotifications.id, id), eq(hostNotifications.state, "pending")));
    },
  };
}

export type HostNotificationStore = ReturnType<typeof createHostNotificationStore>;
