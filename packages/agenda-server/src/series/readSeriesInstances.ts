import type { Pool } from "pg";
import { quoteIdentifier } from "../db/migrate";
import type { ExternalChange } from "../sync/CalendarProvider";
import { zonedTime, zonedWallClock } from "../sync/calendarHttp";

interface MasterRow {
  id: string;
  external_id: string;
  start_at: Date;
  end_at: Date;
  time_zone: string;
  title: string;
  description: string | null;
  location: string | null;
  /** Changed in the agenda since its last push: the push will bring the provider in line. */
  dirty: boolean;
}

interface ExceptionRow {
  id: string;
  original_start_at: Date;
  start_at: Date;
  end_at: Date;
  title: string;
  description: string | null;
  location: string | null;
  cancelled: boolean;
}

// The end an occurrence has in its series: as long on the wall clock as the first one.
function expectedEnd(master: MasterRow, start: Date): Date {
  const wall = (instant: Date) => Date.parse(`${zonedWallClock(instant, master.time_zone)}Z`);
  const end = wall(start) + wall(master.end_at) - wall(master.start_at);
  return zonedTime(new Date(end).toISOString().slice(0, 19), master.time_zone);
}

type Shown = Pick<ExceptionRow, "title" | "description" | "location"> & { start_at: Date; end_at: Date };
const same = (a: Shown, b: Shown) =>
  a.start_at.getTime() === b.start_at.getTime() &&
  a.end_at.getTime() === b.end_at.getTime() &&
  a.title === b.title &&
  // Providers give "" where the agenda has nothing.
  (a.description || null) === (b.description || null) &&
  (a.location || null) === (b.location || null);

/**
 * Instances of series made in the agenda, as the provider's expansion hands them back (Google
 * `singleEvents`, Graph calendarView): the series is kept here as its master and expanded, so an
 * instance becomes an exception of it only when it differs from its occurrence (moved or changed in
 * Google Calendar or Outlook), a cancelled one a cancelled exception, and an unchanged one nothing.
 * Our own writes coming back are unchanged by that measure. Returns the other changes.
 */
export async function readSeriesInstances(
  context: { pool: Pool; schema: string; now: () => Date },
  connectionId: string,
  changes: ExternalChange[],
): Promise<ExternalChange[]> {
  const seriesIds = [...new Set(changes.flatMap((change) => (change.seriesId ? [change.seriesId] : [])))];
  if (seriesIds.length === 0) return changes;
  const s = quoteIdentifier(context.schema);
  const { rows: masters } = await context.pool.query<MasterRow>(
    `select id, external_id, start_at, end_at, time_zone, title, description, location,
            updated_at > coalesce(synced_at, '-infinity') as dirty from ${s}.events
      where connection_id = $1 and external_id = any($2::text[]) and recurrence is not null`,
    [connectionId, seriesIds],
  );
  if (masters.length === 0) return changes;
  const bySeries = new Map(masters.map((master) => [master.external_id, master]));
  const { rows: exceptions } = await context.pool.query<ExceptionRow & { series_master_id: string }>(
    `select id, series_master_id, original_start_at, start_at, end_at, title, description, location, cancelled
       from ${s}.events where series_master_id = any($1::uuid[])`,
    [masters.map((master) => master.id)],
  );
  const known = new Map(
    exceptions.map((row) => [`${row.series_master_id}|${row.original_start_at.getTime()}`, row]),
  );
  const rest: ExternalChange[] = [];
  const now = context.now();
  for (const change of changes) {
    const master = change.seriesId ? bySeries.get(change.seriesId) : undefined;
    if (!master) {
      rest.push(change);
      continue;
    }
    const originalStart = change.originalStart;
    // A series changed in the agenda and not pushed yet: its own changes win (later writer).
    if (!originalStart || master.dirty) continue;
    const existing = known.get(`${master.id}|${originalStart.getTime()}`);
    if (change.removed) {
      if (existing?.cancelled) continue;
      await context.pool.query(
        `insert into ${s}.events (tenant_id, user_id, title, description, start_at, end_at, all_day, time_zone,
            location, conference, attendees, source, client_id, client_name, client_match_method,
            series_master_id, original_start_at, cancelled, created_at, updated_at)
         select tenant_id, user_id, title, description, $2, $3, all_day, time_zone, location, conference,
            attendees, source, client_id, client_name, client_match_method, id, $2, true, $4, $4
           from ${s}.events where id = $1
         on conflict (series_master_id, original_start_at) do update set cancelled = true, updated_at = $4`,
        [master.id, originalStart, expectedEnd(master, originalStart), now],
      );
      continue;
    }
    const shown: Shown = {
      start_at: change.start,
      end_at: change.end,
      title: change.title,
      description: change.description,
      location: change.location,
    };
    const expected: Shown = existing ?? {
      ...master,
      start_at: originalStart,
      end_at: expectedEnd(master, originalStart),
    };
    if (same(shown, expected)) continue;
    await context.pool.query(
      `insert into ${s}.events (tenant_id, user_id, title, description, start_at, end_at, all_day, time_zone,
          location, conference, attendees, source, client_id, client_name, client_match_method,
          series_master_id, original_start_at, cancelled, created_at, updated_at)
       select tenant_id, user_id, $3, $4, $5, $6, all_day, time_zone, $7, conference, $8::jsonb, source,
          client_id, client_name, client_match_method, id, $2, false, $9, $9
         from ${s}.events where id = $1
       on conflict (series_master_id, original_start_at) do update set title = $3, description = $4,
          start_at = $5, end_at = $6, location = $7, attendees = $8::jsonb, cancelled = false, updated_at = $9`,
      [
        master.id,
        originalStart,
        change.title,
        change.description,
        change.start,
        change.end,
        change.location,
        JSON.stringify(change.attendees),
        now,
      ],
    );
  }
  return rest;
}
