import type { EventChange } from "@crm-agenda/shared";
import { drizzle } from "drizzle-orm/node-postgres";
import { Router } from "express";
import pg from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "./AgendaModule";
import { createAvailabilityModule } from "./availability/availabilityModule";
import { createBookingPagesModule } from "./bookingPages/bookingPagesModule";
import { createCallsModule } from "./calls/callsModule";
import { createSummariesModule } from "./calls/summariesModule";
import type { ConnectionService } from "./connections/connectionService";
import { createConnectionsModule } from "./connections/connectionsModule";
import { createDatabaseModule } from "./db/databaseModule";
import { createTables } from "./db/schema";
import { createEventsModule } from "./events/eventsModule";
import { createHealthModule } from "./health";
import { createAuthenticate } from "./http/createAuthenticate";
import { createLinkGuessLimit, defaultLinkGuessLimit } from "./http/createLinkGuessLimit";
import { createOriginCheck } from "./http/createOriginCheck";
import type { RouteContext } from "./http/defineRoute";
import { handleErrors, notFound } from "./http/handleErrors";
import { keepRawBody } from "./http/readBody";
import { createIcsModule } from "./ics/icsModule";
import { defaultJobPolicy } from "./jobs/agendaJobs";
import { createQueue } from "./jobs/createQueue";
import { createJobsModule } from "./jobs/jobsModule";
import { createEventChangeFeed } from "./live/createEventChangeFeed";
import { createLiveModule } from "./live/liveModule";
import type { AgendaOptions, Owner } from "./options";
import { createCalendarProviders, createCalendarWebhooksModule } from "./providers/calendarProviders";
import { createMeetModule } from "./providers/google/meetModule";
import { createOAuthProviders } from "./providers/oauthProviders";
import { createZoomModule } from "./providers/zoom/zoomModule";
import { createRemindersModule } from "./reminders/remindersModule";
import { type CalendarSync, createCalendarSync } from "./sync/createCalendarSync";
import { createSyncModule } from "./sync/syncModule";
import { createDeliveryRecorder } from "./webhooks/recordDelivery";

/** What {@link createAgenda} returns. */
export interface Agenda {
  /**
   * Mount it where the host likes, e.g. `app.use("/api/agenda", agenda.router)`, before the host's
   * body parsers: it parses its own bodies.
   */
  router: Router;
  /**
   * For hosts whose body parsers run before the router: pass it as their `verify` option
   * (`express.json({ verify: agenda.keepRawBody })`, and the same for `urlencoded`, `raw` and
   * `text`) so webhook signatures are still checked on the exact bytes. Without it, a webhook
   * parsed by the host is answered 500 `raw_body_unavailable` and reported to `onError`.
   */
  keepRawBody: typeof keepRawBody;
  /** Applies the agenda's migrations (idempotent; safe from several instances at once). */
  migrate(): Promise<{ applied: string[] }>;
  /** Migrates, then starts the job queue and its workers. Call once per server instance. */
  start(): Promise<void>;
  /**
   * Stops this instance cleanly: ends its open summary and live agenda streams (so the host's
   * `server.close()` can return), stops taking jobs and lets running ones finish for up to
   * `stopTimeoutSeconds` (those still running then are retried later, here or on another instance),
   * stops listening for summaries and event changes, and closes the pool if the agenda opened it. A host-given pool is left open, without the agenda's
   * listeners. Never rejects: what fails while stopping is reported to `onError`.
   */
  stop(): Promise<void>;
  /** The job queue, shared by the agenda's background work. */
  queue: PgBoss;
  /** Connected accounts: `accessToken(connectionId)` gives a fresh token for a provider call. */
  connections: ConnectionService;
  /**
   * Google Calendar and Outlook sync: `status(owner)` for each connection's last success, last error
   * and next run; `configure(connectionId, { calendarId, pushCrmEvents })` for the calendar CRM events
   * go to. Null when `calendarSync: false`.
   */
  calendarSync: CalendarSync | null;
  /** The agenda's events, as they change. */
  events: {
    /**
     * Calls `listener` with every change to `owner`'s events (created, updated, deleted, with where
     * the event lay before and after), whoever made it: a route on any instance, calendar sync, the
     * call pipeline (summary status), a colleague. The same changes `GET /events/stream` sends, for a
     * host that bridges them to its own Socket.io or notifications. Heard between `start()` and
     * `stop()`; a change made while this instance's listening connection is down is not repeated
     * here (the stream replays it from the table, a subscriber does not). A listener that throws is
     * reported to `onError`.
     * @returns a function that ends the subscription.
     */
    subscribe(owner: Owner, listener: (change: EventChange) => void): () => void;
  };
}

