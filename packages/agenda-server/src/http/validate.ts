import type { ValidationIssue } from "@crm-agenda/shared";
import type { z } from "zod";
import { AgendaError } from "../errors";

/** Parses `value` with a contract schema, or throws a 400 that names every field to fix. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: "body" | "query" | "path",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const described = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  const message =
    value === undefined && where === "body"
      ? "the request needs a JSON body"
      : `invalid ${where}: ${described.slice(0, 3).join("; ")}${described.length > 3 ? ` (and ${described.length - 3} more)` : ""}`;
  throw new AgendaError("validation_failed", message, { details: issues });
}
