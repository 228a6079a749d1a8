import type { Pool, PoolClient } from "pg";
import { quoteIdentifier } from "../db/migrate";
import type { AgendaTables } from "../db/schema";

import type { DueOccurrence } from "./occurrenceReminders";

type EventRow = AgendaTables["events"]["$inferSelect"];

/**
 * A reminder whose time is by `$2` (the round's horizon), not before the event took its current form
 * (`formedAt`: made, moved, or given its client then; nobody is reminded a day ahead of a meeting
 * booked two hours before it), nor a quarter of its offset late (the agenda was down, or reminders
 * were just turned on): a day's reminder still goes 6 hours late, an hour's 15 minutes. `$1` is now,
 * `o.seconds` the offset.
 */
function dueWithin(start: string, formedAt: string): string {
  const due = `${start} - make_interval(secs => o.seconds)`;
  return `${due} <= $2 and ${due} >= ${formedAt} and ${due} >= $1::timestamptz - make_interval(secs => o.seconds / 4.0)`;
}

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
     * Adds the reminders falling due by `until` (see {@link dueWithin}) of single events, not
     * series, that have a client and have not started: one row per event, offset and start, so a row
     * already there (sent, or waiting) is left as it is.
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
          where e.client_id is not null and e.recurrence is null and e.series_master_id is null
            and e.start_at > $1
            and e.start_at <= $2::timestamptz + make_interval(secs => $4)
            and ${dueWithin("e.start_at", "e.updated_at")}
            and (e.attendance is distinct from 'cancelled' or e.attendance_start_at is distinct from e.start_at)
         on conflict (event_id, offset_seconds, start_at) do nothing
         returning id, due_at`,
        [now, until, offsetsSeconds, Math.max(...offsetsSeconds)],
      );
      return rows.map((row) => ({ id: row.id, dueAt: row.due_at }));
    },

    /**
     * The same for occurrences of series (expanded by the caller, as the agenda shows them): one row
     * per series, offset and start, naming the occurrence by its start in the series.
     */
    async addDueOccurrences(
      client: PoolClient,
      now: Date,
      until: Date,
      offsetsSeconds: readonly number[],
      occurrences: readonly DueOccurrence[],
    ): Promise<{ id: string; dueAt: Date }[]> {
      if (occurrences.length === 0) return [];
      const { rows } = await client.query<{ id: string; due_at: Date }>(
        `insert into ${s}.reminders (event_id, tenant_id, user_id, offset_seconds, start_at, occurrence_start_at,
                                     due_at, created_at, updated_at)
         select m.id, m.tenant_id, m.user_id, o.seconds, c.start_at, c.original_start_at,
                c.start_at - make_interval(secs => o.seconds), $1, $1
           from unnest($4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
                  as c(master_id, original_start_at, start_at, formed_at)
           join ${s}.events m on m.id = c.master_id
          cross join unnest($3::int[]) as o(seconds)
          where ${dueWithin("c.start_at", "c.formed_at")}
         on conflict (event_id, offset_seconds, start_at) do nothing
         returning id, due_at`,
        [
          now,
          until,
          offsetsSeconds,
          occurrences.map((occurrence) => occurrence.masterId),
          occurrences.map((occurrence) => occurrence.originalStart),
          occurrences.map((occurrence) => occurrence.start),
          occurrences.map((occurrence) => occurrence.formedAt),
        ],
      );
      return rows.map((row) => ({ id: row.id, dueAt: row.due_at }));
    },

    /** What a reminder is about: an event, or an occurrence of a series (by its start in the series). */
    async about(id: string): Promise<{ eventId: string; occurrenceStart: Date | null } | null> {
      const { rows } = await pool.query<{ event_id: string; occurrence_start_at: Date | null }>(
        `select event_id, occurrence_start_at from ${s}.reminders where id = $1`,
        [id],
      );
      const row = rows[0];
      return row ? { eventId: row.event_id, occurrenceStart: row.occurrence_start_at } : null;
    },

    /**
     * Claims an occurrence's reminder by compare-and-set, once the caller has checked (its series
     * locked) that the occurrence still starts at the reminder's time: `standing` gets that start.
     */
    async claimOccurrence(
      client: PoolClient,
      id: string,
      now: Date,
      leaseUntil: Date,
      standing: (start: Date) => boolean,
    ): Promise<{ offsetSeconds: number } | null> {
      const { rows } = await client.query<{ offset_seconds: number; start_at: Date }>(
        `select offset_seconds, start_at from ${s}.reminders
          where id = $1 and (state = 'pending' or (state = 'sending' and claimed_until < $2)) for update`,
        [id, now],
      );
      const row = rows[0];
      if (!row || !standing(row.start_at)) return null;
      await client.query(
        `update ${s}.reminders set state = 'sending', claimed_until = $3, attempts = attempts + 1, updated_at = $2
          where id = $1`,
        [id, now, leaseUntil],
      );
      return { offsetSeconds: row.offset_seconds };
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
          where r.id = $1 and e.id = r.event_id and r.occurrence_start_at is null
            and e.recurrence is null and e.series_master_id is null
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
