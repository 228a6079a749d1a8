import type { Attendee, CrmClient } from "@crm-agenda/shared";
import type { Pool, PoolClient } from "pg";
import type { ConnectionService } from "../connections/connectionService";
import { quoteIdentifier } from "../db/migrate";
import { withConnectionLock } from "../db/withConnectionLock";
import { AgendaError } from "../errors";
import { matchClient } from "../events/matchClient";
import type { ClientDirectory } from "../options";
import { findDeletedOccurrences } from "../series/findDeletedOccurrences";
import { readSeriesInstances } from "../series/readSeriesInstances";
import {
  type CalendarAccess,
  type CalendarProviders,
  type ExternalChange,
  type ExternalEvent,
  SyncCursorExpiredError,
} from "./CalendarProvider";

/** What one sync run needs. */
export interface SyncContext {
  pool: Pool;
  schema: string;
  connections: ConnectionService;
  calendars: CalendarProviders;
  clients: ClientDirectory;
  now: () => Date;
  /** Past and future days a full sync covers. */
  window: { pastDays: number; futureDays: number };
  /** When the polling fallback looks again after a run. */
  pollIntervalMs: number;
}

/** The sync row of a connection with the owner and account it belongs to. */
export interface SyncTarget {
  connectionId: string;
  tenantId: string;
  userId: string;
  provider: "google" | "microsoft";
  accountEmail: string;
  calendarId: string;
  cursor: string | null;
}

export interface SyncOutcome {
  full: boolean;
  upserted: number;
  removed: number;
}

export async function readSyncTarget(
  pool: Pool | PoolClient,
  schema: string,
  connectionId: string,
): Promise<SyncTarget | null> {
  const s = quoteIdentifier(schema);
  const { rows } = await pool.query<SyncTarget>(
    `select s.connection_id as "connectionId", s.tenant_id as "tenantId", s.user_id as "userId",
            s.provider, c.account_email as "accountEmail", s.calendar_id as "calendarId", s.cursor
       from ${s}.calendar_syncs s join ${s}.connections c on c.id = s.connection_id
      where s.connection_id = $1 and c.status = 'active'`,
    [connectionId],
  );
  return rows[0] ?? null;
}

/**
 * One sync of one connection: the changes since the stored cursor (or everything, the first time and
 * after a 410), written to the agenda by (connection, provider id), then the new cursor. Running it
 * again changes nothing: an upsert of the same etag is skipped, a removal of a removed event is a
 * no-op, and the cursor is only stored once every page is in.
 */
export async function syncConnection(
  connectionId: string,
  context: SyncContext,
  options: { full?: boolean } = {},
): Promise<SyncOutcome | null> {
  return withConnectionLock(context.pool, context.schema, connectionId, async () => {
    const target = await readSyncTarget(context.pool, context.schema, connectionId);
    if (!target) return null;
    const calendar = context.calendars[target.provider];
    if (!calendar) return null;
    const s = quoteIdentifier(context.schema);
    const runStart = context.now();
    try {
      const access: CalendarAccess = {
        connectionId,
        accessToken: await context.connections.accessToken(connectionId),
        calendarId: target.calendarId,
      };
      let outcome: (SyncOutcome & { cursor: string | null }) | null = null;
      if (target.cursor && !options.full) {
        try {
          outcome = await consume(
            context,
            target,
            calendar.incrementalSync(access, target.cursor),
            null,
            (changes) => findDeletedOccurrences(context, connectionId, calendar, access, changes),
          );
        } catch (error) {
          if (!(error instanceof SyncCursorExpiredError)) throw error;
        }
      }
      if (!outcome) {
        const seen = new Set<string>();
        const day = 86_400_000;
        const window = {
          from: new Date(runStart.getTime() - context.window.pastDays * day),
          to: new Date(runStart.getTime() + context.window.futureDays * day),
        };
        outcome = await consume(context, target, calendar.fullSync(access, window), seen);
        // What the provider no longer has is gone from the agenda too, unless written since the run began.
        const vanished = await context.pool.query(
          `delete from ${s}.events where connection_id = $1 and external_id is not null
              and coalesce(synced_at, '-infinity') < $2 and not (external_id = any($3::text[]))`,
          [connectionId, runStart, [...seen]],
        );
        outcome.removed += vanished.rowCount ?? 0;
      }
      const finished = context.now();
      await context.pool.query(
        `update ${s}.calendar_syncs set cursor = $2, last_success_at = $3, last_error = null,
            next_run_at = $4, runs = runs + 1, full_syncs = full_syncs + $5, updated_at = $3
          where connection_id = $1`,
        [
          connectionId,
          outcome.cursor,
          finished,
          new Date(finished.getTime() + context.pollIntervalMs),
          outcome.full ? 1 : 0,
        ],
      );
      await context.pool.query(
        `update ${s}.connections set last_sync_at = $2, last_error = null where id = $1`,
        [connectionId, finished],
      );
      return { full: outcome.full, upserted: outcome.upserted, removed: outcome.removed };
    } catch (error) {
      const failed = context.now();
      const message = error instanceof Error ? error.message : String(error);
      await context.pool.query(
        `update ${s}.calendar_syncs set last_error = $2, last_error_at = $3, next_run_at = $4, updated_at = $3
          where connection_id = $1`,
        [connectionId, message, failed, new Date(failed.getTime() + context.pollIntervalMs)],
      );
      await context.pool.query(`update ${s}.connections set last_error = $2 where id = $1`, [
        connectionId,
        message,
      ]);
      throw error;
    }
  });
}

