/** The `code` of every error the router answers, in the order the OpenAPI document lists them. */
export const errorCodes = [
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
  "slot_taken",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

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
  /** A booking overlaps another event of the user (or its buffers), or the day's cap is reached. */
  slot_taken: 409,
} as const satisfies Record<ErrorCode, number>;
