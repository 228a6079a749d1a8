import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import { jobQueues } from "../jobs/agendaJobs";
import type { CalendarSync } from "./createCalendarSync";

/**
 * Calendar sync's jobs as one module (its push webhooks live with each provider); with sync off
 * (`calendarSync: false`), the polling schedule left by an earlier start is removed.
 */
export function createSyncModule(input: { calendarSync: CalendarSync | null; queue: PgBoss }): AgendaModule {
  const { calendarSync } = input;
  return {
    async work() {
      if (calendarSync) await calendarSync.work();
      else await input.queue.unschedule(jobQueues.calendarPoll);
    },
  };
}
