import type { CalendarEvent, Conference } from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { addMinutes, isSameDay } from "date-fns";
import { useEffect, useMemo, useState } from "react";
import { isOptimisticEvent } from "../_internal/optimisticEvents";
import { useControllableState } from "../_internal/useControllableState";
import { useAgendaClient, useAgendaQueryClient, useAgendaSettings, useLiveAgenda } from "../AgendaProvider";
import { getDateFormats } from "../date/dateFormats";
import { formatWeekTitle } from "../date/formatWeekTitle";
import { type AgendaView, getViewDays, shiftViewDate } from "../date/getViewDays";
import { getDaysRange } from "../date/getWeekDays";
import { describeConference, describeError, describeSource, fillMessage } from "../messages/describeMessages";
import { eventsQueryOptions } from "../queries/eventsQueryOptions";
import { useUpdateEvent } from "../queries/useEventMutations";
import { useEvents } from "../queries/useEvents";
import { AgendaToolbar } from "./AgendaToolbar";
import { CallSummaryPanel } from "./CallSummaryPanel";
import { ClientPicker } from "./ClientPicker";
import { EventDialog, PortalContainerContext } from "./EventDialog";
import { EventForm, type NewEventDraft } from "./EventForm";
import { ListView } from "./ListView";
import { MonthView } from "./MonthView";
import { type EventTimeChange, WeekView } from "./WeekView";

