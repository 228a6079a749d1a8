import { z } from "zod";
import { errorCodes } from "./errorStatus";

export const errorCodeSchema = z.enum(errorCodes);

export const validationIssueSchema = z.object({
  path: z.string().meta({ description: "Dotted path of the field, e.g. attendees.0.email" }),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error", description: "Every error the router answers has this shape." });
export type ErrorBody = z.infer<typeof errorBodySchema>;
