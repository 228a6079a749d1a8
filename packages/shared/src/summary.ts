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
