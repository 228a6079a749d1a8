import type PgBoss from "pg-boss";
import type { CallSource } from "../db/schema/summaries";
import { jobQueues } from "../jobs/agendaJobs";
import { onClient } from "../jobs/createQueue";
import type { Owner } from "../options";
import type { EnqueueSummary, SummaryStore } from "./summaryStore";

/** Sends a call's summary job on a client, so it commits with the row change that made it due. */
export function summaryJobSender(queue: PgBoss): EnqueueSummary {
  return (client, eventId) =>
    queue.send(jobQueues.callSummary, { eventId }, { singletonKey: eventId, db: onClient(client) });
}

/**
 * Puts a finished call on the agenda and queues its summary. However many times a call is reported
 * (webhook retries, both Zoom recording events, the polling fallback), it has one event, one summary
 * row, and one job: queued with the row, in its transaction, by the report that created it.
 */
export async function enqueueCall(
  input: { summaries: SummaryStore; queue: PgBoss },
  owner: Owner,
  source: CallSource,
): Promise<string> {
  const { eventId } = await input.summaries.claimCall(owner, source, summaryJobSender(input.queue));
  return eventId;
}
