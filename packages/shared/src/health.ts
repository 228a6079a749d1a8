import { z } from "zod";

export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    database: z.object({ ok: z.boolean() }),
    queue: z.object({ ok: z.boolean() }),
    ai: z.object({ online: z.boolean() }),
  })
  .meta({
    id: "Health",
    description: "down: the database or the queue is unreachable; degraded: the AI service is offline",
  });
export type Health = z.infer<typeof healthSchema>;
