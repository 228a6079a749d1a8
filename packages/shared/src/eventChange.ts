import { z } from "zod";
import { instantSchema } from "./timeZone";

/** Where an event lay, `start` inclusive and `end` exclusive, in UTC. */
export const eventSpanSchema = z.object({ start: instantSchema, end: instantSchema });

/**
 * One change to an event of the signed-in user, whoever made it (the agenda, calendar sync, the call
 * pipeline, a colleague): `before` is where it lay until then (null when created), `after` where it
 * lies now (null when deleted), so a client refreshes only the ranges that show it.
 *
 * `GET /events/stream` sends each as the data of an SSE `change` event whose `id:` is where a
 * reconnection resumes; `ready` (no data to read) opens the stream with the current `id:`, and `reset`
 * says changes were missed that cannot be replayed, so every open range should be read again.
 */
export const eventChangeSchema = z.object({
  type: z.enum(["created", "updated", "deleted"]),
  eventId: z.uuid(),
  before: eventSpanSchema.nullable(),
  after: eventSpanSchema.nullable(),
});
export type EventChange = z.infer<typeof eventChangeSchema>;
