import type { Pool, PoolClient } from "pg";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";

type EventRow = AgendaTables["events"]["$inferSelect"];

/** A reminder claimed for sending, with its event as it is now. */
export interface ClaimedReminder {
  id: string;
  offsetSeconds: number;
  eventId: string;
}

/** The reminders' queries: raw SQL, as they work on sets (every due event times every offset). */
export function createReminderStore(pool: Pool, schema: string) {
  const s = quoteIdentifier(schema);
  return {
    /**
     * Adds the reminders falling due by `until` of events that have a client and have not started:
     * one row per event, offset and start, so a row already there (sent, or waiting) is left as it is.
     * A reminder whose time had passed when the event took its current form (`updated_at`: made,
     * moved, or given its client then) is never added: nobody is reminded a day ahead of a meeting
     * booked two hours before it. Nor one a quarter of its offset late (the agenda was down, or
     * reminders were just turned on): a day's reminder still goes 6 hours late, an hour's 15 minutes.
     */
    async addDue(
      client: PoolClient,
      now: Date,
      until: Date,
      offsetsSeconds: readonly number[],
    ): Promise<{ id: string; dueAt: Date }[]> {
      const { rows } = await client.query<{ id: string; due_at: Date }>(
        `insert into ${s}.reminders (event_id, tenant_id, user_id, offset_seconds, start_at, due_at, created_at, updated_at)
         select e.id, e.tenant_id, e.user_id, o.seconds, e.start_at, e.start_at - make_interval(secs => o.seconds), $1, $1
           from ${s}.events e cross join unnest($3::int[]) as o(seconds)
          where e.client_id is not null
            and e.start_at > $1
            and e.start_at <= $2::timestamptz + make_interval(secs => $4)
            and e.start_at - make_interval(secs => o.seconds) <= $2
            and e.start_at - make_interval(secs => o.seconds) >= e.updated_at
            and e.start_at - make_interval(secs => o.seconds) >= $1::timestamptz - make_interval(secs => o.seconds / 4.0)
            and (e.attendance is distinct from 'cancelled' or e.attendance_start_at is distinct from e.start_at)
         on conflict (event_id, offset_seconds, start_at) do nothing
         returning id, due_at`,
        [now, until, offsetsSeconds, Math.max(...offsetsSeconds)],
      );
      return rows.map((row) => ({ id: row.id, dueAt: row.due_at }));
    },

    /**
     * Claims a reminder for sending by compare-and-set, when it still stands: its event has not moved,
     * still has a client the client did not cancel, and has not started. One caller wins, however many
     * jobs or instances try at once; a claim whose lease lapsed (its worker died) may be taken again.
     */
    async claim(
      id: string,
      now: Date,
      leaseUntil: Date,
    ): Promise<(ClaimedReminder & { event: EventRow }) | null> {
      const { rows } = await pool.query<{ id: string; offset_seconds: number; event_id: string }>(
        `update ${s}.reminders r set state = 'sending', claimed_until = $3, attempts = r.attempts + 1, updated_at = $2
           from ${s}.events e
          where r.id = $1 and e.id = r.event_id
            and (r.state = 'pending' or (r.state = 'sending' and r.claimed_until < $2))
            and e.start_at = r.start_at and e.start_at > $2 and e.client_id is not null
            and (e.attendance is distinct from 'cancelled' or e.attendance_start_at is distinct from e.start_at)
          returning r.id, r.offset_seconds, r.event_id`,
        [id, now, leaseUntil],
      );
      const row = rows[0];
      if (!row) return null;
      const event = await this.event(row.event_id);
      return event ? { id: row.id, offsetSeconds: row.offset_seconds, eventId: row.event_id, event } : null;
    },

    /** The event as the agenda's own rows read, in drizzle's shape. */
    async event(eventId: string): Promise<EventRow | null> {
      const { rows } = await pool.query<EventRow>(
        `select id, tenant_id as "tenantId", user_id as "userId", title, description, start_at as "startAt",
                end_at as "endAt", all_day as "allDay", time_zone as "timeZone", location, conference, attendees,
                source, client_id as "clientId", client_name as "clientName",
                client_match_method as "clientMatchMethod", summary_status as "summaryStatus",
                attendance, attendance_start_at as "attendanceStartAt", attendance_at as "attendanceAt",
                created_at as "createdAt", updated_at as "updatedAt"
           from ${s}.events where id = $1`,
        [eventId],
      );
      return rows[0] ?? null;
    },

    /**
     * A waiting reminder that no longer stands (moved, cancelled, client gone, started) is dropped; a
     * claimed or sent one is left alone. A later tick adds the reminder of the new start, if any.
     */
    async dropIfStale(id: string): Promise<void> {
      await pool.query(`delete from ${s}.reminders where id = $1 and state = 'pending'`, [id]);
    },

    async finish(id: string, state: "sent" | "skipped", now: Date): Promise<void> {
      await pool.query(
        `update ${s}.reminders set state = $2, sent_at = case when $2 = 'sent' then $3::timestamptz end,
                claimed_until = null, updated_at = $3
          where id = $1 and state = 'sending'`,
        [id, state, now],
      );
    },

    /** The hook failed: the reminder waits again, for the job's retry. */
    async release(id: string, now: Date): Promise<void> {
      await pool.query(
        `update ${s}.reminders set state = 'pending', claimed_until = null, updated_at = $2
          where id = $1 and state = 'sending'`,
        [id, now],
      );
    },

    /** Records the client's answer for the event's current start; false when nothing changed. */
    async answer(
      eventId: string,
      attendance: "confirmed" | "cancelled",
      start: Date,
      now: Date,
    ): Promise<boolean> {
      const { rowCount } = await pool.query(
        `update ${s}.events set attendance = $2, attendance_start_at = start_at, attendance_at = $4
          where id = $1 and start_at = $3
            and (attendance is distinct from $2 or attendance_start_at is distinct from start_at)`,
        [eventId, attendance, start, now],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}

export type ReminderStore = ReturnType<typeof createReminderStore>;