/** Props of {@link Agenda}. */
export interface AgendaProps {
  /** The shown view, when the host controls it (for URL routing, with `onViewChange`). */
  view?: AgendaView;
  /**
   * The first view when the agenda keeps it itself.
   * @default "week", or "three-day" on a screen at most 640 px wide (a phone)
   */
  defaultView?: AgendaView;
  /** Called with the view the person switches to. */
  onViewChange?: (view: AgendaView) => void;
  /**
   * The views the toolbar's switch offers, in this order; one or none hides the switch.
   * @default ["day", "week", "month", "list"], with "three-day" for "week" on a screen at most 640 px wide
   */
  views?: readonly AgendaView[];
  /** The shown date (any moment of the shown day, week or month), when the host controls it. */
  date?: Date;
  /**
   * The first shown date when the agenda keeps it itself.
   * @default today
   */
  defaultDate?: Date;
  /** Called with the new date when the person moves to another day, week or month, or back to today. */
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

const defaultViews: readonly AgendaView[] = ["day", "week", "month", "list"];
const phoneViews: readonly AgendaView[] = ["day", "three-day", "month", "list"];

/** A phone, where seven day columns cannot be read: checked once, when the agenda opens. */
function isPhoneScreen(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(max-width: 640px)").matches === true;
}

/**
 * The agenda: a toolbar with the view switch, the day, week, month or list view of the signed-in
 * user's events, and the event dialog to create, edit and delete. Events can be dragged to another
 * time or day and resized; the change shows at once and goes back, with a message (class
 * `agenda-toast`, `role="alert"`), if the server refuses. Must sit inside an {@link AgendaProvider}.
 * Class `agenda-root`; sets `data-view`, `data-theme` when `theme` is `light` or `dark`, and
 * `data-state="loading" | "error"` while so.
 */
export function Agenda({
  view,
  defaultView,
  onViewChange,
  views,
  date,
  defaultDate,
  onDateChange,
  theme = "system",
  now,
  className,
}: AgendaProps) {
  const { timeZone, locale, weekStartsOn, messages } = useAgendaSettings();
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const [phone] = useState(isPhoneScreen);
  const offeredViews = views ?? (phone ? phoneViews : defaultViews);
  const [shownView, setShownView] = useControllableState<AgendaView>({
    prop: view,
    defaultProp: defaultView ?? (phone ? "three-day" : "week"),
    onChange: onViewChange,
  });
  const [shownDate, setShownDate] = useControllableState<Date>({
    prop: date,
    defaultProp: defaultDate ?? now ?? new Date(),
    onChange: onDateChange,
  });
  const [rootElement, setRootElement] = useState<HTMLDivElement | null>(null);
  const [dialog, setDialog] = useState<DialogState>({ kind: "closed" });
  const [moveFailure, setMoveFailure] = useState<string | null>(null);
  const updateEvent = useUpdateEvent();

  const shownDay = new TZDate(shownDate, timeZone);
  const rangeKey = `${shownView}-${shownDay.getFullYear()}-${shownDay.getMonth()}-${shownDay.getDate()}-${weekStartsOn}-${timeZone}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: rangeKey stands for the view and shown day, by value.
  const days = useMemo(() => getViewDays(shownView, shownDate, weekStartsOn, timeZone), [rangeKey]);
  const range = useMemo(() => getDaysRange(days), [days]);
  const firstDay = days[0]!;
  const lastDay = days[days.length - 1]!;
  const formats = getDateFormats(locale, timeZone);
  const title =
    shownView === "day"
      ? formats.fullDate(firstDay)
      : shownView === "month"
        ? formats.monthAndYear(shownDay)
        : formatWeekTitle(firstDay, lastDay, locale);
  const events = useEvents(range);
  useLiveAgenda();
  const today = new TZDate(now ?? new Date(), timeZone);
  const showsToday =
    shownView === "month"
      ? shownDay.getMonth() === today.getMonth() && shownDay.getFullYear() === today.getFullYear()
      : days.some((day) => isSameDay(day, today));

  // The ranges on either side are likely next; fetch them once this one is on screen, so moving
  // feels instant without their answers competing with drawing the range just asked for.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rangeKey stands for the view and shown day, by value.
  useEffect(
    () =>
      afterNextPaint(() => {
        for (const step of [-1, 1]) {
          const neighbour = getViewDays(
            shownView,
            shiftViewDate(shownView, shownDate, step, timeZone),
            weekStartsOn,
            timeZone,
          );
          void queryClient.prefetchQuery(eventsQueryOptions(client, getDaysRange(neighbour)));
        }
      }),
    [client, queryClient, rangeKey],
  );

  const navigate = (step: number) => setShownDate(shiftViewDate(shownView, shownDate, step, timeZone));

  const changeEventTime = async ({ event, start, end }: EventTimeChange) => {
    setMoveFailure(null);
    try {
      await updateEvent.mutateAsync({
        id: event.id,
        changes: { start: start.toISOString(), end: end.toISOString() },
      });
    } catch (error) {
      setMoveFailure(
        fillMessage(messages.moveFailed, { title: event.title, reason: describeError(error, messages) }),
      );
    }
  };

  const openNewEvent = () => {
    const showsToday = days.some((day) => isSameDay(day, today));
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
  const shownEvents = events.data?.events ?? noEvents;

  const openEvent = (event: CalendarEvent) => {
    // A stand-in has no id the server knows yet; it opens once its creation is confirmed.
    if (!isOptimisticEvent(event)) setDialog({ kind: "edit", opened: event });
  };

  const overlay = (
    <>
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
      {state === undefined && shownEvents.length === 0 ? (
        <div className="agenda-empty" role="status">
          {shownView === "day"
            ? messages.emptyDay
            : shownView === "three-day"
              ? messages.emptyDays
              : shownView === "month"
                ? messages.emptyMonth
                : messages.emptyWeek}
        </div>
      ) : null}
    </>
  );

  return (
    <PortalContainerContext.Provider value={rootElement}>
      <div
        ref={setRootElement}
        className={className === undefined ? "agenda-root" : `agenda-root ${className}`}
        data-theme={theme === "system" ? undefined : theme}
        data-state={state}
        data-view={shownView}
        lang={locale}
      >
        <AgendaToolbar
          title={title}
          showsToday={showsToday}
          busy={events.isFetching}
          view={shownView}
          views={offeredViews}
          onViewChange={setShownView}
          previousLabel={
            shownView === "day"
              ? messages.previousDay
              : shownView === "three-day"
                ? messages.previousDays
                : shownView === "month"
                  ? messages.previousMonth
                  : messages.previousWeek
          }
          nextLabel={
            shownView === "day"
              ? messages.nextDay
              : shownView === "three-day"
                ? messages.nextDays
                : shownView === "month"
                  ? messages.nextMonth
                  : messages.nextWeek
          }
          onToday={() => setShownDate(now ?? new Date())}
          onPrevious={() => navigate(-1)}
          onNext={() => navigate(1)}
          onNewEvent={openNewEvent}
        />
        {shownView === "month" ? (
          <MonthView
            days={days}
            month={shownDay}
            events={shownEvents}
            label={fillMessage(messages.monthGridLabel, { month: title })}
            now={today}
            busy={events.isFetching}
            onNavigate={navigate}
            onCreateEvent={(draft) => setDialog({ kind: "create", draft })}
            onOpenEvent={openEvent}
          >
            {overlay}
          </MonthView>
        ) : shownView === "list" ? (
          <ListView
            days={days}
            events={shownEvents}
            label={fillMessage(messages.listLabel, { range: title })}
            now={today}
            onOpenEvent={openEvent}
          >
            {overlay}
          </ListView>
        ) : (
          <WeekView
            days={days}
            events={shownEvents}
            label={
              shownView === "day"
                ? fillMessage(messages.dayGridLabel, { date: title })
                : shownView === "three-day"
                  ? fillMessage(messages.daysGridLabel, { range: title })
                  : fillMessage(messages.weekGridLabel, { range: title })
            }
            now={now}
            busy={events.isFetching}
            onNavigate={navigate}
            onCreateEvent={(draft) => setDialog({ kind: "create", draft })}
            onOpenEvent={openEvent}
            onChangeEventTime={(change) => void changeEventTime(change)}
          >
            {overlay}
          </WeekView>
        )}
        {moveFailure === null ? null : (
          <div className="agenda-toast" role="alert">
            <p className="agenda-toast-text">{moveFailure}</p>
            <button
              type="button"
              className="agenda-icon-button"
              onClick={() => setMoveFailure(null)}
              aria-label={messages.dismiss}
              title={messages.dismiss}
            >
              <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                <path
                  d="M5 5l10 10M15 5L5 15"
                  stroke="currentColor"
                  strokeWidth="1.8"
                  strokeLinecap="round"
                />
              </svg>
            </button>
          </div>
        )}

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
      </div>
    </PortalContainerContext.Provider>
  );
}

const noEvents: readonly CalendarEvent[] = [];

/** Runs `work` once the next frame has been painted (a task after the frame); returns its cancellation. */
function afterNextPaint(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (typeof requestAnimationFrame !== "function") {
    timer = setTimeout(work, 0);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(work, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * Where to join the event's call: a link that opens the meeting in a new tab, or, while a new call's
 * link is being made, a word that it is on its way. Only web addresses become links, since a join URL
 * also comes from outside calendars; any other is left out.
 */
function ConferenceDetail({ conference }: { conference: Conference }) {
  const { messages } = useAgendaSettings();
  const provider = describeConference(conference.provider, messages);
  const link =
    conference.joinUrl !== undefined && /^https?:\/\//i.test(conference.joinUrl)
      ? conference.joinUrl
      : undefined;
  return (
    <section
      className="agenda-detail agenda-detail-conference"
      aria-label={messages.fieldConference}
      data-provider={conference.provider}
    >
      <h3 className="agenda-detail-heading">{messages.fieldConference}</h3>
      {conference.joinUrl === undefined && conference.meetingId === undefined ? (
        <p className="agenda-detail-pending">{fillMessage(messages.conferencePending, { provider })}</p>
      ) : link === undefined ? (
        <p className="agenda-detail-text">
          {conference.meetingId === undefined ? provider : `${provider} ${conference.meetingId}`}
        </p>
      ) : (
        <a
          className="agenda-button agenda-conference-link"
          href={link}
          target="_blank"
          rel="noopener noreferrer"
        >
          {fillMessage(messages.joinConference, { provider })}
        </a>
      )}
    </section>
  );
}

/** The call's link, the matched CRM client with its picker, the source, and the call summary. */
function EventDetails({ event }: { event: CalendarEvent }) {
  const { messages } = useAgendaSettings();
  const client = useAgendaClient();
  const { clientMatch } = event;
  return (
    <div className="agenda-event-details">
      {event.conference === null ? null : <ConferenceDetail conference={event.conference} />}
      <section className="agenda-detail" aria-label={messages.client} data-match={clientMatch.method}>
        <h3 className="agenda-detail-heading">{messages.client}</h3>
        <ClientPicker event={event} />
        {event.attendance ? (
          <p className="agenda-detail-attendance" data-attendance={event.attendance}>
            {messages[event.attendance === "confirmed" ? "attendanceConfirmed" : "attendanceCancelled"]}
          </p>
        ) : null}
        <p className="agenda-detail-source" data-source={event.source}>
          {fillMessage(messages.source, { source: describeSource(event.source, messages) })}
        </p>
        {/* A plain link: the browser saves the file with the host's session cookie, no script needed. */}
        <a className="agenda-download-ics" href={`${client.baseUrl}/events/${event.id}/ics`} download>
          {messages.downloadIcs}
        </a>
      </section>
      <CallSummaryPanel eventId={event.id} />
    </div>
  );
}
