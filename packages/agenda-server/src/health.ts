import type { Health } from "@crm-agenda/shared";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";
import type { AgendaModule } from "./AgendaModule";
import { defineRoute } from "./http/defineRoute";
import { createOpenApiDocument } from "./openapi";
import { version } from "./version";

/** Database, job queue and AI service status; the AI service being offline only degrades the agenda. */
export async function checkHealth(input: {
  pool: Pool;
  queue: PgBoss;
  queueStarted: boolean;
  ai: { baseUrl: string; token?: string | undefined };
}): Promise<Health> {
  const [database, queue, ai] = await Promise.all([
    input.pool.query("select 1").then(
      () => true,
      () => false,
    ),
    input.queueStarted
      ? input.queue.getQueues().then(
          () => true,
          () => false,
        )
      : Promise.resolve(false),
    fetch(`${input.ai.baseUrl.replace(/\/+$/, "")}/ai/health`, {
      headers: input.ai.token ? { authorization: `Bearer ${input.ai.token}` } : {},
      signal: AbortSignal.timeout(2_000),
    })
      .then(
        async (response) => response.ok && ((await response.json()) as { online?: unknown }).online === true,
      )
      .catch(() => false),
  ]);
  const status = !database || !queue ? "down" : ai ? "ok" : "degraded";
  return { status, database: { ok: database }, queue: { ok: queue }, ai: { online: ai } };
}

/** How long one check answers every `/health` call: a flood of calls costs one check per period. */
const healthTtlMs = 5_000;

/**
 * `/health` is unauthenticated, so its answer is shared: calls within `ttlMs` of a check get that
 * check's answer, and calls while a check runs wait for it rather than starting their own. However
 * many calls arrive, the pool sees at most one `select 1` (and the AI service one request) at a time.
 */
export function createHealthCheck(
  input: Omit<Parameters<typeof checkHealth>[0], "queueStarted"> & {
    queueStarted(): boolean;
    /** @default 5000 */
    ttlMs?: number;
  },
): () => Promise<Health> {
  const ttlMs = input.ttlMs ?? healthTtlMs;
  // Monotonic: a wall clock moved back would keep an old answer for ever.
  const clock = () => performance.now();
  let answered: { at: number; health: Health } | undefined;
  let running: Promise<Health> | undefined;
  return () => {
    if (answered && clock() - answered.at < ttlMs) return Promise.resolve(answered.health);
    // However long a check takes (a pool with no free connection, say), calls meanwhile wait for it.
    running ??= checkHealth({ ...input, queueStarted: input.queueStarted() })
      .then((health) => {
        answered = { at: clock(), health };
        return health;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}

/** `/health` (a 503 when the database or the queue is down) and `/openapi.json`, built once when first asked. */
export function createHealthModule(input: Parameters<typeof createHealthCheck>[0]): AgendaModule {
  const health = createHealthCheck(input);
  let openApiDocument: unknown;
  return {
    mount(router, context) {
      defineRoute(router, context, "health", async () => {
        const answer = await health();
        return { status: answer.status === "down" ? 503 : 200, body: answer };
      });
      defineRoute(router, context, "openapi", async () => {
        openApiDocument ??= createOpenApiDocument({ version });
        return { status: 200, body: openApiDocument };
      });
    },
  };
}