/** Creates the agenda: its router, its job queue and its database access, from the host's adapters. */
export function createAgenda(options: AgendaOptions): Agenda {
  // The shared infrastructure: the pool, the tables, the queue, the routes' context.
  const schemaName = options.schema ?? "agenda";
  const pool =
    typeof options.database === "string"
      ? new pg.Pool({ connectionString: options.database })
      : options.database;
  const now = options.now ?? (() => new Date());
  const hostOnError =
    options.onError ?? ((error: unknown) => console.error("[crm-agenda] unexpected error:", error));
  // The host's own reporter failing must not turn a reported error into a crash.
  const reportError = (error: unknown, req?: Parameters<NonNullable<AgendaOptions["onError"]>>[1]) => {
    try {
      hostOnError(error, req);
    } catch (failure) {
      console.error("[crm-agenda] onError threw while reporting:", error, failure);
    }
  };
  const report = (error: unknown) => reportError(error);
  const database = createDatabaseModule({
    pool,
    schema: schemaName,
    ownsPool: typeof options.database === "string",
    reportError,
  });
  const tables = createTables(schemaName);
  const providers = createOAuthProviders(options.providers);
  const db = drizzle(pool);
  const jobPolicy = { ...defaultJobPolicy, ...options.jobs };
  // A running poll or sync holds a locked client and borrows another for its queries: with both kinds
  // at full concurrency, one calendar push beside them, a client must stay free or they all wait.
  const pollConcurrency = Math.max(
    1,
    Math.min(jobPolicy.pollConcurrency, Math.floor(((pool.options?.max ?? 10) - 2) / 2)),
  );
  const queue = createQueue(pool, `${schemaName}_jobs`, {
    maintenanceIntervalSeconds: jobPolicy.maintenanceIntervalSeconds,
    reportError: report,
  });
  queue.on("error", report);
  const jobs = createJobsModule({
    pool,
    queue,
    schema: `${schemaName}_jobs`,
    policy: jobPolicy,
    stopTimeoutSeconds: options.stopTimeoutSeconds ?? 10,
  });
  const context: RouteContext = {
    authenticate: createAuthenticate(options.auth, (error, req) => reportError(error, req)),
    checkOrigin: createOriginCheck({
      publicUrl: options.publicUrl ?? null,
      allowedOrigins: options.allowedOrigins ?? [],
    }),
    bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
  };

  // The modules.
  const connections = createConnectionsModule({
    db,
    tables,
    encryptionKeys: options.encryptionKeys,
    providers,
    publicUrl: options.publicUrl ?? null,
    defaultReturnTo: options.connectionsReturnTo ?? "/",
    now,
    reportError: report,
    calendarSync: () => calendarSync,
    onConnected: async (connection) => {
      await calendarSync?.connected(connection);
      await meet.connected(connection);
    },
    beforeDisconnect: async (connection) => {
      await calendarSync?.disconnecting(connection);
      await meet.disconnecting(connection);
    },
  });
  const deliveries = createDeliveryRecorder({
    pool,
    queue,
    schema: schemaName,
    sweepIntervalSeconds: jobPolicy.maintenanceIntervalSeconds,
    reportError: report,
  });
  const summaries = createSummariesModule({
    db,
    tables,
    pool,
    schema: schemaName,
    queue,
    limits: options.summaryStreams,
    hooks: options.hooks,
    now,
    reportError: report,
  });
  const meet = createMeetModule({
    google: options.providers?.google,
    publicUrl: options.publicUrl,
    db,
    tables,
    queue,
    connections: connections.service,
    summaries: summaries.store,
    deliveries,
    now,
  });
  const calendarSync: CalendarSync | null =
    options.calendarSync === false
      ? null
      : createCalendarSync({
          pool,
          schema: schemaName,
          queue,
          connections: connections.service,
          calendars: createCalendarProviders(providers),
          clients: options.clients,
          publicUrl: options.publicUrl ?? null,
          now,
          options: options.calendarSync ?? {},
          concurrency: pollConcurrency,
          reportError: report,
        });
  const calendarWebhooks = createCalendarWebhooksModule({ calendarSync, deliveries });
  const sync = createSyncModule({ calendarSync, queue });
  const zoom = createZoomModule({
    pool,
    schema: schemaName,
    db,
    tables,
    queue,
    connections: connections.service,
    summaries: summaries.store,
    deliveries,
    zoom: providers.zoom,
    webhookSecretToken: options.providers?.zoom?.webhookSecretToken,
    now,
    reportError: report,
  });
  const events = createEventsModule({
    pool,
    db,
    tables,
    schema: schemaName,
    queue,
    now,
    pushToCalendars: calendarSync !== null,
    clients: options.clients,
    zoomMeetings: zoom.meetings,
    hooks: options.hooks,
    reportError: report,
  });
  const calls = createCallsModule({
    pool,
    schema: schemaName,
    queue,
    oauthProviders: providers,
    callProviders: [zoom.callProvider, meet.callProvider],
    summaries: summaries.store,
    notifications: summaries.notifications,
    feed: summaries.feed,
    events: events.store,
    connections: connections.service,
    clients: options.clients,
    hooks: options.hooks,
    ai: options.ai,
    maxTranscriptBytes: options.maxTranscriptBytes,
    polling: options.polling,
    pollConcurrency,
    now,
    reportError: report,
  });
  const live = createLiveModule({
    feed: createEventChangeFeed({ pool, db, tables, schema: schemaName, reportError: report }),
    limits: options.eventStreams,
    reportError: report,
  });
  // One budget across every route reached by a secret, so a scan cannot spread over them.
  const linkGuesses = createLinkGuessLimit(
    { ...defaultLinkGuessLimit, ...options.linkGuessLimit },
    now,
    report,
  );
  const reminders = createRemindersModule({
    linkGuesses,
    pool,
    schema: schemaName,
    tables,
    queue,
    clients: options.clients,
    onReminder: options.reminders === false ? undefined : options.hooks?.onReminder,
    notifyEventChanged: events.notify,
    options: options.reminders,
    encryptionKeys: options.encryptionKeys,
    publicUrl: options.publicUrl,
    leaseSeconds: jobPolicy.timeoutSeconds,
    now,
    reportError: report,
  });
  const health = createHealthModule({ pool, queue, queueStarted: jobs.started, ai: calls.ai });

  const availability = createAvailabilityModule({
    db,
    pool,
    tables,
    schema: schemaName,
    writes: events.writes,
    clients: options.clients,
    zoomMeetings: zoom.meetings,
    now,
    notify: events.notify,
    canBookFor: options.canBookFor,
  });
  const bookingPages = createBookingPagesModule({
    linkGuesses,
    db,
    tables,
    availability: availability.service,
    writes: events.writes,
    notify: events.notify,
    options: options.bookingPages,
    now,
  });
  const ics = createIcsModule({
    linkGuesses,
    db,
    tables,
    events: events.store,
    publicUrl: options.publicUrl ?? null,
    now,
  });

  // Mounted, started and set to work in this order, stopped in the reverse one. The database comes
  // first and goes last; the summary feed stops after the jobs (a summary finished as the agenda stops
  // still tells its streams on other instances); the outbox stops moving jobs before the queue stops;
  // open summary and live streams end first. The live agenda's `/events/stream` comes before the
  // events' `/events/:id`. The webhooks' routes come before the others: they take the most
  // requests, and Express tries routes in order.
  const modules: AgendaModule[] = [
    database,
    summaries.feedModule,
    jobs,
    deliveries,
    meet,
    calendarWebhooks,
    sync,
    zoom,
    calls,
    health,
    connections,
    summaries,
    live,
    events,
    availability,
    bookingPages,
    ics,
    reminders,
  ];
  const router = Router();
  for (const module of modules) module.mount?.(router, context);
  router.use(notFound);
  router.use(handleErrors(reportError));

  return {
    router,
    keepRawBody,
    queue,
    connections: connections.service,
    calendarSync,
    events: { subscribe: live.subscribe },
    migrate: database.migrate,
    async start() {
      for (const module of modules) await module.start?.();
      if (options.runJobs === false) return;
      for (const module of modules) await module.work?.();
    },
    async stop() {
      for (const module of modules.toReversed()) {
        try {
          await module.stop?.();
        } catch (error) {
          reportError(error);
        }
      }
    },
  };
}
