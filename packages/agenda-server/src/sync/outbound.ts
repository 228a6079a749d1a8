import type { Attendee, Conference } from "@crm-agenda/shared";
import { drizzle } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";
import { createEventStore, type EventStore } from "../events/eventStore";
import type { ZoomMeetingJob } from "../events/followZoomMeeting";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";
import {
  type CalendarAccess,
  ExternalEventGoneError,
  type OutboundEvent,
  SyncConflictError,
  type WrittenEvent,
} from "./CalendarProvider";
import { applyChanges, readSyncTarget, type SyncContext, withConnectionLock } from "./syncConnection";

/** An agenda write to carry to the user's calendar. */
export type CalendarPushJob =
  | { action: "upsert"; eventId: string }
  | { action: "delete"; eventId: string; connectionId: string; externalId: string };

/** Called inside the write's transaction, so the push is queued exactly when the write commits. */
export interface OutboundQueue {
  /** The event was created or changed. */
  changed(eventId: string): Promise<void>;
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
    async run<T>(work: (events: EventStore, outbound: OutboundQueue) => Promise<T>): Promise<T> {
      const client = await input.pool.connect();
      try {
        await client.query("begin");
        const events = createEventStore(drizzle(client), input.tables, input.now);
        const send = (job: CalendarPushJob) =>
          input.queue.send(jobQueues.calendarPush, job, { db: onClient(client) });
        const sendZoom = (job: ZoomMeetingJob) =>
          input.queue.send(jobQueues.zoomMeeting, job, { db: onClient(client) });
        const result = await work(events, {
          async changed(eventId) {
            if (!input.pushToCalendars) return;
            const { rows } = await client.query<{ linked: boolean; pushes: boolean }>(
              `select e.connection_id is not null as linked,
                      exists (select 1 from ${s}.calendar_syncs c where c.tenant_id = e.tenant_id
                                 and c.user_id = e.user_id and c.push_crm_events) as pushes
                 from ${s}.events e where e.id = $1`,
              [eventId],
            );
            if (rows[0] && (rows[0].linked || rows[0].pushes)) await send({ action: "upsert", eventId });
          },
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
        });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
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
}

/**
 * The push job: the event as it is now goes to its own connection (a synced event moved in the
 * agenda) or to the calendar the user chose for CRM events. A retry never duplicates (our id, or
 * Graph's transactionId); a copy changed at the provider meanwhile is a conflict the later writer
 * wins, recorded; a copy deleted there takes the agenda's event with it.
 */
export async function pushEvent(job: CalendarPushJob, context: SyncContext): Promise<void> {
  const s = quoteIdentifier(context.schema);
  if (job.action === "delete") {
    await withConnectionLock(context.pool, context.schema, job.connectionId, async () => {
      const target = await readSyncTarget(context.pool, context.schema, job.connectionId);
      const calendar = target && context.calendars[target.provider];
      if (!target || !calendar) return;
      await calendar.delete(await accessFor(context, target), job.externalId);
    });
    return;
  }
  const readRow = async () =>
    (await context.pool.query<EventRow>(`select * from ${s}.events where id = $1`, [job.eventId])).rows[0];
  const first = await readRow();
  if (!first) return;
  const connectionId =
    first.connection_id ??
    (
      await context.pool.query<{ connection_id: string }>(
        `select connection_id from ${s}.calendar_syncs where tenant_id = $1 and user_id = $2 and push_crm_events
          order by created_at limit 1`,
        [first.tenant_id, first.user_id],
      )
    ).rows[0]?.connection_id;
  if (!connectionId) return;
  await withConnectionLock(context.pool, context.schema, connectionId, async () => {
    const row = await readRow();
    if (!row || (row.connection_id && row.connection_id !== connectionId)) return;
    // Already in step: a sync brought it, or an earlier attempt of this job pushed it.
    if (row.external_id && row.synced_at && row.updated_at <= row.synced_at) return;
    const target = await readSyncTarget(context.pool, context.schema, connectionId);
    const calendar = target && context.calendars[target.provider];
    if (!target || !calendar) return;
    const access = await accessFor(context, target);
    const outbound: OutboundEvent = {
      crmEventId: row.id,
      title: row.title,
      description: row.description,
      start: row.start_at,
      end: row.end_at,
      allDay: row.all_day,
      timeZone: row.time_zone,
      location: row.location,
      attendees: row.attendees,
      addMeetLink: row.conference?.provider === "meet" && !row.conference.joinUrl,
      conference: row.conference,
    };
    let written: WrittenEvent;
    if (!row.external_id) {
      written = await calendar.insert(access, outbound);
    } else {
      try {
        written = await calendar.update(access, row.external_id, outbound, row.external_etag);
      } catch (error) {
        if (error instanceof ExternalEventGoneError) {
          // Deleted at the provider after the agenda's change: the deletion stands.
          await context.pool.query(
            `insert into ${s}.sync_conflicts (connection_id, event_id, external_id, winner, local_updated_at, detail)
             values ($1, $2, $3, 'provider', $4, 'changed in the agenda, deleted at the provider')`,
            [connectionId, row.id, row.external_id, row.updated_at],
          );
          await context.pool.query(`delete from ${s}.events where id = $1`, [row.id]);
          return;
        }
        if (!(error instanceof SyncConflictError)) throw error;
        const remote = await calendar.get(access, row.external_id);
        if (!remote) return;
        // Records the conflict, and takes the provider's copy when it is the later one.
        await applyChanges(context, target, [remote]);
        if ((remote.updatedAt?.getTime() ?? 0) > row.updated_at.getTime()) return;
        written = await calendar.update(access, row.external_id, outbound, null);
      }
    }
    await context.pool.query(
      `update ${s}.events set connection_id = $2, external_id = $3, external_etag = $4, external_updated_at = $5,
          crm_made = crm_made or source = 'crm', synced_at = $6,
          conference = case when $7::jsonb is not null and (conference is null or conference->>'joinUrl' is null)
                            then $7::jsonb else conference end
        where id = $1`,
      [
        row.id,
        connectionId,
        written.externalId,
        written.etag,
        written.updatedAt,
        row.updated_at,
        written.conference ? JSON.stringify(written.conference) : null,
      ],
    );
  });
}

async function accessFor(
  context: SyncContext,
  target: { connectionId: string; calendarId: string },
): Promise<CalendarAccess> {
  return {
    connectionId: target.connectionId,
    accessToken: await context.connections.accessToken(target.connectionId),
    calendarId: target.calendarId,
  };
}
