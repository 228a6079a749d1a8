import type { Pool } from "pg";
import { quoteIdentifier } from "../db/migrate";
import type { CalendarAccess, CalendarProvider, ExternalChange } from "../sync/CalendarProvider";
import { occurrenceStarts } from "./expandSeries";

const day = 86_400_000;

/**
 * Which occurrences of the agenda's own series a page's bare removals were. Graph's delta gives an
 * occurrence deleted in Outlook as `{ id, "@removed" }` and nothing else
 * (https://learn.microsoft.com/graph/delta-query-events), and the agenda keeps no id for an occurrence
 * nobody changed: when removals arrive whose ids the agenda does not know, each of its series on the
 * connection is compared with the instances the provider still has, and an occurrence it expects but
 * the provider no longer lists is answered as a removal naming its series and start, which
 * `readSeriesInstances` makes a cancelled occurrence. At most as many as there were unknown removals:
 * a disagreement on the series' dates must never cancel occurrences nobody deleted.
 */
export async function findDeletedOccurrences(
  context: { pool: Pool; schema: string; now: () => Date; window: { pastDays: number; futureDays: number } },
  connectionId: string,
  calendar: CalendarProvider,
  access: CalendarAccess,
  changes: readonly ExternalChange[],
): Promise<ExternalChange[]> {
  if (!calendar.instanceStarts) return [];
  const bare = changes.flatMap((change) => (change.removed && !change.seriesId ? [change.externalId] : []));
  if (bare.length === 0) return [];
  const s = quoteIdentifier(context.schema);
  const { rows: known } = await context.pool.query<{ external_id: string }>(
    `select external_id from ${s}.events where connection_id = $1 and external_id = any($2::text[])`,
    [connectionId, bare],
  );
  const unknown = bare.length - new Set(known.map((row) => row.external_id)).size;
  if (unknown <= 0) return [];
  const { rows: masters } = await context.pool.query<{
    id: string;
    external_id: string;
    recurrence: string;
    start_at: Date;
    end_at: Date;
    time_zone: string;
  }>(
    `select id, external_id, recurrence, start_at, end_at, time_zone from ${s}.events
      where connection_id = $1 and recurrence is not null and external_id is not null
        and updated_at <= coalesce(synced_at, '-infinity')`,
    [connectionId],
  );
  const now = context.now().getTime();
  const from = new Date(now - context.window.pastDays * day);
  const to = new Date(now + context.window.futureDays * day);
  const deleted: ExternalChange[] = [];
  for (const master of masters) {
    const expected = occurrenceStarts(
      { recurrence: master.recurrence, start: master.start_at, timeZone: master.time_zone },
      master.end_at.getTime() - master.start_at.getTime(),
      from,
      to,
    ).filter((start) => start.getTime() >= from.getTime());
    if (expected.length === 0) continue;
    const { rows: cancelled } = await context.pool.query<{ original_start_at: Date }>(
      `select original_start_at from ${s}.events where series_master_id = $1 and cancelled`,
      [master.id],
    );
    const gone = new Set(cancelled.map((row) => row.original_start_at.getTime()));
    const live = new Set(
      (await calendar.instanceStarts(access, master.external_id, from, to)).map((start) => start.getTime()),
    );
    for (const start of expected) {
      if (live.has(start.getTime()) || gone.has(start.getTime())) continue;
      deleted.push({
        externalId: `${master.external_id}@${start.toISOString()}`,
        removed: true,
        seriesId: master.external_id,
        originalStart: start,
      });
    }
  }
  return deleted.length <= unknown ? deleted : [];
}
