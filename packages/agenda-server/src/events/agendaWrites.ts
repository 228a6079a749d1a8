import type { Attendee, Conference } from "@crm-agenda/shared";
import type { Pool, PoolClient, QueryResultRow } from "pg";
import type PgBoss from "pg-boss";
import { inTransaction } from "../db/inTransaction";
import { beginLockingOwners, type LiteralEscaper } from "../db/lockOwnerBookings";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient, untilCommit } from "../jobs/createQueue";
import type { Owner } from "../options";
import { createEventStore, type EventStore } from "./eventStore";

/** An agenda write to carry to the user's calendar. */
export type CalendarPushJob =
  | { action: "upsert"; eventId: string }
  | { action: "delete"; eventId: string; connectionId: string; externalId: string };

/**
 * A change to carry to a Zoom meeting the agenda made for an event: an update reads the event as it
 * is when the job runs; a delete carries the meeting, since the event's row is gone by then.
 */
export type ZoomMeetingJob =
  | { action: "update"; eventId: string }
  | { action: "delete"; tenantId: string; userId: string; meetingId: string };

/** Called inside the write's transaction, so the push is queued exactly when the write commits. */
export interface OutboundQueue {
  /** The event was created or changed. */
  changed(eventId: string): Promise<void>;
  /** These events were created or changed: one query and one insert of jobs. */
  changedMany(eventIds: readonly string[]): Promise<void>;
  /**
   * These new events belong to owners whose calendar takes CRM events (the caller read that in this
   * transaction): their pushes are queued in one insert, without asking again.
   */
  createdForPush(eventIds: readonly string[]): Promise<void>;
  /** The event's title, time or description changed: a Zoom meeting the agenda made for it follows. */
  meetingChanged(eventId: string): Promise<void>;
  /** The event is about to be deleted (call before deleting: its provider and meeting ids are read here). */
  deleting(eventId: string): Promise<void>;
}

/**
 * Agenda writes that go out to the user's calendar (when `pushToCalendars`) and to the Zoom meetings
 * the agenda made: the event row and its jobs commit in one transaction, so a write is never saved
 * without its push, nor pushed without being saved.
 */
export function createAgendaWrites(input: {
  pool: Pool;
  tables: AgendaTables;
  schema: string;
  queue: PgBoss;
  now: () => Date;
  /** Whether calendar sync runs (its push jobs have workers). */
  pushToCalendars: boolean;
}) {
  const s = quoteIdentifier(input.schema);
  return {
    /**
     * `client` is the transaction's own, for work that must read inside it (bookings). `lockOwners`:
     * the transaction opens holding these owners' booking locks; `readOnceLocked`: statements run
     * under those locks in the same round trip, whose rows `work` gets as `locked`.
     */
    async run<T>(
      work: (
        events: EventStore,
        outbound: OutboundQueue,
        client: PoolClient,
        locked: QueryResultRow[][],
      ) => Promise<T>,
      options: {
        lockOwners?: readonly Owner[];
        readOnceLocked?: (quote: LiteralEscaper) => readonly string[];
      } = {},
    ): Promise<T> {
      const begin = options.lockOwners
        ? beginLockingOwners(options.lockOwners, options.readOnceLocked)
        : async (client: PoolClient) => {
            await client.query("begin");
            return [] as QueryResultRow[][];
          };
      // The push jobs are inserted with COMMIT, in its round trip: one round trip less per write.
      let pushJobs: ReturnType<typeof untilCommit> | undefined;
      return inTransaction(
        input.pool,
        async (db, client, locked) => {
          const events = createEventStore(db, input.tables, input.now);
          const send = (job: CalendarPushJob) =>
            input.queue.send(jobQueues.calendarPush, job, { db: onClient(client) });
          /** Pushes the events that have a calendar copy, or whose owner's calendar takes CRM events. */
          async function changedMany(eventIds: readonly string[]) {
            if (!input.pushToCalendars || eventIds.length === 0) return;
            const { rows } = await client.query<{ id: string }>(
              `select e.id from ${s}.events e
              where e.id = any($1::uuid[])
                and (e.connection_id is not null
                     or exists (select 1 from ${s}.calendar_syncs c where c.tenant_id = e.tenant_id
                                   and c.user_id = e.user_id and c.push_crm_events))`,
              [eventIds],
            );
            await pushUpserts(rows.map(({ id }) => id));
          }
          async function pushUpserts(eventIds: readonly string[]) {
            if (!input.pushToCalendars || eventIds.length === 0) return;
            const jobs = eventIds.map((eventId) => ({
              name: jobQueues.calendarPush,
              data: { action: "upsert", eventId } satisfies CalendarPushJob,
            }));
            pushJobs ??= untilCommit((value) => client.escapeLiteral(value));
            await input.queue.insert(jobs, { db: pushJobs });
          }
          const sendZoom = (job: ZoomMeetingJob) =>
            input.queue.send(jobQueues.zoomMeeting, job, { db: onClient(client) });
          const result = await work(
            events,
            {
              changed: (eventId) => changedMany([eventId]),
              changedMany,
              createdForPush: pushUpserts,
              async meetingChanged(eventId) {
                const { rows } = await client.query(
                  `select 1 from ${s}.events where id = $1 and zoom_meeting_id is not null`,
                  [eventId],
                );
                if (rows.length > 0) await sendZoom({ action: "update", eventId });
              },
              async deleting(eventId) {
                const { rows } = await client.query<{
                  connection_id: string | null;
                  external_id: string | null;
                  tenant_id: string;
                  user_id: string;
                  zoom_meeting_id: string | null;
                }>(
                  `select connection_id, external_id, tenant_id, user_id, zoom_meeting_id from ${s}.events where id = $1`,
                  [eventId],
                );
                const row = rows[0];
                if (row?.zoom_meeting_id) {
                  await sendZoom({
                    action: "delete",
                    tenantId: row.tenant_id,
                    userId: row.user_id,
                    meetingId: row.zoom_meeting_id,
                  });
                }
                if (input.pushToCalendars && row?.connection_id && row.external_id) {
                  await send({
                    action: "delete",
                    eventId,
                    connectionId: row.connection_id,
                    externalId: row.external_id,
                  });
                }
              },
            },
            client,
            locked,
          );
          return result;
        },
        begin,
        () => pushJobs?.statements() ?? [],
      );
    },
  };
}

export type AgendaWrites = ReturnType<typeof createAgendaWrites>;

/** An events row as `select *` reads it. */
export interface EventRow {
  id: string;
  tenant_id: string;
  user_id: string;
  title: string;
  description: string | null;
  start_at: Date;
  end_at: Date;
  all_day: boolean;
  time_zone: string;
  location: string | null;
  conference: Conference | null;
  attendees: Attendee[];
  source: string;
  connection_id: string | null;
  external_id: string | null;
  external_etag: string | null;
  updated_at: Date;
  synced_at: Date | null;
  zoom_meeting_id: string | null;
  recurrence: string | null;
  series_master_id: string | null;
  original_start_at: Date | null;
  cancelled: boolean;
}
