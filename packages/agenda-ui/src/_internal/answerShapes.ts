import type {
  ErrorBody,
  EventChange,
  EventSummary,
  SummaryStreamMessage,
  ValidationIssue,
} from "@crm-agenda/shared";

// The router validates what it receives with the shared Zod schemas; the browser only checks that an
// answer has the shape it is about to read, with these few guards, so Zod stays out of the UI bundle.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;
const summaryStatuses = new Set(["none", "pending", "waiting_for_ai", "in_progress", "ready", "failed"]);

/** `{ error: { code, message, details? } }`, the router's error body. */
export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    isRecord(value) &&
    isRecord(value.error) &&
    typeof value.error.code === "string" &&
    typeof value.error.message === "string"
  );
}

/** `[{ path, message }]`, the details of a `validation_failed` error. */
export function isValidationIssueList(value: unknown): value is ValidationIssue[] {
  return (
    Array.isArray(value) &&
    value.every(
      (issue) => isRecord(issue) && typeof issue.path === "string" && typeof issue.message === "string",
    )
  );
}

/** An EventSummary: its event, a known status, and a summary that is null or has its four parts. */
export function isEventSummary(value: unknown): value is EventSummary {
  if (!isRecord(value) || typeof value.eventId !== "string" || !summaryStatuses.has(value.status as string))
    return false;
  if (!Array.isArray(value.participants)) return false;
  const summary = value.summary;
  return (
    summary === null ||
    (isRecord(summary) &&
      typeof summary.executiveSummary === "string" &&
      Array.isArray(summary.keyPoints) &&
      Array.isArray(summary.decisions) &&
      Array.isArray(summary.actionItems))
  );
}

/** One message of the summary stream. */
export function isSummaryStreamMessage(value: unknown): value is SummaryStreamMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case "summary":
      return isEventSummary(value.summary);
    case "progress":
      return (
        (value.stage === 1 || value.stage === 2) &&
        typeof value.step === "number" &&
        typeof value.of === "number"
      );
    case "token":
      return typeof value.token === "string";
    case "reset":
      return true;
    default:
      return false;
  }
}

const isSpan = (value: unknown) =>
  value === null || (isRecord(value) && typeof value.start === "string" && typeof value.end === "string");

/** One change of the live agenda stream. */
export function isEventChange(value: unknown): value is EventChange {
  return (
    isRecord(value) &&
    (value.type === "created" || value.type === "updated" || value.type === "deleted") &&
    typeof value.eventId === "string" &&
    isSpan(value.before) &&
    isSpan(value.after)
  );
}
