import { quoteIdentifier } from "../db/migrate";
import { withConnectionLock } from "../db/withConnectionLock";
import type { CalendarPushJob, EventRow } from "../events/agendaWrites";
import {
  type CalendarAccess,
  ExternalEventGoneError,
  type OutboundEvent,
  type OutboundException,
  SyncConflictError,
  type WrittenEvent,
} from "./CalendarProvider";
import { applyChanges, readSyncTarget, type SyncContext } from "./syncConnection";

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
      ...outboundFields(row, row.id),
      addMeetLink: row.conference?.provider === "meet" && !row.conference.joinUrl,
      conference: row.conference,
      ...(row.recurrence && {
        recurrence: row.recurrence,
        exceptions: await readExceptions(context, row.id),
      }),
    };
    /** Deleted at the provider after the agenda's change: the deletion stands, and is recorded. */
    const deletionStands = async () => {
      await context.pool.query(
        `insert into ${s}.sync_conflicts (connection_id, event_id, external_id, winner, local_updated_at, detail)
         values ($1, $2, $3, 'provider', $4, 'changed in the agenda, deleted at the provider')`,
        [connectionId, row.id, row.external_id, row.updated_at],
      );
      await context.pool.query(`delete from ${s}.events where id = $1`, [row.id]);
    };
    let written: WrittenEvent;
    if (!row.external_id) {
      written = await calendar.insert(access, outbound);
    } else {
      try {
        written = await calendar.update(access, row.external_id, outbound, row.external_etag);
      } catch (error) {
        if (error instanceof ExternalEventGoneError) return deletionStands();
        if (!(error instanceof SyncConflictError)) throw error;
        // The copy changed since the agenda last saw it: a deletion (Google keeps a deleted event,
        // cancelled, under a new etag) or a change.
        const remote = await calendar.get(access, row.external_id);
        if (!remote) return deletionStands();
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

/** A series' occurrences changed or cancelled on their own, as the push carries them. */
async function readExceptions(context: SyncContext, masterId: string): Promise<OutboundException[]> {
  const s = quoteIdentifier(context.schema);
  const { rows } = await context.pool.query<EventRow>(
    `select * from ${s}.events where series_master_id = $1 order by original_start_at`,
    [masterId],
  );
  return rows.map((row) => ({
    originalStart: row.original_start_at!,
    event: row.cancelled ? null : { ...outboundFields(row, masterId), conference: row.conference },
  }));
}

/** An event row as written to a provider, under the agenda id it carries as our marker. */
function outboundFields(row: EventRow, crmEventId: string) {
  return {
    crmEventId,
    title: row.title,
    description: row.description,
    start: row.start_at,
    end: row.end_at,
    allDay: row.all_day,
    timeZone: row.time_zone,
    location: row.location,
    attendees: row.attendees,
  };
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
