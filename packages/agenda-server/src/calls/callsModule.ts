import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import { jobQueues } from "../jobs/agendaJobs";
import { workEach } from "../jobs/fanOut";
import type { CallPolling } from "./pollCalls";
import { type CallPipeline, processCallTranscript } from "./processCallTranscript";

/**
 * The call pipeline's background work: each call's summary job, and the polling fallback (its tick,
 * one job per connection, and its schedule, or none when `polling: false`).
 */
export function createCallsModule(input: {
  queue: PgBoss;
  pipeline: CallPipeline;
  polling: CallPolling;
  /** Per-connection polls this instance runs at once. */
  pollConcurrency: number;
  /** Minutes between polling rounds, or false when the host turned polling off. */
  pollIntervalMinutes: number | false;
}): AgendaModule {
  const { queue, pipeline, polling } = input;
  return {
    async work() {
      await queue.work<{ eventId: string }>(
        jobQueues.callSummary,
        { includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            await processCallTranscript(
              job.data.eventId,
              { isLast: job.retryCount >= job.retryLimit },
              pipeline,
            );
          }
        },
      );
      // A tick sent by hand (`{}`) reaches every connection at once; the scheduled one spreads them.
      await queue.work<{ spreadSeconds?: number }>(jobQueues.callPoll, async ([tick]) => {
        await polling.fanOut((tick?.data.spreadSeconds ?? 0) * 1000);
      });
      await workEach<{ connectionId: string }>(
        queue,
        jobQueues.callPollConnection,
        { concurrency: input.pollConcurrency },
        async (data) => {
          await polling.pollConnection(data.connectionId);
        },
      );
      if (input.pollIntervalMinutes !== false) {
        const minutes = Math.min(Math.max(Math.round(input.pollIntervalMinutes), 1), 60);
        await queue.schedule(jobQueues.callPoll, minutes === 60 ? "0 * * * *" : `*/${minutes} * * * *`, {
          spreadSeconds: minutes * 60,
        });
      } else {
        await queue.unschedule(jobQueues.callPoll);
      }
    },
  };
}
