import type { Health } from "@crm-agenda/shared";
import type { Pool } from "pg";
import type PgBoss from "pg-boss";

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
    ttlMs?: number;
    /** Milliseconds of a monotonic clock. @default performance.now */
    clock?: () => number;
  },
): () => Promise<Health> {
  const ttlMs = input.ttlMs ?? healthTtlMs;
  const clock = input.clock ?? (() => performance.now());
  let last: { at: number; health: Promise<Health> } | undefined;
  return () => {
    if (last && clock() - last.at < ttlMs) return last.health;
    const health = checkHealth({ ...input, queueStarted: input.queueStarted() });
    const entry = { at: clock(), health };
    last = entry;
    // The period counts from when the check ends, so a slow check is not run again at once.
    const ended = () => {
      if (last === entry) entry.at = clock();
    };
    // A rejection is the callers' to handle, through the promise they were given.
    health.then(ended, ended);
    return health;
  };
}
