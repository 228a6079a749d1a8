import { randomUUID } from "node:crypto";

/** Microsoft Graph's error body (https://learn.microsoft.com/graph/errors). */
export function graphError(code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString(),
        "request-id": randomUUID(),
        "client-request-id": randomUUID(),
      },
    },
  };
}