async function consume(
  context: SyncContext,
  target: SyncTarget,
  pages: AsyncIterable<{ changes: ExternalChange[]; nextCursor?: string }>,
  seen: Set<string> | null,
  /** Which occurrences of the agenda's series a page's bare removals were (see findDeletedOccurrences). */
  deletedOccurrences: (changes: ExternalChange[]) => Promise<ExternalChange[]> = async () => [],
): Promise<SyncOutcome & { cursor: string | null }> {
  const outcome = { full: seen !== null, upserted: 0, removed: 0, cursor: null as string | null };
  for await (const page of pages) {
    const changes = [...page.changes, ...(await deletedOccurrences(page.changes))];
    // A full sync (a new connection's first) may meet events kept from an earlier one.
    const applied = await applyChanges(context, target, changes, { takeBackKept: seen !== null });
    outcome.upserted += applied.upserted;
    outcome.removed += applied.removed;
    // An instance seen keeps its series too (a series made in the agenda is a master row here).
    if (seen)
      for (const change of page.changes)
        if (!change.removed) {
          seen.add(change.externalId);
          if (change.seriesId) seen.add(change.seriesId);
        }
    if (page.nextCursor) outcome.cursor = page.nextCursor;
  }
  if (!outcome.cursor) throw new AgendaError("unavailable", "the provider ended the sync without a cursor");
  return outcome;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Writes one page of changes: removals deleted (a removed series takes its instances), the rest
 * upserted in one statement by (connection, external id). An unchanged etag (our own write coming
 * back, or a repeated page) changes nothing; a person's client correction is kept; a local change
 * newer than the provider's stays, and the conflict is recorded either way.
 */
export async function applyChanges(
  context: Pick<SyncContext, "pool" | "schema" | "clients" | "now">,
  target: Pick<SyncTarget, "connectionId" | "tenantId" | "userId" | "provider" | "accountEmail">,
  changes: ExternalChange[],
  options: { takeBackKept?: boolean } = {},
): Promise<{ upserted: number; removed: number }> {
  const s = quoteIdentifier(context.schema);
  const latest = new Map<string, ExternalChange>();
  for (const change of await readSeriesInstances(context, target.connectionId, changes))
    latest.set(change.externalId, change);
  const removedIds = [...latest.values()]
    .filter((change) => change.removed)
    .map((change) => change.externalId);
  let live = [...latest.values()].filter((change): change is ExternalEvent => !change.removed);
  // Our own events deleted in the agenda, whose deletion is on its way out: not brought back.
  const ours = live.filter((event) => event.crmEventId && uuidPattern.test(event.crmEventId));
  if (ours.length > 0) {
    const { rows } = await context.pool.query<{ id: string }>(
      `select id from ${s}.events where id = any($1::uuid[])`,
      [ours.map((event) => event.crmEventId)],
    );
    const existing = new Set(rows.map((row) => row.id));
    live = live.filter(
      (event) => !event.crmEventId || !uuidPattern.test(event.crmEventId) || existing.has(event.crmEventId),
    );
  }
  let removed = 0;
  if (removedIds.length > 0) {
    // A deletion wins over a change the agenda had not pushed yet; that conflict is recorded too.
    const deleted = await context.pool.query<{ removed: number }>(
      `with gone as (
         delete from ${s}.events where connection_id = $1
            and (external_id = any($2::text[]) or series_id = any($2::text[]))
         returning id, external_id, updated_at, synced_at),
       recorded as (
         insert into ${s}.sync_conflicts (connection_id, event_id, external_id, winner, local_updated_at, detail)
         select $1, id, external_id, 'provider', updated_at, 'changed in the agenda, deleted at the provider'
           from gone where external_id is not null and updated_at > coalesce(synced_at, '-infinity'))
       select count(*)::int as removed from gone`,
      [target.connectionId, removedIds],
    );
    removed = deleted.rows[0]?.removed ?? 0;
  }
  if (live.length === 0) return { upserted: 0, removed };
  const now = context.now();

  // Our own writes whose id we have not stored yet (a crash between the write and its record).
  const marked = live.filter((event) => event.crmEventId && uuidPattern.test(event.crmEventId));
  if (marked.length > 0) {
    await context.pool.query(
      `update ${s}.events e set connection_id = $1, external_id = t.external_id, crm_made = true
         from unnest($4::uuid[], $5::text[]) as t(id, external_id)
        where e.id = t.id and e.tenant_id = $2 and e.user_id = $3 and e.external_id is null
          and not exists (select 1 from ${s}.events o where o.connection_id = $1 and o.external_id = t.external_id)`,
      [
        target.connectionId,
        target.tenantId,
        target.userId,
        marked.map((event) => event.crmEventId),
        marked.map((event) => event.externalId),
      ],
    );
  }

  // Events kept from an earlier connection of this calendar (keepEventsOnDisconnect): taken back as
  // they were when it ended, so the provider's version of each replaces them instead of joining them.
  if (options.takeBackKept) {
    await context.pool.query(
      `update ${s}.events e set connection_id = $1, synced_at = e.updated_at
      where e.tenant_id = $2 and e.user_id = $3 and e.connection_id is null and e.source = $4
        and e.external_id = any($5::text[])
        and not exists (select 1 from ${s}.events o where o.connection_id = $1 and o.external_id = e.external_id)`,
      [
        target.connectionId,
        target.tenantId,
        target.userId,
        target.provider,
        live.map((event) => event.externalId),
      ],
    );
  }

  // Local changes not pushed yet that the provider changed too: the later writer wins.
  const dirty = await context.pool.query<{
    id: string;
    external_id: string;
    updated_at: Date;
    external_etag: string;
  }>(
    `select id, external_id, updated_at, external_etag from ${s}.events
      where connection_id = $1 and external_id = any($2::text[]) and updated_at > coalesce(synced_at, '-infinity')`,
    [target.connectionId, live.map((event) => event.externalId)],
  );
  for (const row of dirty.rows) {
    const remote = latest.get(row.external_id) as ExternalEvent;
    if (remote.etag === row.external_etag) continue;
    const providerWins = (remote.updatedAt?.getTime() ?? 0) > row.updated_at.getTime();
    await context.pool.query(
      `insert into ${s}.sync_conflicts (connection_id, event_id, external_id, winner, local_updated_at, remote_updated_at, detail)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        target.connectionId,
        row.id,
        row.external_id,
        providerWins ? "provider" : "agenda",
        row.updated_at,
        remote.updatedAt,
        "changed in the agenda and at the provider before either saw the other's change",
      ],
    );
  }

  const matches = await matchAll(context.clients, target, live);
  const result = await context.pool.query(
    `insert into ${s}.events as e (tenant_id, user_id, connection_id, source, external_id, external_etag,
        external_updated_at, series_id, title, description, start_at, end_at, all_day, time_zone, location,
        conference, attendees, client_id, client_name, client_match_method, busy, synced_at, created_at, updated_at)
     select $1, $2, $3, $4, t.external_id, t.etag, t.external_updated_at, t.series_id, t.title, t.description,
        t.start_at, t.end_at, t.all_day, t.time_zone, t.location, t.conference::jsonb, t.attendees::jsonb,
        t.client_id, t.client_name, t.client_match_method, t.busy, $5, $5, $5
       from unnest($6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text[],
                   $12::timestamptz[], $13::timestamptz[], $14::boolean[], $15::text[], $16::text[],
                   $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::boolean[])
         as t(external_id, etag, external_updated_at, series_id, title, description, start_at, end_at,
              all_day, time_zone, location, conference, attendees, client_id, client_name, client_match_method,
              busy)
     on conflict (connection_id, external_id) do update set
        external_etag = excluded.external_etag,
        external_updated_at = excluded.external_updated_at,
        series_id = excluded.series_id,
        title = excluded.title,
        description = excluded.description,
        start_at = excluded.start_at,
        end_at = excluded.end_at,
        all_day = excluded.all_day,
        time_zone = excluded.time_zone,
        location = excluded.location,
        conference = coalesce(excluded.conference, case when e.crm_made then e.conference end),
        attendees = excluded.attendees,
        busy = excluded.busy,
        client_id = case when e.client_match_method = 'manual' then e.client_id else excluded.client_id end,
        client_name = case when e.client_match_method = 'manual' then e.client_name else excluded.client_name end,
        client_match_method = case when e.client_match_method = 'manual' then 'manual' else excluded.client_match_method end,
        synced_at = excluded.synced_at,
        updated_at = excluded.updated_at
      where e.external_etag is distinct from excluded.external_etag
        and not (e.updated_at > coalesce(e.synced_at, '-infinity')
                 and e.updated_at >= coalesce(excluded.external_updated_at, '-infinity'))`,
    [
      target.tenantId,
      target.userId,
      target.connectionId,
      target.provider,
      now,
      live.map((event) => event.externalId),
      live.map((event) => event.etag),
      live.map((event) => event.updatedAt),
      live.map((event) => event.seriesId),
      live.map((event) => event.title),
      live.map((event) => event.description),
      live.map((event) => event.start),
      live.map((event) => event.end),
      live.map((event) => event.allDay),
      live.map((event) => event.timeZone),
      live.map((event) => event.location),
      live.map((event) => (event.conference ? JSON.stringify(event.conference) : null)),
      live.map((event) => JSON.stringify(event.attendees)),
      matches.map((match) => match.clientId),
      matches.map((match) => match.clientName),
      matches.map((match) => match.method),
      live.map((event) => event.busy ?? true),
    ],
  );
  return { upserted: result.rowCount ?? 0, removed };
}

/**
 * The CRM client of each event, asking the host once for the whole page: the user's own address
 * and colleagues (their domain) are left out, as for events made in the agenda.
 */
async function matchAll(
  clients: ClientDirectory,
  target: Pick<SyncTarget, "tenantId" | "userId" | "accountEmail">,
  events: { attendees: Attendee[] }[],
) {
  const session = { tenantId: target.tenantId, userId: target.userId, email: target.accountEmail };
  const ownDomain = target.accountEmail.slice(target.accountEmail.lastIndexOf("@") + 1).toLowerCase();
  const emails = new Set<string>();
  for (const event of events)
    for (const attendee of event.attendees) {
      const email = attendee.email.trim().toLowerCase();
      if (email !== target.accountEmail.toLowerCase() && !email.endsWith(`@${ownDomain}`)) emails.add(email);
    }
  const found: CrmClient[] = emails.size > 0 ? await clients.findByEmails(target.tenantId, [...emails]) : [];
  const page: ClientDirectory = {
    ...clients,
    async findByEmails(_tenantId, asked) {
      return found.filter((client) => client.emails.some((email) => asked.includes(email.toLowerCase())));
    },
  };
  return Promise.all(events.map((event) => matchClient(page, session, event.attendees)));
}
