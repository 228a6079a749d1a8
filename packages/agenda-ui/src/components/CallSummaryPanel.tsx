import type { CallSummary, EventSummary, SummaryStatus } from "@crm-agenda/shared";
import { type ReactNode, useEffect, useId, useState } from "react";
import { callSummaryToMarkdown, describeActionItem, formatCallTime } from "../_internal/formatCallSummary";
import { findCachedEvent } from "../_internal/optimisticEvents";
import { readStreamingString } from "../_internal/readStreamingString";
import { finalSummaryStatuses } from "../_internal/readSummaryStream";
import { useAgendaClient, useAgendaQueryClient, useAgendaSettings } from "../AgendaProvider";
import { isAgendaRequestError } from "../client/AgendaRequestError";
import type { AgendaMessages } from "../messages/AgendaMessages";
import { describeError, describeSummaryStatus, fillMessage } from "../messages/describeMessages";
import { useEventSummary } from "../queries/useEventSummary";
import { useRegenerateSummary } from "../queries/useRegenerateSummary";
import { type SummaryStreamState, useSummaryStream } from "../queries/useSummaryStream";

/** Props of {@link CallSummaryPanel}. */
export interface CallSummaryPanelProps {
  /** The event whose call summary to show. */
  eventId: string;
  /**
   * How long the "copied" confirmation stays, in milliseconds.
   * @default 2000
   */
  copiedFor?: number;
}

/**
 * The call summary of an event, by its status: nothing to summarize, waiting for the transcript,
 * waiting for the AI service (which the server retries by itself), the summary being written live
 * (progress and text, in an `aria-live="polite"` region), the summary (executive summary, key points,
 * decisions, action items with owner, due date and time in the call, a link to the transcript, Copy
 * and Regenerate), or why it failed with Retry. Follows the stream while the summary is being written.
 *
 * A `<section>` of class `agenda-summary` named by its heading, with `data-status` set to the status.
 */
export function CallSummaryPanel({ eventId, copiedFor = 2_000 }: CallSummaryPanelProps) {
  const { messages } = useAgendaSettings();
  const headingId = useId();
  const summaryQuery = useEventSummary(eventId);
  const eventSummary = summaryQuery.data;
  const live = eventSummary !== undefined && !finalSummaryStatuses.has(eventSummary.status);
  const stream = useSummaryStream(eventId, { enabled: live });
  const knownStatus = useCachedEventStatus(eventId);
  const status = eventSummary?.status ?? knownStatus;

  let body: ReactNode;
  if (eventSummary === undefined) {
    body = summaryQuery.isError ? (
      <div role="alert">
        <p className="agenda-detail-text">
          {messages.summaryLoadFailed} {describeError(summaryQuery.error, messages)}
        </p>
        <button type="button" className="agenda-button" onClick={() => void summaryQuery.refetch()}>
          {messages.retry}
        </button>
      </div>
    ) : (
      // The event already says how far its summary is; say it while the details load.
      <p className="agenda-detail-text agenda-detail-muted">
        {knownStatus === undefined ? messages.summaryLoading : describeSummaryStatus(knownStatus, messages)}
      </p>
    );
  } else {
    body = <SummaryBody eventSummary={eventSummary} stream={stream} copiedFor={copiedFor} />;
  }

  return (
    <section
      className="agenda-detail agenda-summary"
      aria-labelledby={headingId}
      data-status={status}
      aria-busy={live || undefined}
    >
      <h3 className="agenda-detail-heading" id={headingId}>
        {messages.summaryHeading}
      </h3>
      {body}
    </section>
  );
}

function useCachedEventStatus(eventId: string): SummaryStatus | undefined {
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  return findCachedEvent(queryClient, client.baseUrl, eventId)?.summaryStatus;
}

interface SummaryBodyProps {
  eventSummary: EventSummary;
  stream: SummaryStreamState;
  copiedFor: number;
}

