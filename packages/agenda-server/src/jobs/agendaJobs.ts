import type PgBoss from "pg-boss";
import type { JobPolicy } from "../options";

/** The agenda's job queues. Every job is retried with backoff, then dead-lettered. */
export const jobQueues = {
  zoomEvent: "agenda.zoom-event",
  /** One call's transcript to summary; data `{ eventId }`, one job at a time per event. */
  callSummary: "agenda.call-summary",
  /** Tells the host's hook of one stored summary; data `{ notificationId }`, retried while the hook throws. */
  hostNotification: "agenda.host-notification",
  /** A Google Workspace event (a Meet transcript, a subscription's lifecycle); data {@link WorkspaceEventJob}. */
  workspaceEvent: "agenda.workspace-event",
  /** Subscribes a connected Google user to their Meet transcripts; data `{ connectionId }`. */
  meetSubscribe: "agenda.meet-subscribe",
  /** The polling fallback's tick: one {@link jobQueues.callPollConnection} job per polled connection. */
  callPoll: "agenda.call-poll",
  /** One connection's finished calls whose webhook never came; data `{ connectionId }`, one waiting per connection. */
  callPollConnection: "agenda.call-poll-connection",
  /** One sync of one calendar connection; data `{ connectionId, full? }`, one queued and one running per connection. */
  calendarSync: "agenda.calendar-sync",
  /** One agenda write to push to the user's calendar; data {@link CalendarPushJob}. */
  calendarPush: "agenda.calendar-push",
  /** A change to carry to a Zoom meeting the agenda made for an event; data `ZoomMeetingJob`. */
  zoomMeeting: "agenda.zoom-meeting",
  /** Opens or renews a connection's push channel (Google) or subscription (Graph); data `{ connectionId }`. */
  calendarWatch: "agenda.calendar-watch",
  /** The calendar polling fallback's tick, every minute: a sync or watch job per connection due. */
  calendarPoll: "agenda.calendar-poll",
  /** Reminders' round, every minute: adds the reminders due soon, each with its job; data `{}`. */
  reminderTick: "agenda.reminder-tick",
  /** One reminder to send at its time; data `{ reminderId }`, claimed once however often it runs. */
  reminder: "agenda.reminder",
  deadLetters: "agenda.dead-letters",
} as const;

export type JobQueue = (typeof jobQueues)[keyof typeof jobQueues];

/**
 * Queues where a job per singleton key may wait while another runs, and no more (pg-boss `stately`:
 * one created, one retry and one active job per key). A call summary's job is sent only by the
 * change that makes its summary due, so a second one is refused here rather than queued behind the
 * first: a job that cannot become active stops pg-boss 10 from fetching any job of its queue.
 */
const statelyQueues = new Set<string>([
  jobQueues.calendarSync,
  jobQueues.calendarWatch,
  jobQueues.callSummary,
]);
/**
 * Queues where one job per singleton key may wait (pg-boss `short`), the run itself guarded by a lock:
 * pg-boss 10's `stately` fetch fails outright when the next job's key is running, stalling every
 * other connection's job behind it.
 */
const shortQueues = new Set<string>([jobQueues.callPollConnection]);

export const defaultJobPolicy: JobPolicy = {
  retryLimit: 10,
  retryDelaySeconds: 5,
  timeoutSeconds: 15 * 60,
  maintenanceIntervalSeconds: 60,
  pollConcurrency: 3,
};

/**
 * Creates the queues, each with its retry policy and the dead-letter queue, and brings queues an older
 * version created up to date (pg-boss's createQueue leaves an existing queue as it was). Idempotent.
 */
export async function createJobQueues(queue: PgBoss, policy: JobPolicy): Promise<void> {
  await queue.createQueue(jobQueues.deadLetters, { name: jobQueues.deadLetters, retentionDays: 30 });
  for (const name of Object.values(jobQueues)) {
    if (name === jobQueues.deadLetters) continue;
    const options = {
      name,
      policy: statelyQueues.has(name)
        ? ("stately" as const)
        : shortQueues.has(name)
          ? ("short" as const)
          : ("standard" as const),
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: policy.timeoutSeconds,
      deadLetter: jobQueues.deadLetters,
    };
    await queue.createQueue(name, options);
    await queue.updateQueue(name, options);
  }
}
