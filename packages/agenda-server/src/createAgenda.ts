import { drizzle } from "drizzle-orm/node-postgres";
import { Router } from "express";
import pg from "pg";
import type PgBoss from "pg-boss";
import { mountConnectionRoutes } from "./connections/connectionRoutes";
import { type ConnectionService, createConnectionService } from "./connections/connectionService";
import { createOAuthProviders } from "./connections/oauthProviders";
import { createTokenCipher, parseEncryptionKeys } from "./connections/tokenCipher";
import { runMigrations } from "./db/migrate";
import { createTables } from "./db/schema";
import { mountEventRoutes } from "./events/eventRoutes";
import { createEventStore } from "./events/eventStore";
import { checkHealth } from "./health";
import { defineRoute, type RouteContext } from "./http/defineRoute";
import { handleErrors, notFound } from "./http/handleErrors";
import { createJobQueues, jobQueues } from "./jobs/agendaJobs";
import { createQueue } from "./jobs/createQueue";
import { createOpenApiDocument } from "./openapi";
import type { AgendaOptions } from "./options";
import { version } from "./version";
import { handleZoomEvent } from "./webhooks/zoom/handleZoomEvent";
import { mountZoomWebhookRoutes, type ZoomEnvelope } from "./webhooks/zoom/zoomWebhookRoutes";

/** What {@link createAgenda} returns. */
export interface Agenda {
  /** Mount it where the host likes, e.g. `app.use("/api/agenda", agenda.router)`. It parses its own bodies. */
  router: Router;
  /** Applies the agenda's migrations (idempotent; safe from several instances at once). */
  migrate(): Promise<{ applied: string[] }>;
  /** Migrates, then starts the job queue and its workers. Call once per server instance. */
  start(): Promise<void>;
  /** Stops the workers (letting running jobs finish) and closes the pool if the agenda opened it. */
  stop(): Promise<void>;
  /** The job queue, shared by the agenda's background work. */
  queue: PgBoss;
  /** Connected accounts: `accessToken(connectionId)` gives a fresh token for a provider call. */
  connections: ConnectionService;
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
  const reportError =
    options.onError ?? ((error: unknown) => console.error("[crm-agenda] unexpected error:", error));
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
  const queue = createQueue(pool, `${schemaName}_jobs`);
  queue.on("error", (error) => reportError(error, undefined as never));
  let queueStarted = false;

  const context: RouteContext = {
    authenticate: async (req) => options.auth(req),
    bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
  };
  const router = Router();

  defineRoute(router, context, "health", async () => {
    const health = await checkHealth({ pool, queue, queueStarted, ai });
    return { status: health.status === "down" ? 503 : 200, body: health };
  });

  let openApiDocument: unknown;
  defineRoute(router, context, "openapi", async () => {
    openApiDocument ??= createOpenApiDocument({ version });
    return { status: 200, body: openApiDocument };
  });

  const connections = createConnectionService({
    db,
    tables,
    cipher: encryptionKeys?.length ? createTokenCipher(encryptionKeys) : null,
    providers,
    publicUrl: options.publicUrl ?? null,
    defaultReturnTo: options.connectionsReturnTo ?? "/",
    now,
    reportError: (error) => reportError(error, undefined as never),
  });
  mountConnectionRoutes(router, context, connections);
  mountZoomWebhookRoutes(router, context, {
    pool,
    queue,
    schema: schemaName,
    secretToken: options.providers?.zoom?.webhookSecretToken,
    now,
  });

  mountEventRoutes(router, context, {
    events: createEventStore(db, tables, now),
    clients: options.clients,
    notify(change) {
      const hook = options.hooks?.onEventChanged;
      if (!hook) return;
      Promise.resolve()
        .then(() => hook(change))
        .catch((error) => reportError(error, undefined as never));
    },
  });

  router.use(notFound);
  router.use(handleErrors(reportError));

  const migrate = () => runMigrations(pool, schemaName);

  return {
    router,
    queue,
    connections,
    migrate,
    async start() {
      await migrate();
      await queue.start();
      queueStarted = true;
      await createJobQueues(queue);
      await queue.work<ZoomEnvelope>(jobQueues.zoomEvent, async (jobs) => {
        for (const job of jobs) await handleZoomEvent(job.data, { db, tables, connections });
      });
    },
    async stop() {
      if (queueStarted) {
        await queue.stop({ graceful: true, wait: true, close: false });
        queueStarted = false;
      }
      if (ownsPool) await pool.end();
    },
  };
}