function SummaryBody({ eventSummary, stream, copiedFor }: SummaryBodyProps) {
  const { messages } = useAgendaSettings();
  const { status } = eventSummary;
  switch (status) {
    case "none":
      return <p className="agenda-detail-text agenda-detail-muted">{messages.summaryStatusNone}</p>;
    case "pending":
      return (
        <p className="agenda-detail-text agenda-summary-waiting" role="status">
          {messages.summaryStatusPending}
        </p>
      );
    case "waiting_for_ai":
      return (
        <div className="agenda-summary-waiting" role="status">
          <p className="agenda-detail-text">{messages.summaryStatusWaitingForAi}</p>
          <p className="agenda-summary-note">{messages.summaryWaitingForAiNote}</p>
        </div>
      );
    case "in_progress":
      return <LiveSummary stream={stream} />;
    case "ready":
      return eventSummary.summary === null ? (
        <p className="agenda-detail-text">{messages.summaryStatusReady}</p>
      ) : (
        <ReadySummary eventSummary={eventSummary} summary={eventSummary.summary} copiedFor={copiedFor} />
      );
    case "failed":
      return <FailedSummary eventSummary={eventSummary} />;
    default:
      return status satisfies never;
  }
}

function describeProgress(stream: SummaryStreamState, messages: AgendaMessages): string {
  if (stream.connection === "reconnecting") return messages.summaryReconnecting;
  const { progress } = stream;
  if (progress === null) return messages.summaryStatusInProgress;
  if (progress.stage === 1) {
    return fillMessage(messages.summaryProgressExcerpt, {
      step: String(progress.step),
      of: String(progress.of),
    });
  }
  return messages.summaryProgressWriting;
}

function LiveSummary({ stream }: { stream: SummaryStreamState }) {
  const { messages } = useAgendaSettings();
  const { progress, text } = stream;
  // The final stage writes JSON, executive summary first: show that sentence as it grows, or the raw
  // text when the model put something else first.
  const executiveSummary = readStreamingString(text, "executiveSummary");
  const shown = executiveSummary ?? text;
  return (
    <div className="agenda-summary-live">
      <p className="agenda-summary-progress" aria-live="polite" data-stage={progress?.stage}>
        <span className="agenda-summary-spinner" aria-hidden="true" />
        {describeProgress(stream, messages)}
      </p>
      {progress === null ? null : (
        <progress
          className="agenda-summary-progress-bar"
          aria-hidden="true"
          max={progress.of}
          value={progress.step}
        />
      )}
      <div
        className="agenda-summary-live-text"
        role="log"
        aria-live="polite"
        aria-label={messages.summaryLiveLabel}
        data-raw={executiveSummary === undefined && text !== "" ? true : undefined}
        hidden={shown === ""}
      >
        {shown}
      </div>
    </div>
  );
}

function TimeInCall({ at }: { at: string | undefined }) {
  const { messages } = useAgendaSettings();
  if (at === undefined) return null;
  const time = formatCallTime(at);
  return (
    <span className="agenda-summary-at" title={fillMessage(messages.summaryAtLabel, { time })}>
      <span className="agenda-visually-hidden">{fillMessage(messages.summaryAtLabel, { time })}</span>
      <span aria-hidden="true">{time}</span>
    </span>
  );
}

