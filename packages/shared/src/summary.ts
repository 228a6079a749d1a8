import { z } from "zod";
import { summaryStatusSchema } from "./event";
import { instantSchema } from "./timeZone";

const callTimeSchema = z
  .string()
  .regex(/^\d{2}:\d{2}:\d{2}$/, { message: "must be HH:MM:SS" })
  .meta({ description: "Time into the call, HH:MM:SS" });

export const callSummarySchema = z
  .object({
    executiveSummary: z.string(),
    keyPoints: z.array(z.object({ text: z.string(), at: callTimeSchema.optional() })),
    decisions: z.array(z.object({ text: z.string(), at: callTimeSchema.optional() })),
    actionItems: z.array(
      z.object({
        text: z.string(),
        owner: z.string().optional(),
        due: z.iso.date().optional(),
        at: callTimeSchema.optional(),
      }),
    ),
  })
  .meta({ id: "CallSummary" });
export type CallSummary = z.infer<typeof callSummarySchema>;

export const eventSummarySchema = z
  .object({
    eventId: z.uuid(),
    status: summaryStatusSchema,
    summary: callSummarySchema.nullable(),
    error: z.string().nullable().meta({ description: "Why the summary failed, in plain words" }),
    transcriptUrl: z.url().nullable(),
    language: z.string().nullable(),
    durationSeconds: z.number().int().nonnegative().nullable(),
    participants: z.array(z.object({ name: z.string(), email: z.string().optional() })),
    updatedAt: instantSchema.nullable(),
  })
  .meta({ id: "EventSummary" });
export type EventSummary = z.infer<typeof eventSummarySchema>;

/**
 * The messages of `GET /events/:id/summary/stream`, each sent as an SSE event named by its `type`
 * with the JSON as data: the current `summary` first, then `progress` (stage 1 per chunk, stage 2 per
 * merge), the final stage's `token`s, `reset` when a repair request starts the tokens over, and a last
 * `summary` once it is ready or failed, after which the server closes the stream.
 */
export const summaryStreamMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("summary"), summary: eventSummarySchema }),
  z.object({
    type: z.literal("progress"),
    stage: z.union([z.literal(1), z.literal(2)]),
    step: z.number().int().positive(),
    of: z.number().int().positive(),
  }),
  z.object({ type: z.literal("token"), token: z.string() }),
  z.object({ type: z.literal("reset") }),
]);
export type SummaryStreamMessage = z.infer<typeof summaryStreamMessageSchema>;
