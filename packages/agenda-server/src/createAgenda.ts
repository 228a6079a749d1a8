import { drizzle } from "drizzle-orm/node-postgres";
import { Router } from "express";
import pg from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "./AgendaModule";
import { createBookingPagesModule } from "./bookingPages/bookingPagesModule";
import { createBookingEngine } from "./bookingPages/createBookingEngine";
import type { CallProviders } from "./calls/CallProvider";
import { createCallsModule } from "./calls/callsModule";
import { createAiClient } from "./calls/createAiClient";
import { createCallPolling } from "./calls/pollCalls";
import { createSummaryFeed } from "./calls/summaryFeed";
import { mountSummaryRoutes } from "./calls/summaryRoutes";
import { createSummaryStore } from "./calls/summaryStore";
import { mountConnectionRoutes } from "./connections/connectionRoutes";
import { type ConnectionService, createConnectionService } from "./connections/connectionService";
import { createOAuthProviders } from "./connections/oauthProviders";
import { createTokenCipher, parseEncryptionKeys } from "./connections/tokenCipher";
import { runMigrations } from "./db/migrate";
import { createTables } from "./db/schema";
import { watchPool } from "./db/watchPool";
import { createAgendaWrites } from "./events/agendaWrites";
import { mountEventRoutes } from "./events/eventRoutes";
import { createEventStore } from "./events/eventStore";
import { createHealthCheck } from "./health";
import { createAuthenticate } from "./http/createAuthenticate";
import { createOriginCheck } from "./http/createOriginCheck";
import { defineRoute, type RouteContext } from "./http/defineRoute";
import { handleErrors, notFound } from "./http/handleErrors";
import { keepRawBody } from "./http/readBody";
import { createJobQueues, defaultJobPolicy } from "./jobs/agendaJobs";
import { createQueue, startQueue } from "./jobs/createQueue";
import { createOpenApiDocument } from "./openapi";
import type { AgendaHooks, AgendaOptions } from "./options";
import { createMeetModule } from "./providers/google/meetModule";
import { createZoomCallProvider } from "./providers/zoom/zoomCallProvider";
import { createZoomModule } from "./providers/zoom/zoomModule";
import { type CalendarSync, createCalendarSync } from "./sync/createCalendarSync";
import { createSyncModule } from "./sync/syncModule";
import { version } from "./version";
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
   * Stops this instance cleanly: ends its open summary streams (so the host's `server.close()` can
   * return), stops taking jobs and lets running ones finish for up to `stopTimeoutSeconds` (those still
   * running then are retried later, here or on another instance), stops listening for summaries, and
   * closes the pool if the agenda opened it. A host-given pool is left open, without the agenda's
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
}

