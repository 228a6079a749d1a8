import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import type { JobPolicy } from "../options";
import { createJobQueues } from "./agendaJobs";
import { startQueue } from "./createQueue";

/**
 * The job queue as a module: started (with the agenda's queues) before the modules that send jobs,
 * stopped after them, letting running jobs finish for up to `stopTimeoutSeconds`; those still
 * running then are retried later, here or on another instance.
 */
export function createJobsModule(input: {
  pool: Pool;
  queue: PgBoss;
  /** pg-boss's schema. */
  schema: string;
  policy: JobPolicy;
  stopTimeoutSeconds: number;
}): AgendaModule & { started(): boolean } {
  const { queue } = input;
  let started = false;
  return {
    started: () => started,
    async start() {
      await startQueue(input.pool, queue, input.schema, async () => {
        started = true;
        await createJobQueues(queue, input.policy);
      });
    },
    async stop() {
      if (!started) return;
      try {
        await queue.stop({
          graceful: true,
          wait: true,
          close: false,
          timeout: input.stopTimeoutSeconds * 1000,
        });
      } finally {
        started = false;
      }
    },
  };
}
