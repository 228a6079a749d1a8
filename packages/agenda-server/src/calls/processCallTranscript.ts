import type { CallSummary } from "@crm-agenda/shared";
import type { ConnectionService } from "../connections/connectionService";
import { AgendaError } from "../errors";
import type { EventStore } from "../events/eventStore";
import { matchClient } from "../events/matchClient";
import type { ClientDirectory } from "../options";
import { ProviderUnavailableError } from "../providers/providerFetch";
import { type CallParticipant, type CallProviders, callAccountLabels } from "./CallProvider";
import { AiUnavailableError, TranscriptFormatError } from "./callErrors";
import type { AiClient } from "./createAiClient";
import { detectLanguage } from "./detectLanguage";
import type { SpeakerTurn } from "./SpeakerTurn";
import { summarizeTranscript } from "./summarizeTranscript";
import type { SummaryFeed } from "./summaryFeed";
import type { SummaryStore } from "./summaryStore";

export interface CallPipeline {
  summaries: SummaryStore;
  events: EventStore;
  connections: ConnectionService;
  /** The configured call providers, by the kind of call they give. */
  callProviders: CallProviders;
  clients: ClientDirectory;
  ai: AiClient;
  feed: SummaryFeed;
  /** Hosts the host configured itself (the sandbox's loopback address, say); others must resolve publicly. */
  configuredHosts: ReadonlySet<string>;
  maxTranscriptBytes: number;
  reportError(error: unknown): void;
}

/** Whether waiting and trying again can help. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof AiUnavailableError ||
    error instanceof ProviderUnavailableError ||
    (error instanceof AgendaError && error.code === "unavailable")
  );
}

function calendarDate(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(instant));
}

/** Another run of the same call holds it; the job comes back later to see how that run ended. */
export class SummaryBusyError extends Error {
  override readonly name = "SummaryBusyError";
}

/**
 * One call, from its transcript at the provider to its summary on the agenda event: download (from the
 * provider's hosts only) → parse into speaker turns → match the CRM client → summarize in two stages →
 * store (with what the host is to be told, see `tellHost`). The progress goes out on the feed as it happens. A retryable failure
 * (the AI service or the provider unreachable) is thrown for the queue to retry with backoff, unless
 * this was the last attempt; any other failure ends the summary as failed with its reason.
 *
 * One run per call, whatever the queue does: a run holds the call's advisory lock, so a job retried
 * past its expiry while its first run still works finds the lock taken and comes back later; a run
 * takes the summary by compare-and-set on its attempt, so one finding it written or taken does
 * nothing; and every write of a run is fenced by that attempt, so a run that lost its lock with its
 * connection cannot overwrite the run that took over.
 */
export async function processCallTranscript(
  eventId: string,
  attempt: { isLast: boolean },
  pipeline: CallPipeline,
): Promise<void> {
  const outcome = await pipeline.summaries.runExclusively(eventId, (lost) =>
    runPipeline(eventId, attempt, pipeline, lost),
  );
  if (outcome.acquired) return;
  const row = await pipeline.summaries.row(eventId);
  if (!row || row.status === "ready" || row.status === "failed" || attempt.isLast) return;
  // Thrown, not dropped: if the other run is this job's own first run, past its expiry, a retryable
  // failure of that run reaches no job, and this retry is what takes the summary up again.
  throw new SummaryBusyError(`the summary of event ${eventId} is being written by another run`);
}

