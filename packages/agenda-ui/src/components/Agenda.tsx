import type { CalendarEvent } from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { addMinutes, addWeeks, isSameDay } from "date-fns";
import { useEffect, useMemo, useState } from "react";
import { isOptimisticEvent } from "../_internal/optimisticEvents";
import { useControllableState } from "../_internal/useControllableState";
import { useAgendaClient, useAgendaQueryClient, useAgendaSettings } from "../AgendaProvider";
import { formatWeekTitle } from "../date/formatWeekTitle";
import { getDaysRange, getWeekDays } from "../date/getWeekDays";
import {
  describeError,
  describeSource,
  describeSummaryStatus,
  fillMessage,
} from "../messages/describeMessages";
import { eventsQueryOptions } from "../queries/eventsQueryOptions";
import { useEvents } from "../queries/useEvents";
import { AgendaToolbar } from "./AgendaToolbar";
import { EventDialog, PortalContainerContext } from "./EventDialog";
import { EventForm, type NewEventDraft } from "./EventForm";
import { WeekView } from "./WeekView";

/** Props of {@link Agenda}. */
export interface AgendaProps {
  /** The shown date (any moment of the shown week), when the host controls it. */
  date?: Date;
  /**
   * The first shown date when the agenda keeps it itself.
   * @default today
   */
  defaultDate?: Date;
  /** Called with the new date when the person moves to another week or back to today. */
  onDateChange?: (date: Date) => void;
  /**
   * `light` or `dark`, or `system` to follow the operating system (`prefers-color-scheme`).
   * Sets `data-theme` on the root, except for `system`.
   * @default "system"
   */
  theme?: "light" | "dark" | "system";
  /**
   * The time the now line and "today" use; for stories and tests.
   * @default the current time
   */
  now?: Date;
  /** Added to the root's `agenda-root` class. */
  className?: string;
}

type DialogState =
  | { kind: "closed" }
  | { kind: "create"; draft: NewEventDraft }
  // The event as it was when opened, so the dialog stays (with its error) if a refused delete hid it.
  | { kind: "edit"; opened: CalendarEvent };

/**
 * The agenda: a toolbar and the week view of the signed-in user's events, with the event dialog to
 * create, edit and delete. Must sit inside an {@link AgendaProvider}. Class `agenda-root`; sets
 * `data-theme` when `theme` is `light` or `dark`, and `data-state="loading" | "error"` while so.
 */
