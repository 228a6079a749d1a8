import { z } from "zod";
import { attendanceSchema } from "./event";
import { instantSchema, timeZoneSchema } from "./timeZone";

export const reminderActionSchema = z.enum(["confirm", "cancel"]).meta({
  id: "ReminderAction",
  description: "What the client's link does: confirm they will attend, or cancel.",
});
export type ReminderAction = z.infer<typeof reminderActionSchema>;

export const reminderLinkParamsSchema = z.object({
  token: z
    .string()
    .max(300)
    .regex(/^[A-Za-z0-9._~-]+$/, { message: "is not a reminder link's token" }),
  action: reminderActionSchema,
});

export const reminderAnswerSchema = z
  .object({
    action: reminderActionSchema,
    title: z.string(),
    start: instantSchema,
    end: instantSchema,
    timeZone: timeZoneSchema,
    attendance: attendanceSchema.nullable().meta({ description: "The client's answer so far, if any" }),
  })
  .meta({
    id: "ReminderAnswer",
    description: "The appointment a reminder link is about, and the answer it holds.",
  });
export type ReminderAnswer = z.infer<typeof reminderAnswerSchema>;