async function runPipeline(
  eventId: string,
  attempt: { isLast: boolean },
  pipeline: CallPipeline,
  lockLost: AbortSignal,
) {
  const { summaries, feed } = pipeline;
  const row = await summaries.row(eventId);
  if (!row || row.status === "ready" || row.status === "failed") return;
  const run = await summaries.claimRun(eventId, row.attempts);
  if (run === null) return;
  const owner = { tenantId: row.tenantId, userId: row.userId };
  const changed = () => feed.publish(eventId, { type: "changed" });
  await changed();
  try {
    const turns = await readTranscript(row.source, pipeline);
    const event = await pipeline.events.get(owner, eventId);
    if (!event) return;
    const participants = await callParticipants(row.source, turns, pipeline);

    // A person's correction sticks; otherwise the call's participants sharpen the event's match.
    if (event.clientMatch.method !== "manual") {
      const connection = (await pipeline.connections.list(owner)).find(
        (item) => item.id === row.source.connectionId,
      );
      const emails = [
        ...event.attendees,
        ...participants.flatMap((person) => (person.email ? [{ email: person.email }] : [])),
      ];
      const match = await matchClient(
        pipeline.clients,
        { ...owner, email: connection?.accountEmail ?? "" },
        emails,
      );
      if (match.clientId && match.clientId !== event.clientMatch.clientId)
        await pipeline.events.setClient(owner, eventId, match);
    }

    const language = detectLanguage(turns);
    const summary: CallSummary = await summarizeTranscript({
      ai: pipeline.ai,
      turns,
      title: event.title,
      callDate: calendarDate(row.source.startTime, event.timeZone),
      participants: participants.map((person) => person.name),
      language,
      // The lock went with its connection: stop, and let the job's retry take the summary up.
      signal: lockLost,
      onProgress: (progress) => {
        if (progress.repair) feed.relay(eventId, { type: "reset" });
        feed.relay(eventId, {
          type: "progress",
          stage: progress.stage,
          step: progress.stage === 1 ? progress.chunk : progress.merge,
          of: progress.of,
        });
      },
      onToken: (token) => feed.relay(eventId, { type: "token", token }),
    });
    const durationSeconds = Math.round(
      (Date.parse(row.source.endTime) - Date.parse(row.source.startTime)) / 1000,
    );
    const saved = await summaries.saveReady(eventId, run, {
      summary,
      language,
      durationSeconds: Math.max(0, durationSeconds),
      participants,
    });
    if (!saved) return;
    await changed();
  } catch (error) {
    if (isRetryable(error) && !attempt.isLast) {
      const waitingForAi = error instanceof AiUnavailableError;
      // A run overtaken by a later one leaves the summary to it, and its job ends.
      if (
        !(await summaries.setStatus(
          eventId,
          waitingForAi ? "waiting_for_ai" : "pending",
          (error as Error).message,
          run,
        ))
      )
        return;
      await changed();
      throw error;
    }
    const reason =
      error instanceof Error && (error.name !== "Error" || error instanceof AgendaError)
        ? error.message
        : "the summary could not be written because of an error on the agenda's side";
    if (!(error instanceof TranscriptFormatError) && !isRetryable(error) && !(error instanceof AgendaError))
      pipeline.reportError(error);
    const ended = await summaries.setStatus(
      eventId,
      "failed",
      isRetryable(error) ? `${reason}; gave up after several tries` : reason,
      run,
    );
    if (ended) await changed();
  }
}

async function readTranscript(source: CallPipelineSource, pipeline: CallPipeline): Promise<SpeakerTurn[]> {
  const label = callAccountLabels[source.provider];
  const provider = pipeline.callProviders[source.provider];
  if (!provider) throw new TranscriptFormatError(`${label} is no longer configured on this server`);
  return provider.readTranscript(source, {
    accessToken: () => connectionToken(source, pipeline, label),
    maxBytes: pipeline.maxTranscriptBytes,
    configuredHosts: pipeline.configuredHosts,
  });
}

/** The connection's token; a connection removed meanwhile ends the summary with that reason. */
async function connectionToken(source: CallPipelineSource, pipeline: CallPipeline, label: string) {
  return pipeline.connections.accessToken(source.connectionId).catch((error) => {
    if (error instanceof AgendaError && error.code === "not_found") {
      throw new TranscriptFormatError(
        `the ${label} account was disconnected before the transcript could be read`,
      );
    }
    throw error;
  });
}

type CallPipelineSource = NonNullable<Awaited<ReturnType<SummaryStore["row"]>>>["source"];

async function callParticipants(
  source: CallPipelineSource,
  turns: SpeakerTurn[],
  pipeline: CallPipeline,
): Promise<CallParticipant[]> {
  const speakers: CallParticipant[] = [...new Set(turns.map((turn) => turn.speaker).filter(Boolean))].map(
    (name) => ({ name }),
  );
  const provider = pipeline.callProviders[source.provider];
  if (!provider) return speakers;
  const listed = await provider.listParticipants(source, () =>
    pipeline.connections.accessToken(source.connectionId),
  );
  const named = new Set(listed.map((person) => person.name));
  return [...listed, ...speakers.filter((speaker) => !named.has(speaker.name))];
}
