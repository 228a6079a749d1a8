import type PgBoss from "pg-boss";
import type { CallSource } from "../db/schema/summaries";
import { jobQueues } from "../jobs/agendaJobs";
import type { Owner, SummaryStore } from "./summaryStore";

/**
 * Puts a finished call on the agenda and queues its summary. However many times a call is reported
 * (webhook retries, both Zoom recording events, the polling fallback), it has one event, one summary
 * row, and at most one queued job.
 */
export async function enqueueCall(
  input: { summaries: SummaryStore; queue: PgBoss },
  owner: Owner,
  source: CallSource,
): Promise<string> {
  const { eventId } = await input.summaries.claimCall(owner, source);
  const row = await input.summaries.row(eventId);
  if (row && row.status !== "ready" && row.status !== "failed") {
    await input.queue.send(jobQueues.callSummary, { eventId }, { singletonKey: eventId });
  }
  return eventId;
}
