import type PgBoss from "pg-boss";

/** The agenda's job queues. Every job is retried with backoff, then dead-lettered. */
export const jobQueues = {
  zoomEvent: "agenda.zoom-event",
  deadLetters: "agenda.dead-letters",
} as const;

export type JobQueue = (typeof jobQueues)[keyof typeof jobQueues];

const retry = { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 } as const;

/** Creates the queues (idempotent), each with its retry policy and the dead-letter queue. */
export async function createJobQueues(queue: PgBoss): Promise<void> {
  await queue.createQueue(jobQueues.deadLetters, { name: jobQueues.deadLetters, retentionDays: 30 });
  for (const name of Object.values(jobQueues)) {
    if (name === jobQueues.deadLetters) continue;
    await queue.createQueue(name, { name, ...retry, deadLetter: jobQueues.deadLetters });
  }
}
