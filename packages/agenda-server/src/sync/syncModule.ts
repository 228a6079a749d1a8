import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "../AgendaModule";
import { jobQueues } from "../jobs/agendaJobs";
import type { DeliveryRecorder } from "../webhooks/recordDelivery";
import type { CalendarSync } from "./createCalendarSync";
import { mountSyncRoutes } from "./syncRoutes";

/**
 * Calendar sync as one module: the push notification routes of Google Calendar and Outlook, and the
 * sync's jobs; with sync off (`calendarSync: false`), no route, and the polling schedule left by an
 * earlier start is removed.
 */
export function createSyncModule(input: {
  calendarSync: CalendarSync | null;
  queue: PgBoss;
  deliveries: DeliveryRecorder;
  pool: Pool;
  schema: string;
}): AgendaModule {
  const { calendarSync } = input;
  return {
    mount(router, context) {
      if (!calendarSync) return;
      mountSyncRoutes(router, context, {
        sync: calendarSync,
        deliveries: input.deliveries,
        pool: input.pool,
        schema: input.schema,
      });
    },
    async work() {
      if (calendarSync) await calendarSync.work();
      else await input.queue.unschedule(jobQueues.calendarPoll);
    },
  };
}
