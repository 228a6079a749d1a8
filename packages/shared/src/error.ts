import { z } from "zod";

export const errorCodeSchema = z.enum([
  "bad_request",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "csrf_rejected",
  "not_found",
  "conflict",
  "payload_too_large",
  "unprocessable",
  "rate_limited",
  "unavailable",
  "internal",
  "raw_body_unavailable",
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** The HTTP status each error code is answered with. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  /** A state-changing request that is not same-origin JSON: it may come from another site's page. */
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  /** A host body parser consumed a webhook's bytes before the router could check their signature. */
  raw_body_unavailable: 500,
} as const satisfies Record<ErrorCode, number>;

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
