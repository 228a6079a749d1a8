import type PgBoss from "pg-boss";

/** The agenda's job queues. Every job is retried with backoff, then dead-lettered. */
export const jobQueues = {
  zoomEvent: "agenda.zoom-event",
  /** One call's transcript to summary; data `{ eventId }`, one job at a time per event. */
  callSummary: "agenda.call-summary",
  /** The polling fallback: finished calls whose webhook never came. */
  callPoll: "agenda.call-poll",
  deadLetters: "agenda.dead-letters",
} as const;

export type JobQueue = (typeof jobQueues)[keyof typeof jobQueues];

export interface JobPolicy {
  /** Attempts after the first. @default 10 */
  retryLimit: number;
  /** Seconds before the first retry, doubling each time. @default 5 */
  retryDelaySeconds: number;
  /** A job running longer is taken as lost (its worker died) and retried. @default 900 */
  timeoutSeconds: number;
}

export const defaultJobPolicy: JobPolicy = { retryLimit: 10, retryDelaySeconds: 5, timeoutSeconds: 15 * 60 };

/** Creates the queues (idempotent), each with its retry policy and the dead-letter queue. */
export async function createJobQueues(queue: PgBoss, policy: JobPolicy): Promise<void> {
  await queue.createQueue(jobQueues.deadLetters, { name: jobQueues.deadLetters, retentionDays: 30 });
  for (const name of Object.values(jobQueues)) {
    if (name === jobQueues.deadLetters) continue;
    await queue.createQueue(name, {
      name,
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: policy.timeoutSeconds,
      deadLetter: jobQueues.deadLetters,
    });
  }
}