/** Creates the agenda: its router, its job queue and its database access, from the host's adapters. */
export function createAgenda(options: AgendaOptions): Agenda {
  const schemaName = options.schema ?? "agenda";
  const ownsPool = typeof options.database === "string";
  const pool =
    typeof options.database === "string"
      ? new pg.Pool({ connectionString: options.database })
      : options.database;
  const now = options.now ?? (() => new Date());
  const ai = { baseUrl: options.ai?.baseUrl ?? "http://localhost:8000", token: options.ai?.token };
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
  // Heard from the start: the router may query the pool before start(), and a host pool is shared.
  let poolWatch: { unwatch(): void } | null = watchPool(pool, reportError);
  const tables = createTables(schemaName);
  const providers = createOAuthProviders(options.providers);
  const encryptionKeys =
    typeof options.encryptionKeys === "string"
      ? parseEncryptionKeys(options.encryptionKeys)
      : options.encryptionKeys;
  if (Object.keys(providers).length > 0 && !encryptionKeys?.length) {
    throw new Error(
      "createAgenda: encryptionKeys is required when a provider is configured (tokens are sealed at rest)",
    );
  }
  if (Object.keys(providers).length > 0 && !options.publicUrl) {
    throw new Error(
      "createAgenda: publicUrl is required when a provider is configured (for OAuth redirect URIs)",
    );
  }
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
    reportError: (error) => reportError(error),
  });
  queue.on("error", (error) => reportError(error));
  let queueStarted = false;
  let feedStarted = false;

  const context: RouteContext = {
    authenticate: createAuthenticate(options.auth, (error, req) => reportError(error, req)),
    checkOrigin: createOriginCheck({
      publicUrl: options.publicUrl ?? null,
      allowedOrigins: options.allowedOrigins ?? [],
    }),
    bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
  };
  const router = Router();

  const connections = createConnectionService({
    db,
    tables,
    cipher: encryptionKeys?.length ? createTokenCipher(encryptionKeys) : null,
    providers,
    publicUrl: options.publicUrl ?? null,
    defaultReturnTo: options.connectionsReturnTo ?? "/",
    now,
    reportError: (error) => reportError(error),
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
    reportError: (error) => reportError(error),
  });

  const summaries = createSummaryStore(db, tables, now);
  const meet = createMeetModule({
    google: options.providers?.google,
    publicUrl: options.publicUrl,
    db,
    tables,
    queue,
    connections,
    summaries,
    deliveries,
    now,
  });
  const callProviders: CallProviders = {
    ...(providers.zoom && { zoom: createZoomCallProvider(providers.zoom) }),
    ...(meet.callProvider && { meet: meet.callProvider }),
  };
  const calendarSync: CalendarSync | null =
    options.calendarSync === false
      ? null
      : createCalendarSync({
          pool,
          schema: schemaName,
          queue,
          connections,
          providers,
          clients: options.clients,
          publicUrl: options.publicUrl ?? null,
          now,
          options: options.calendarSync ?? {},
          concurrency: pollConcurrency,
          reportError: (error) => reportError(error),
        });
  const sync = createSyncModule({ calendarSync, queue, deliveries, pool, schema: schemaName });
  const zoom = createZoomModule({
    pool,
    schema: schemaName,
    db,
    tables,
    queue,
    connections,
    summaries,
    deliveries,
    zoom: providers.zoom,
    webhookSecretToken: options.providers?.zoom?.webhookSecretToken,
    now,
    reportError: (error) => reportError(error),
  });

  const events = createEventStore(db, tables, now);
  const feed = createSummaryFeed({ pool, schema: schemaName, reportError: (error) => reportError(error) });
  const aiClient = createAiClient({
    baseUrl: ai.baseUrl,
    token: ai.token,
    ...(options.ai?.maxUrlLength && { maxUrlLength: options.ai.maxUrlLength }),
    ...(options.ai?.idleTimeoutMs && { idleTimeoutMs: options.ai.idleTimeoutMs }),
  });
  // The providers' own API and OAuth hosts; a transcript link redirecting anywhere else is checked further.
  const configuredHosts = new Set(
    Object.values(providers).flatMap((provider) =>
      [provider.tokenUrl, provider.apiBaseUrl].map((url) => new URL(url).host),
    ),
  );
  const calls = createCallsModule({
    queue,
    pipeline: {
      summaries,
      events,
      connections,
      callProviders,
      clients: options.clients,
      ai: aiClient,
      feed,
      hooks: options.hooks,
      configuredHosts,
      maxTranscriptBytes: options.maxTranscriptBytes ?? 20 * 1_048_576,
      reportError: (error) => reportError(error),
    },
    polling: createCallPolling({
      pool,
      schema: schemaName,
      connections,
      callProviders,
      summaries,
      queue,
      now,
      reportError: (error) => reportError(error),
    }),
    pollConcurrency,
    pollIntervalMinutes: options.polling === false ? false : (options.polling?.intervalMinutes ?? 10),
  });

  // The features, each mounting its routes and starting its workers: their webhook routes come before
  // the other routes, as they take the most requests and Express tries routes in order.
  const features: AgendaModule[] = [meet, sync, zoom, calls];
  for (const feature of features) feature.mount?.(router, context);

  const health = createHealthCheck({ pool, queue, queueStarted: () => queueStarted, ai });
  defineRoute(router, context, "health", async () => {
    const answer = await health();
    return { status: answer.status === "down" ? 503 : 200, body: answer };
  });

  let openApiDocument: unknown;
  defineRoute(router, context, "openapi", async () => {
    openApiDocument ??= createOpenApiDocument({ version });
    return { status: 200, body: openApiDocument };
  });
  mountConnectionRoutes(router, context, connections, () => calendarSync);

  const summaryStreams = mountSummaryRoutes(router, context, {
    summaries,
    feed,
    queue,
    limits: options.summaryStreams,
    reportError: (error) => reportError(error),
  });

  const writes = createAgendaWrites({
    pool,
    tables,
    schema: schemaName,
    queue,
    now,
    pushToCalendars: calendarSync !== null,
  });
  const notifyEventChanged = (change: Parameters<NonNullable<AgendaHooks["onEventChanged"]>>[0]) => {
    const hook = options.hooks?.onEventChanged;
    if (!hook) return;
    Promise.resolve()
      .then(() => hook(change))
      .catch((error) => reportError(error));
  };
  mountEventRoutes(router, context, {
    events,
    writes,
    clients: options.clients,
    zoomMeetings: zoom.meetings,
    notify: notifyEventChanged,
  });
  const bookingPages = createBookingPagesModule({
    db,
    tables,
    engine: createBookingEngine({ events, writes, notify: notifyEventChanged }),
    clients: options.clients,
    options: options.bookingPages,
    now,
  });
  bookingPages.mount?.(router, context);

  router.use(notFound);
  router.use(handleErrors(reportError));

  const migrate = () => runMigrations(pool, schemaName);

  return {
    router,
    keepRawBody,
    queue,
    connections,
    calendarSync,
    migrate,
    async start() {
      poolWatch ??= watchPool(pool, reportError);
      summaryStreams.reopen();
      await migrate();
      await startQueue(pool, queue, `${schemaName}_jobs`, async () => {
        queueStarted = true;
        await createJobQueues(queue, jobPolicy);
      });
      deliveries.start();
      await feed.start();
      feedStarted = true;
      if (options.runJobs === false) return;
      for (const feature of features) await feature.work?.();
    },
    async stop() {
      summaryStreams.closeAll();
      await deliveries.stop().catch(reportError);
      if (queueStarted) {
        await queue
          .stop({
            graceful: true,
            wait: true,
            close: false,
            timeout: (options.stopTimeoutSeconds ?? 10) * 1000,
          })
          .catch(reportError);
        queueStarted = false;
      }
      // After the jobs: a summary being finished still tells its streams on other instances.
      if (feedStarted) {
        await feed.stop();
        feedStarted = false;
      }
      if (ownsPool) await pool.end().catch(reportError);
      poolWatch?.unwatch();
      poolWatch = null;
    },
  };
}
