import type { CalendarEvent } from "@crm-agenda/shared";
import { type ComponentPropsWithoutRef, type CSSProperties, memo, type ReactNode } from "react";
import { isOptimisticEvent } from "../_internal/optimisticEvents";
import { useAgendaSettings } from "../AgendaProvider";
import { type EventTexts, getEventFormatter } from "../date/getEventFormatter";
import type { AgendaMessages } from "../messages/AgendaMessages";
import { describeSource, fillMessage } from "../messages/describeMessages";

/** Props of {@link EventChip}; other button attributes (pointer and key handlers…) pass through. */
export interface EventChipProps
  extends Omit<ComponentPropsWithoutRef<"button">, "onClick" | "children" | "style"> {
  /** The event to show. */
  event: CalendarEvent;
  /** Called when the event is clicked or activated with the keyboard. */
  onOpen: (event: CalendarEvent) => void;
  /**
   * `timed` in a day column of the time grid, `all-day` as a bar (all-day row, multi-day bars of the
   * month), `month` as one line with a dot in a month cell, `list` as a line of the list view.
   * @default "timed"
   */
  variant?: "timed" | "all-day" | "month" | "list";
  /** Shown after the event's text, e.g. the resize handle. */
  children?: ReactNode;
  /** Where it sits; the week view passes its layout here. */
  style?: CSSProperties;
  /** True when the event is short enough that title and time share one line. */
  compact?: boolean;
  /**
   * True when the event is too narrow for any text (many overlapping events): only its colour shows,
   * and it is still named by its label and tooltip. Sets `data-narrow`.
   */
  narrow?: boolean;
  /** True when the event began before what is shown, so its start edge is cut. */
  continuesBefore?: boolean;
  /** True when the event goes on after what is shown, so its end edge is cut. */
  continuesAfter?: boolean;
}

/**
 * One event as a button. Its accessible name is "{title}, {start – end}[, {location}], {full date}" for
 * a timed event within one day (e.g. "Revue, 09:00 – 10:00, mardi 24 novembre 2026"), "{title},
 * {start – end}[, {location}], {full dates and times}" for each day's piece of one across midnight in
 * the time grid, else "{title}, {full dates and times}[, {location}]" (all-day: "…, toute la journée"); then
 * ", {messages.summaryReady}" when the call summary is ready, and the client's answer to a reminder
 * (`messages.attendanceConfirmed` or `attendanceCancelled`). Class `agenda-event`; sets `data-source` (crm, google, microsoft,
 * zoom, meet), `data-variant`, `data-event-id`, `data-attendance` (confirmed, cancelled) when the client answered, and, only when true, `data-summary-ready`, `data-pending` (still being
 * saved), `data-compact`, `data-continues-before`, `data-continues-after`. Memoized: it renders again only
 * when a prop changes (compare `style` and handlers by identity), and its texts are written once per
 * event object, zone and language.
 */
export const EventChip = memo(function EventChip({
  event,
  onOpen,
  variant = "timed",
  style,
  compact,
  narrow,
  continuesBefore,
  continuesAfter,
  children,
  ...buttonProps
}: EventChipProps) {
  const { timeZone, locale, messages } = useAgendaSettings();
  const summaryReady = event.summaryStatus === "ready";
  const attendance = event.attendance;
  const texts = getEventFormatter(timeZone, locale, messages.allDay).describe(event);
  const { when, times, startDate, startsAndEndsSameDay } = texts;
  // What is visible (title, times, place) comes first and in that order, as WCAG's "label in name" asks.
  const label = (
    variant === "list"
      ? // The visible words first, in their order, then the full date.
        [event.title, event.allDay ? messages.allDay : times, event.location, when]
      : !event.allDay && startsAndEndsSameDay && variant !== "all-day"
        ? [event.title, times, event.location, startDate]
        : !event.allDay && variant === "timed"
          ? // Across midnight each day's piece shows the times alone ("23:00 – 04:00"); the dates follow.
            [event.title, times, event.location, when]
          : [event.title, when, event.location]
  )
    .concat(summaryReady ? messages.summaryReady : null)
    .concat(
      attendance
        ? messages[attendance === "confirmed" ? "attendanceConfirmed" : "attendanceCancelled"]
        : null,
    )
    .filter((part): part is string => typeof part === "string" && part !== "")
    .join(", ");
  return (
    <button
      type="button"
      {...buttonProps}
      className="agenda-event"
      data-event-id={event.id}
      style={style}
      aria-label={label}
      title={`${event.title}\n${when}${event.location ? `\n${event.location}` : ""}\n${fillMessage(messages.source, { source: describeSource(event.source, messages) })}`}
      data-source={event.source}
      data-variant={variant}
      data-summary-ready={summaryReady || undefined}
      data-attendance={attendance || undefined}
      data-pending={isOptimisticEvent(event) || undefined}
      data-compact={compact || undefined}
      data-narrow={narrow || undefined}
      data-continues-before={continuesBefore || undefined}
      data-continues-after={continuesAfter || undefined}
      onClick={() => onOpen(event)}
    >
      {narrow ? null : chipText(event, variant, compact, texts, messages)}
      {children}
    </button>
  );
});

/** What an event shows inside its chip: title, times, place and the summary mark. */
function chipText(
  event: CalendarEvent,
  variant: NonNullable<EventChipProps["variant"]>,
  compact: boolean | undefined,
  { times, startTime }: EventTexts,
  messages: AgendaMessages,
): ReactNode {
  return (
    <>
      <span className="agenda-event-title">{event.title}</span>
      {/* Separators for text extraction (copy, assistive tech); flex layout ignores them. */}{" "}
      {variant === "timed" || variant === "list" ? (
        <span className="agenda-event-time">{event.allDay ? messages.allDay : times}</span>
      ) : null}
      {variant === "month" && !event.allDay ? <span className="agenda-event-time">{startTime}</span> : null}{" "}
      {(variant === "timed" && !compact) || variant === "list" ? (
        event.location ? (
          <span className="agenda-event-location">{event.location}</span>
        ) : null
      ) : null}
      {event.summaryStatus === "ready" ? (
        <span className="agenda-event-summary-mark" aria-hidden="true">
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <path d="M8 1.5l1.6 3.9 3.9 1.6-3.9 1.6L8 12.5 6.4 8.6 2.5 7l3.9-1.6z" fill="currentColor" />
          </svg>
        </span>
      ) : null}
    </>
  );
}
