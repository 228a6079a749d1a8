import { randomBytes, randomUUID } from "node:crypto";
import type { Provider } from "@crm-agenda/shared";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { ConnectionService } from "../connections/connectionService";
import { quoteIdentifier } from "../db/migrate";
import { AgendaError } from "../errors";
import type { CalendarPushJob } from "../events/agendaWrites";
import { jobQueues } from "../jobs/agendaJobs";
import { fanOut, workEach } from "../jobs/fanOut";
import type { CalendarSyncOptions, ClientDirectory } from "../options";
import {
  type CalendarProviderId,
  type CalendarProviders,
  isCalendarProviderId,
  type WatchChannel,
} from "./CalendarProvider";
import { pushEvent } from "./outbound";
import { readSyncTarget, type SyncContext, syncConnection } from "./syncConnection";

/** A channel or subscription is replaced or renewed this long before it ends. */
const renewBeforeMs = 24 * 3600_000;

/**
 * Two-way calendar sync for Google and Microsoft connections: the jobs that sync, push and watch,
 * what happens when an account is connected or disconnected, and the polling fallback.
 */
export function createCalendarSync(input: {
  pool: Pool;
  schema: string;
  queue: PgBoss;
  connections: ConnectionService;
  /** The calendar adapters of the configured providers. */
  calendars: CalendarProviders;
  clients: ClientDirectory;
  publicUrl: string | null;
  now: () => Date;
  options: CalendarSyncOptions;
  /** Syncs this instance runs at once. */
  concurrency: number;
  reportError(error: unknown): void;
}) {
  const s = quoteIdentifier(input.schema);
  const { calendars } = input;
  const pollIntervalMs = Math.max(1, input.options.pollIntervalMinutes ?? 15) * 60_000;
  const context: SyncContext = {
    pool: input.pool,
    schema: input.schema,
    connections: input.connections,
    calendars,
    clients: input.clients,
    now: input.now,
    window: {
      pastDays: input.options.window?.pastDays ?? 90,
      futureDays: input.options.window?.futureDays ?? 365,
    },
    pollIntervalMs,
  };
  const pushEnabled = input.options.push !== false && input.publicUrl !== null;

  const enqueueSync = (connectionId: string, full = false) =>
    input.queue.send(jobQueues.calendarSync, { connectionId, full }, { singletonKey: connectionId });
  const enqueueWatch = (connectionId: string) =>
    input.queue.send(jobQueues.calendarWatch, { connectionId }, { singletonKey: connectionId });

  async function channelsOf(connectionId: string) {
    const { rows } = await input.pool.query<{
      id: string;
      secret: string;
      resource_id: string | null;
      expires_at: Date;
    }>(`select id, secret, resource_id, expires_at from ${s}.calendar_channels where connection_id = $1`, [
      connectionId,
    ]);
    return rows.map(
      (row): WatchChannel => ({
        id: row.id,
        secret: row.secret,
        resourceId: row.resource_id,
        expiresAt: row.expires_at,
      }),
    );
  }

  async function stopChannels(connectionId: string, provider: CalendarProviderId, keep: string | null) {
    const calendar = calendars[provider];
    if (!calendar) return;
    const target = await readSyncTarget(input.pool, input.schema, connectionId);
    for (const channel of await channelsOf(connectionId)) {
      if (channel.id === keep) continue;
      try {
        if (target) {
          await calendar.stopWatch(
            {
              connectionId,
              accessToken: await input.connections.accessToken(connectionId),
              calendarId: target.calendarId,
            },
            channel,
          );
        }
      } catch (error) {
        input.reportError(error);
      }
      await input.pool.query(`delete from ${s}.calendar_channels where id = $1`, [channel.id]);
    }
  }

  /**
   * Makes sure the connection has a channel (subscription) that lives past the renewal margin: Graph
   * subscriptions are extended, Google channels replaced (a new one opens before the old one stops).
   */
  async function ensureWatch(connectionId: string, options: { force?: boolean } = {}): Promise<void> {
    if (!pushEnabled) return;
    const target = await readSyncTarget(input.pool, input.schema, connectionId);
    const calendar = target && calendars[target.provider];
    if (!target || !calendar) return;
    const now = input.now();
    const existing = await channelsOf(connectionId);
    if (
      !options.force &&
      existing.some((channel) => channel.expiresAt.getTime() - now.getTime() > renewBeforeMs)
    )
      return;
    const access = {
      connectionId,
      accessToken: await input.connections.accessToken(connectionId),
      calendarId: target.calendarId,
    };
    const expiresAt = new Date(now.getTime() + calendar.channelLifetimeMs);
    const current = existing.find((channel) => channel.expiresAt.getTime() > now.getTime());
    if (current) {
      try {
        const renewed = await calendar.renew(access, current, expiresAt);
        if (renewed) {
          await input.pool.query(
            `update ${s}.calendar_channels set expires_at = $2, updated_at = $3 where id = $1`,
            [current.id, renewed.expiresAt, now],
          );
          await stopChannels(connectionId, target.provider, current.id);
          return;
        }
      } catch (error) {
        // A subscription Graph no longer has is made again below.
        input.reportError(error);
      }
    }
    const channelId = randomUUID();
    const secret = randomBytes(24).toString("base64url");
    // Stored first: Google's `sync` message may arrive before watch() answers.
    await input.pool.query(
      `insert into ${s}.calendar_channels (id, connection_id, provider, secret, expires_at) values ($1, $2, $3, $4, $5)`,
      [channelId, connectionId, target.provider, secret, expiresAt],
    );
    let channel: WatchChannel;
    try {
      channel = await calendar.watch(access, {
        channelId,
        secret,
        address: `${input.publicUrl!.replace(/\/+$/, "")}${calendar.webhookPath}`,
        expiresAt,
      });
    } catch (error) {
      await input.pool.query(`delete from ${s}.calendar_channels where id = $1`, [channelId]);
      throw error;
    }
    await input.pool.query(
      `update ${s}.calendar_channels set id = $2, resource_id = $3, expires_at = $4 where id = $1`,
      [channelId, channel.id, channel.resourceId, channel.expiresAt],
    );
    await stopChannels(connectionId, target.provider, channel.id);
    // Changes made while no channel listened are caught up at once.
    await enqueueSync(connectionId);
  }

  /** A page of active calendar connections matching `condition` (its parameters from `$3`), in id order. */
  async function activeSyncIds(condition: string, values: unknown[], after: string | null, limit: number) {
    const { rows } = await input.pool.query<{ connection_id: string }>(
      `select s.connection_id from ${s}.calendar_syncs s join ${s}.connections c on c.id = s.connection_id
        where c.status = 'active' and ($1::uuid is null or s.connection_id > $1) and (${condition})
        order by s.connection_id limit $2`,
      [after, limit, ...values],
    );
    return rows.map((row) => row.connection_id);
  }

  return {
    context,
    calendars,

    /** A Google or Microsoft account was connected (or reconnected): its calendar syncs and is watched. */
    async connected(connection: { id: string; provider: Provider; tenantId: string; userId: string }) {
      const calendar = isCalendarProviderId(connection.provider) ? calendars[connection.provider] : undefined;
      if (!calendar) return;
      const now = input.now();
      // The first calendar a user connects receives the events they create in the agenda.
      await input.pool.query(
        `insert into ${s}.calendar_syncs (connection_id, tenant_id, user_id, provider, calendar_id, push_crm_events,
            next_run_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5,
            not exists (select 1 from ${s}.calendar_syncs where tenant_id = $2 and user_id = $3 and push_crm_events),
            $6, $6, $6)
         on conflict (connection_id) do nothing`,
        [
          connection.id,
          connection.tenantId,
          connection.userId,
          connection.provider,
          calendar.mainCalendarId,
          now,
        ],
      );
      await enqueueSync(connection.id);
      if (pushEnabled) await enqueueWatch(connection.id);
    },

    /** Before an account's tokens go: its channels are stopped, and its events leave the agenda (or stay). */
    async disconnecting(connection: { id: string; provider: Provider }) {
      if (!isCalendarProviderId(connection.provider)) return;
      await stopChannels(connection.id, connection.provider, null);
      if (!input.options.keepEventsOnDisconnect) {
        await input.pool.query(
          `delete from ${s}.events where connection_id = $1 and source in ('google', 'microsoft')`,
          [connection.id],
        );
      }
      // Kept copies of the provider's events keep their id, so a later connection of the account takes
      // them back instead of copying them; the agenda's own events are found again by their mark.
      await input.pool.query(
        `update ${s}.events set connection_id = null,
            external_id = case when source in ('google', 'microsoft') then external_id end,
            external_etag = null, synced_at = null
          where connection_id = $1`,
        [connection.id],
      );
    },

    /** Chooses the calendar a connection syncs and whether the agenda's own events are written to it. */
    async configure(connectionId: string, settings: { calendarId?: string; pushCrmEvents?: boolean }) {
      if (settings.calendarId !== undefined) {
        // The agenda's own events stay in the agenda when the calendar changes: they are let go of the
        // old calendar's copies, which the full sync of the new calendar would otherwise take as vanished.
        await input.pool.query(
          `update ${s}.events set connection_id = null, external_id = null, external_etag = null, synced_at = null
            where connection_id = $1 and source = 'crm'
              and exists (select 1 from ${s}.calendar_syncs where connection_id = $1 and calendar_id <> $2)`,
          [connectionId, settings.calendarId],
        );
      }
      const { rowCount } = await input.pool.query(
        `update ${s}.calendar_syncs set calendar_id = coalesce($2, calendar_id),
            push_crm_events = coalesce($3, push_crm_events),
            cursor = case when $2::text is not null and $2 <> calendar_id then null else cursor end
          where connection_id = $1`,
        [connectionId, settings.calendarId ?? null, settings.pushCrmEvents ?? null],
      );
      if (!rowCount) throw new AgendaError("not_found", "no calendar sync for this connection");
      if (settings.pushCrmEvents) {
        const { rows } = await input.pool.query<{ tenant_id: string; user_id: string }>(
          `select tenant_id, user_id from ${s}.calendar_syncs where connection_id = $1`,
          [connectionId],
        );
        await input.pool.query(
          `update ${s}.calendar_syncs set push_crm_events = false
            where tenant_id = $1 and user_id = $2 and connection_id <> $3`,
          [rows[0]!.tenant_id, rows[0]!.user_id, connectionId],
        );
      }
      await enqueueSync(connectionId, settings.calendarId !== undefined);
    },

    /**
     * The calendars of a connection's account that can receive events, the synced one `selected`
     * (Google's `primary` and Graph's empty id both name the account's main calendar).
     */
    async listCalendars(connectionId: string) {
      const target = await readSyncTarget(input.pool, input.schema, connectionId);
      const calendar = target && calendars[target.provider];
      if (!target || !calendar) throw new AgendaError("not_found", "this connection syncs no calendar");
      const listed = await calendar.listCalendars({
        connectionId,
        accessToken: await input.connections.accessToken(connectionId),
      });
      return listed.map((item) => ({
        ...item,
        selected:
          item.id === target.calendarId || (item.primary && target.calendarId === calendar.mainCalendarId),
      }));
    },

    /** The id to store for a calendar chosen from {@link listCalendars}: the main one keeps its alias. */
    storedCalendarId(provider: CalendarProviderId, chosen: { id: string; primary: boolean }): string {
      if (!chosen.primary) return chosen.id;
      return calendars[provider]?.mainCalendarId ?? "";
    },

    /** How each of a user's calendar connections last synced, and when it syncs next. */
    async status(owner: { tenantId: string; userId: string }) {
      const { rows } = await input.pool.query<{
        connectionId: string;
        provider: CalendarProviderId;
        calendarId: string;
        pushCrmEvents: boolean;
        lastSuccessAt: Date | null;
        lastError: string | null;
        lastErrorAt: Date | null;
        nextRunAt: Date | null;
      }>(
        `select connection_id as "connectionId", provider, calendar_id as "calendarId", push_crm_events as "pushCrmEvents",
                last_success_at as "lastSuccessAt", last_error as "lastError", last_error_at as "lastErrorAt",
                next_run_at as "nextRunAt"
           from ${s}.calendar_syncs where tenant_id = $1 and user_id = $2 order by created_at`,
        [owner.tenantId, owner.userId],
      );
      return rows;
    },

    enqueueSync,

    /** Registers the workers of the sync jobs on this instance. */
    async work() {
      // Checked every second: a change pushed by a provider shows within seconds.
      const live = { pollingIntervalSeconds: 1 };
      await workEach<{ connectionId: string; full?: boolean }>(
        input.queue,
        jobQueues.calendarSync,
        { concurrency: input.concurrency },
        async (data) => {
          try {
            // A refresh holds the token's lock on a client of its own: done before the sync's lock, a
            // running sync never holds two locked clients of the pool at once. Its failure is met again,
            // and recorded, by the sync itself.
            await input.connections.accessToken(data.connectionId).catch(() => undefined);
            await syncConnection(data.connectionId, context, { full: data.full ?? false });
          } catch (error) {
            // A connection that needs the user to reconnect waits for them; retrying cannot help.
            if (error instanceof AgendaError && (error.code === "forbidden" || error.code === "not_found"))
              return;
            throw error;
          }
        },
      );
      await input.queue.work<CalendarPushJob>(jobQueues.calendarPush, live, async (jobs) => {
        for (const job of jobs) await pushEvent(job.data, context);
      });
      await input.queue.work<{ connectionId: string; force?: boolean }>(
        jobQueues.calendarWatch,
        async (jobs) => {
          for (const job of jobs) {
            await ensureWatch(job.data.connectionId, { force: job.data.force ?? false });
          }
        },
      );
      // A tick sent by hand (`{}`) reaches every due connection at once; the scheduled one spreads them.
      await input.queue.work<{ spreadSeconds?: number }>(jobQueues.calendarPoll, async ([tick]) => {
        await this.poll((tick?.data.spreadSeconds ?? 0) * 1000);
      });
      await input.queue.schedule(jobQueues.calendarPoll, "* * * * *", { spreadSeconds: 60 });
    },

    /**
     * The polling fallback, every minute: connections whose next run is due are synced, and channels
     * near their end are renewed, one job per connection, their starts spread over `spreadMs`.
     */
    async poll(spreadMs = 0): Promise<{ synced: number; watched: number }> {
      const now = input.now();
      const synced = await fanOut(input.queue, jobQueues.calendarSync, {
        pageOfIds: (after, limit) =>
          activeSyncIds(`s.next_run_at is null or s.next_run_at <= $3`, [now], after, limit),
        spreadMs,
        data: () => ({ full: false }),
      });
      const watched = pushEnabled
        ? await fanOut(input.queue, jobQueues.calendarWatch, {
            pageOfIds: (after, limit) =>
              activeSyncIds(
                `not exists (select 1 from ${s}.calendar_channels ch
                  where ch.connection_id = s.connection_id and ch.expires_at > $3)`,
                [new Date(now.getTime() + renewBeforeMs)],
                after,
                limit,
              ),
            spreadMs,
          })
        : 0;
      return { synced, watched };
    },

    ensureWatch,
    /**
     * Channels or subscriptions by id, in one query, for a webhook request that names several
     * (a Graph notification collection): unknown ids are absent from the map.
     */
    async channels(ids: readonly string[]) {
      const { rows } = await input.pool.query<{
        id: string;
        connection_id: string;
        provider: CalendarProviderId;
        secret: string;
      }>(
        `select id, connection_id, provider, secret from ${s}.calendar_channels where id = any($1::text[])`,
        [[...new Set(ids)]],
      );
      return new Map(
        rows.map((row) => [
          row.id,
          { connectionId: row.connection_id, provider: row.provider, secret: row.secret },
        ]),
      );
    },

    /** A channel or subscription by id, for the webhook routes. */
    async channel(id: string) {
      const { rows } = await input.pool.query<{
        connection_id: string;
        provider: CalendarProviderId;
        secret: string;
      }>(`select connection_id, provider, secret from ${s}.calendar_channels where id = $1`, [id]);
      return rows[0]
        ? { connectionId: rows[0].connection_id, provider: rows[0].provider, secret: rows[0].secret }
        : null;
    },

    /** Forgets a channel or subscription the provider removed (the watch job makes a new one). */
    async forgetChannel(id: string) {
      await input.pool.query(`delete from ${s}.calendar_channels where id = $1`, [id]);
    },
  };
}

export type CalendarSync = ReturnType<typeof createCalendarSync>;
