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
