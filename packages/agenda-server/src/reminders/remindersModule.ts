import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import { parseEncryptionKeys } from "../connections/tokenCipher";
import { inTransaction } from "../db/inTransaction";
import { toCalendarEvent } from "../events/eventStore";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";
import { workEach } from "../jobs/fanOut";
import type { AgendaHooks, ClientDirectory, EncryptionKey, ReminderOptions } from "../options";
import { createReminderLinks } from "./reminderLinks";
import { mountReminderRoutes } from "./reminderRoutes";
import { createReminderStore } from "./reminderStore";

/** Reminders are added this far ahead of their time, so each minute's round finds every one before it is due. */
const lookaheadMs = 2 * 60_000;

export const defaultReminderOffsetsMinutes = [1440, 60];

/**
 * Reminders of events with a client, as one module. Every minute a round reads the events table (the
 * one place every writer changes: agenda routes, calendar sync, bookings) and adds the reminders due
 * within two minutes, each row with its pg-boss job starting at its time, in one transaction. The job
 * claims its row by compare-and-set only if the event still has that start, its client and no
 * cancellation, then calls the hook; so a move, a delete or a cancel by any writer is honoured when
 * the reminder would go, and the next round adds the new time's reminder.
 */
export function createRemindersModule(input: {
  pool: Pool;
  schema: string;
  queue: PgBoss;
  clients: ClientDirectory;
  onReminder: AgendaHooks["onReminder"];
  notifyEventChanged(change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]): void;
  options: ReminderOptions | false | undefined;
  /** Keys for tokens at rest, or their text form (see `parseEncryptionKeys`): the links' keys derive from them. */
  encryptionKeys: EncryptionKey[] | string | undefined;
  publicUrl: string | undefined;
  /** How long a claim holds while the hook runs (the jobs' timeout, after which they are retried). */
  leaseSeconds: number;
  now: () => Date;
  reportError(error: unknown): void;
}): AgendaModule {
  const store = createReminderStore(input.pool, input.schema);
  const keys =
    typeof input.encryptionKeys === "string"
      ? parseEncryptionKeys(input.encryptionKeys)
      : input.encryptionKeys;
  const links = keys?.length ? createReminderLinks(keys) : null;
  const { onReminder } = input;
  const offsetsSeconds = [
    ...new Set(
      (input.options
        ? (input.options.offsetsMinutes ?? defaultReminderOffsetsMinutes)
        : defaultReminderOffsetsMinutes
      ).map((minutes) => {
        if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 366 * 1440) {
          throw new Error(
            `createAgenda: reminders.offsetsMinutes has ${minutes}; give minutes before the event, above 0 and at most a year`,
          );
        }
        return Math.round(minutes * 60);
      }),
    ),
  ];
  if (onReminder && (!links || !input.publicUrl)) {
    throw new Error(
      "createAgenda: hooks.onReminder needs encryptionKeys (to sign the confirm and cancel links) and publicUrl (to build them)",
    );
  }

  async function tick(): Promise<number> {
    const now = input.now();
    return inTransaction(input.pool, async (_db, client) => {
      const added = await store.addDue(client, now, new Date(now.getTime() + lookaheadMs), offsetsSeconds);
      if (added.length === 0) return 0;
      await input.queue.insert(
        added.map((reminder) => {
          const delaySeconds = Math.max(0, Math.ceil((reminder.dueAt.getTime() - now.getTime()) / 1000));
          return {
            name: jobQueues.reminder,
            data: { reminderId: reminder.id },
            singletonKey: reminder.id,
            // Relative to the database's clock, which is the one pg-boss starts jobs by.
            ...(delaySeconds > 0 && { startAfter: `${delaySeconds} seconds` }),
          };
        }),
        { db: onClient(client) },
      );
      return added.length;
    });
  }

  async function send(reminderId: string): Promise<void> {
    if (!onReminder || !links || !input.publicUrl) return;
    const now = input.now();
    const claimed = await store.claim(reminderId, now, new Date(now.getTime() + input.leaseSeconds * 1000));
    if (!claimed) {
      await store.dropIfStale(reminderId);
      return;
    }
    const { event } = claimed;
    const client = event.clientId ? await input.clients.get(event.tenantId, event.clientId) : null;
    if (!client) {
      await store.finish(reminderId, "skipped", input.now());
      return;
    }
    const link = (action: "confirm" | "cancel") =>
      `${input.publicUrl}/reminders/${links.sign({ eventId: event.id, action, start: event.startAt, expiresAt: event.endAt })}/${action}`;
    try {
      await onReminder({
        reminderId,
        tenantId: event.tenantId,
        userId: event.userId,
        event: toCalendarEvent(event),
        client,
        offset: claimed.offsetSeconds / 60,
        confirmUrl: link("confirm"),
        cancelUrl: link("cancel"),
      });
    } catch (error) {
      await store.release(reminderId, input.now());
      input.reportError(error);
      throw error;
    }
    await store.finish(reminderId, "sent", input.now());
  }

  return {
    mount(router, context) {
      if (!links) return;
      mountReminderRoutes(router, context, {
        links,
        store,
        now: input.now,
        notify: input.notifyEventChanged,
      });
    },
    async work() {
      if (!onReminder) {
        await input.queue.unschedule(jobQueues.reminderTick);
        return;
      }
      await input.queue.work(jobQueues.reminderTick, async () => {
        await tick();
      });
      await workEach<{ reminderId: string }>(
        input.queue,
        jobQueues.reminder,
        { concurrency: 5, pollingIntervalSeconds: 1 },
        (data) => send(data.reminderId),
      );
      await input.queue.schedule(jobQueues.reminderTick, "* * * * *");
    },
  };
}
