import type { CalendarEvent } from "@crm-agenda/shared";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import { parseEncryptionKeys } from "../connections/tokenCipher";
import { inTransaction } from "../db/inTransaction";
import type { AgendaTables } from "../db/schema";
import { toCalendarEvent } from "../events/eventStore";
import type { LinkGuessLimit } from "../http/createLinkGuessLimit";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";
import { workEach } from "../jobs/fanOut";
import type { AgendaHooks, ClientDirectory, EncryptionKey, ReminderOptions } from "../options";
import { occurrenceId } from "../series/seriesStore";
import { createOccurrenceReminders } from "./occurrenceReminders";
import { createReminderLinks } from "./reminderLinks";
import { mountReminderRoutes } from "./reminderRoutes";
import { createReminderStore } from "./reminderStore";

/** A reminder claimed for sending, with what it is about as the agenda shows it now. */
interface Claimed {
  offsetSeconds: number;
  tenantId: string;
  userId: string;
  event: CalendarEvent;
}

/** Reminders are added this far ahead of their time, so each minute's round finds every one before it is due. */
const lookaheadMs = 2 * 60_000;

export const defaultReminderOffsetsMinutes = [1440, 60];

/**
 * Reminders of events with a client, as one module. Every minute a round reads the events table (the
 * one place every writer changes: agenda routes, calendar sync, bookings) and adds the reminders due
 * within two minutes, each row with its pg-boss job starting at its time, in one transaction. The job
 * claims its row by compare-and-set only if the event still has that start, its client and no
 * cancellation, then calls the hook; so a move, a delete or a cancel by any writer is honoured when
 * the reminder would go, and the next round adds the new time's reminder. A series made in the agenda
 * is one row expanded when read: each of its occurrences is reminded of as the agenda shows it (moved,
 * cancelled, cut off), its row naming the series and the occurrence's start in it, and its claim
 * checked with the series locked against writes.
 */
export function createRemindersModule(input: {
  /** The budget of failed lookups per client address, shared with the other secret links. */
  linkGuesses: LinkGuessLimit;
  pool: Pool;
  schema: string;
  tables: AgendaTables;
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
  const occurrenceReminders = createOccurrenceReminders(input.tables, input.now);
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
    const until = new Date(now.getTime() + lookaheadMs);
    return inTransaction(input.pool, async (db, client) => {
      const occurrences = await occurrenceReminders.starting(
        db,
        now,
        new Date(until.getTime() + Math.max(...offsetsSeconds) * 1000),
      );
      const added = [
        ...(await store.addDue(client, now, until, offsetsSeconds)),
        ...(await store.addDueOccurrences(client, now, until, offsetsSeconds, occurrences)),
      ];
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

  /**
   * Claims a reminder when it still stands: its event (or occurrence) has not moved, still has a
   * client the client did not cancel, and has not started. One caller wins, however many try.
   */
  async function claim(reminderId: string, now: Date): Promise<Claimed | null> {
    const about = await store.about(reminderId);
    if (!about) return null;
    const leaseUntil = new Date(now.getTime() + input.leaseSeconds * 1000);
    const { occurrenceStart } = about;
    if (!occurrenceStart) {
      const claimed = await store.claim(reminderId, now, leaseUntil);
      return (
        claimed && {
          offsetSeconds: claimed.offsetSeconds,
          tenantId: claimed.event.tenantId,
          userId: claimed.event.userId,
          event: toCalendarEvent(claimed.event),
        }
      );
    }
    return inTransaction(input.pool, async (db, client) => {
      const found = await occurrenceReminders.find(db, occurrenceId(about.eventId, occurrenceStart));
      if (!found) return null;
      const { event } = found;
      const start = Date.parse(event.start);
      const claimed = await store.claimOccurrence(
        client,
        reminderId,
        now,
        leaseUntil,
        (remindedStart) =>
          remindedStart.getTime() === start &&
          start > now.getTime() &&
          event.clientMatch.clientId !== null &&
          event.attendance !== "cancelled",
      );
      return claimed && { offsetSeconds: claimed.offsetSeconds, ...found.owner, event };
    });
  }

  async function send(reminderId: string): Promise<void> {
    if (!onReminder || !links || !input.publicUrl) return;
    const claimed = await claim(reminderId, input.now());
    if (!claimed) {
      await store.dropIfStale(reminderId);
      return;
    }
    const { event } = claimed;
    const clientId = event.clientMatch.clientId;
    const client = clientId ? await input.clients.get(claimed.tenantId, clientId) : null;
    if (!client) {
      await store.finish(reminderId, "skipped", input.now());
      return;
    }
    // An occurrence's links name the occurrence (its id), so the answer is for it alone.
    const link = (action: "confirm" | "cancel") =>
      `${input.publicUrl}/reminders/${links.sign({ eventId: event.id, action, start: new Date(event.start), expiresAt: new Date(event.end) })}/${action}`;
    try {
      await onReminder({
        reminderId,
        tenantId: claimed.tenantId,
        userId: claimed.userId,
        event,
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
        occurrences: occurrenceReminders,
        pool: input.pool,
        linkGuesses: input.linkGuesses,
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