export function Agenda({ date, defaultDate, onDateChange, theme = "system", now, className }: AgendaProps) {
  const { timeZone, locale, weekStartsOn, messages } = useAgendaSettings();
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const [shownDate, setShownDate] = useControllableState<Date>({
    prop: date,
    defaultProp: defaultDate ?? now ?? new Date(),
    onChange: onDateChange,
  });
  const [rootElement, setRootElement] = useState<HTMLDivElement | null>(null);
  const [dialog, setDialog] = useState<DialogState>({ kind: "closed" });

  const shownDay = new TZDate(shownDate, timeZone);
  const weekKey = `${shownDay.getFullYear()}-${shownDay.getMonth()}-${shownDay.getDate()}-${weekStartsOn}-${timeZone}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: weekKey stands for the shown day, by value.
  const days = useMemo(() => getWeekDays(shownDate, weekStartsOn, timeZone), [weekKey]);
  const range = useMemo(() => getDaysRange(days), [days]);
  const firstDay = days[0]!;
  const lastDay = days[days.length - 1]!;
  const title = formatWeekTitle(firstDay, lastDay, locale);
  const events = useEvents(range);
  const today = new TZDate(now ?? new Date(), timeZone);
  const showsToday = days.some((day) => isSameDay(day, today));

  // The weeks on either side are likely next; fetch them now so moving feels instant.
  useEffect(() => {
    for (const weeks of [-1, 1]) {
      const neighbour = getDaysRange(getWeekDays(addWeeks(firstDay, weeks), weekStartsOn, timeZone));
      void queryClient.prefetchQuery(eventsQueryOptions(client, neighbour));
    }
  }, [client, queryClient, firstDay, weekStartsOn, timeZone]);

  const openNewEvent = () => {
    const base = showsToday
      ? today
      : new TZDate(firstDay.getFullYear(), firstDay.getMonth(), firstDay.getDate(), 9, 0, timeZone);
    // Next half hour today, 09:00 on the first day of another week.
    const minutes = base.getMinutes();
    const start = showsToday ? addMinutes(base, (30 - (minutes % 30)) % 30 || 30) : base;
    start.setSeconds(0, 0);
    setDialog({ kind: "create", draft: { start, end: addMinutes(start, 60) } });
  };

  const editedEvent =
    dialog.kind === "edit"
      ? (events.data?.events.find((event) => event.id === dialog.opened.id) ?? dialog.opened)
      : undefined;
  const dialogOpen = dialog.kind === "create" || editedEvent !== undefined;
  const closeDialog = () => setDialog({ kind: "closed" });

  const state = events.isPending
    ? "loading"
    : events.isError && events.data === undefined
      ? "error"
      : undefined;

  return (
    <div
      ref={setRootElement}
      className={className === undefined ? "agenda-root" : `agenda-root ${className}`}
      data-theme={theme === "system" ? undefined : theme}
      data-state={state}
      lang={locale}
    >
      <PortalContainerContext.Provider value={rootElement}>
        <AgendaToolbar
          title={title}
          showsToday={showsToday}
          busy={events.isFetching}
          onToday={() => setShownDate(now ?? new Date())}
          onPrevious={() => setShownDate(plainDate(addWeeks(firstDay, -1)))}
          onNext={() => setShownDate(plainDate(addWeeks(firstDay, 1)))}
          onNewEvent={openNewEvent}
        />
        <WeekView
          days={days}
          events={events.data?.events ?? []}
          label={fillMessage(messages.weekGridLabel, { range: title })}
          now={now}
          busy={events.isFetching}
          onCreateEvent={(draft) => setDialog({ kind: "create", draft })}
          onOpenEvent={(event) => {
            // A stand-in has no id the server knows yet; it opens once its creation is confirmed.
            if (!isOptimisticEvent(event)) setDialog({ kind: "edit", opened: event });
          }}
        >
          {state === "loading" ? (
            <div className="agenda-overlay" role="status">
              <span className="agenda-spinner" aria-hidden="true" />
              {messages.loading}
            </div>
          ) : null}
          {state === "error" ? (
            <div className="agenda-overlay agenda-error" role="alert">
              <p className="agenda-error-title">{messages.loadFailed}</p>
              <p className="agenda-error-message">{describeError(events.error, messages)}</p>
              <button
                type="button"
                className="agenda-button agenda-button-primary"
                onClick={() => void events.refetch()}
              >
                {messages.retry}
              </button>
            </div>
          ) : null}
          {state === undefined && events.data?.events.length === 0 ? (
            <div className="agenda-empty" role="status">
              {messages.emptyWeek}
            </div>
          ) : null}
        </WeekView>

        <EventDialog.Root open={dialogOpen} onOpenChange={(open) => (open ? undefined : closeDialog())}>
          <EventDialog.Content aria-describedby={undefined}>
            {dialog.kind === "create" ? (
              <>
                <EventDialog.Title>{messages.newEventTitle}</EventDialog.Title>
                <EventForm draft={dialog.draft} onDone={closeDialog} onCancel={closeDialog} />
              </>
            ) : null}
            {editedEvent !== undefined ? (
              <>
                <EventDialog.Title>{messages.editEventTitle}</EventDialog.Title>
                <EventForm
                  key={editedEvent.id}
                  event={editedEvent}
                  onDone={closeDialog}
                  onCancel={closeDialog}
                >
                  <EventDetails event={editedEvent} />
                </EventForm>
              </>
            ) : null}
          </EventDialog.Content>
        </EventDialog.Root>
      </PortalContainerContext.Provider>
    </div>
  );
}

/** The host gets a plain Date, not our time-zone-bound TZDate, so nothing surprises it downstream. */
function plainDate(date: Date): Date {
  return new Date(date.getTime());
}

/** The matched CRM client, the source and where the call summary will go. */
function EventDetails({ event }: { event: CalendarEvent }) {
  const { messages } = useAgendaSettings();
  const { clientMatch } = event;
  return (
    <div className="agenda-event-details">
      <section className="agenda-detail" aria-label={messages.client} data-match={clientMatch.method}>
        <h3 className="agenda-detail-heading">{messages.client}</h3>
        {clientMatch.clientName === null ? (
          <p className="agenda-detail-text agenda-detail-muted">{messages.clientNone}</p>
        ) : (
          <p className="agenda-detail-text">
            <span className="agenda-client-name">{clientMatch.clientName}</span>
            {clientMatch.method === "none" ? null : (
              <span className="agenda-detail-muted">
                {" — "}
                {clientMatch.method === "auto"
                  ? messages.clientMatchedAutomatically
                  : messages.clientMatchedManually}
              </span>
            )}
          </p>
        )}
        <p className="agenda-detail-source" data-source={event.source}>
          {fillMessage(messages.source, { source: describeSource(event.source, messages) })}
        </p>
      </section>
      <section
        className="agenda-detail agenda-summary"
        aria-label={messages.summaryHeading}
        data-status={event.summaryStatus}
      >
        <h3 className="agenda-detail-heading">{messages.summaryHeading}</h3>
        <p className="agenda-detail-text">{describeSummaryStatus(event.summaryStatus, messages)}</p>
      </section>
    </div>
  );
}