function ItemList({ heading, items }: { heading: string; items: readonly { text: string; at?: string }[] }) {
  const headingId = useId();
  if (items.length === 0) return null;
  return (
    <div className="agenda-summary-group">
      <h4 className="agenda-summary-subheading" id={headingId}>
        {heading}
      </h4>
      <ul className="agenda-summary-list" aria-labelledby={headingId}>
        {items.map((item, index) => (
          // Items have no ids and never move once the summary is stored.
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored summary's list is fixed
          <li key={index} className="agenda-summary-item">
            <span className="agenda-summary-item-text">{item.text}</span>
            <TimeInCall at={item.at} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReadySummary({
  eventSummary,
  summary,
  copiedFor,
}: {
  eventSummary: EventSummary;
  summary: CallSummary;
  copiedFor: number;
}) {
  const { messages, locale } = useAgendaSettings();
  const actionsHeadingId = useId();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const [confirming, setConfirming] = useState(false);
  const regenerate = useRegenerateSummary();

  useEffect(() => {
    if (copy !== "copied") return;
    const timer = setTimeout(() => setCopy("idle"), copiedFor);
    return () => clearTimeout(timer);
  }, [copy, copiedFor]);

  const copySummary = async () => {
    try {
      if (globalThis.navigator?.clipboard === undefined) throw new Error("no clipboard");
      await navigator.clipboard.writeText(callSummaryToMarkdown(eventSummary, summary, messages, locale));
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  };

  const startRegenerate = () => {
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    regenerate.mutate({ id: eventSummary.eventId });
  };

  const meta: string[] = [];
  if (eventSummary.durationSeconds !== null && eventSummary.durationSeconds > 0) {
    meta.push(
      fillMessage(messages.summaryDuration, {
        minutes: String(Math.max(1, Math.round(eventSummary.durationSeconds / 60))),
      }),
    );
  }
  if (eventSummary.participants.length > 0) {
    meta.push(
      fillMessage(messages.summaryParticipants, {
        names: eventSummary.participants.map((participant) => participant.name).join(", "),
      }),
    );
  }

  return (
    <div className="agenda-summary-ready">
      <p className="agenda-summary-executive">{summary.executiveSummary}</p>
      {meta.length === 0 ? null : <p className="agenda-summary-meta">{meta.join(" · ")}</p>}
      <ItemList heading={messages.summaryKeyPoints} items={summary.keyPoints} />
      <ItemList heading={messages.summaryDecisions} items={summary.decisions} />
      {summary.actionItems.length === 0 ? null : (
        <div className="agenda-summary-group">
          <h4 className="agenda-summary-subheading" id={actionsHeadingId}>
            {messages.summaryActionItems}
          </h4>
          <ul className="agenda-summary-list" aria-labelledby={actionsHeadingId}>
            {summary.actionItems.map((item, index) => {
              const details = describeActionItem(item, messages, locale);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a stored summary's list is fixed
                <li key={index} className="agenda-summary-item" data-action-item="">
                  <span className="agenda-summary-item-text">{item.text}</span>
                  {details === "" ? null : <span className="agenda-summary-item-details">{details}</span>}
                  <TimeInCall at={item.at} />
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="agenda-summary-actions">
        {eventSummary.transcriptUrl === null ? null : (
          <a
            className="agenda-summary-transcript"
            href={eventSummary.transcriptUrl}
            target="_blank"
            rel="noopener noreferrer"
          >
            {messages.summaryOpenTranscript}
          </a>
        )}
        <span className="agenda-form-actions-spacer" />
        <button type="button" className="agenda-button" onClick={() => void copySummary()}>
          {messages.summaryCopy}
        </button>
        <button
          type="button"
          className="agenda-button"
          onClick={startRegenerate}
          onBlur={() => setConfirming(false)}
          disabled={regenerate.isPending}
          data-confirming={confirming || undefined}
        >
          {regenerate.isPending
            ? messages.summaryRegenerating
            : confirming
              ? messages.summaryConfirmRegenerate
              : messages.summaryRegenerate}
        </button>
      </div>
      <p className="agenda-summary-copy-status" role="status" data-state={copy === "idle" ? undefined : copy}>
        {copy === "copied" ? messages.summaryCopied : copy === "failed" ? messages.summaryCopyFailed : ""}
      </p>
      <RegenerateError error={regenerate.error} />
    </div>
  );
}

function RegenerateError({ error }: { error: unknown }) {
  const { messages } = useAgendaSettings();
  if (error === null || error === undefined) return null;
  const reason =
    isAgendaRequestError(error) && error.code === "conflict"
      ? messages.summaryRegenerateConflict
      : describeError(error, messages);
  return (
    <p className="agenda-form-error" role="alert">
      {fillMessage(messages.summaryRegenerateFailed, { reason })}
    </p>
  );
}

function FailedSummary({ eventSummary }: { eventSummary: EventSummary }) {
  const { messages } = useAgendaSettings();
  const regenerate = useRegenerateSummary();
  return (
    <div className="agenda-summary-failed">
      <p className="agenda-detail-text">{messages.summaryStatusFailed}</p>
      {eventSummary.error === null ? null : (
        <p className="agenda-summary-note">
          {fillMessage(messages.summaryFailedReason, { reason: eventSummary.error })}
        </p>
      )}
      <div className="agenda-summary-actions">
        <button
          type="button"
          className="agenda-button agenda-button-primary"
          onClick={() => regenerate.mutate({ id: eventSummary.eventId })}
          disabled={regenerate.isPending}
        >
          {regenerate.isPending ? messages.summaryRegenerating : messages.summaryRetry}
        </button>
      </div>
      <RegenerateError error={regenerate.error} />
    </div>
  );
}
