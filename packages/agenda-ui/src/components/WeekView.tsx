import type { CalendarEvent } from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { addDays, isSameDay } from "date-fns";
import {
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { isOptimisticEvent } from "../_internal/optimisticEvents";
import { useNow } from "../_internal/useNow";
import { snapMinutes, type TimeChange, useTimeGridDrag } from "../_internal/useTimeGridDrag";
import { useAgendaSettings } from "../AgendaProvider";
import { getDateFormats, toIsoDate } from "../date/dateFormats";
import { layoutAllDayEvents } from "../date/layoutAllDayEvents";
import { layoutDayEvents, type MoreEvents } from "../date/layoutDayEvents";
import { fillMessage } from "../messages/describeMessages";
import { EventChip } from "./EventChip";
import type { NewEventDraft } from "./EventForm";

/** Props of {@link WeekView}. */
export interface WeekViewProps {
  /** The days to show, each at local midnight (from `getWeekDays`). */
  days: readonly TZDate[];
  /** The events of those days; others are left out. */
  events: readonly CalendarEvent[];
  /** The grid's accessible name, e.g. "Semaine du 23 – 29 nov. 2026". */
  label: string;
  /**
   * Called with a new event's times when empty time is clicked (one hour from the 15 minutes
   * clicked) or dragged over (the dragged span, snapped to 15 minutes).
   */
  onCreateEvent: (draft: NewEventDraft) => void;
  /**
   * Called when an event is dragged to another time or day, its lower edge dragged, or moved with
   * Alt + arrow keys. Without it events cannot be moved.
   */
  onChangeEventTime?: (change: EventTimeChange) => void;
  /** Called with -1 or 1 by PageUp and PageDown on a day, to show the previous or next range. */
  onNavigate?: (step: number) => void;
  /**
   * The working hours, shaded outside (class `agenda-off-hours`), as `[first hour, last hour)`.
   * @default [8, 19]
   */
  businessHours?: readonly [number, number];
  /** Called when an event is clicked. */
  onOpenEvent: (event: CalendarEvent) => void;
  /**
   * The time the now line shows; for stories and tests.
   * @default the current time, refreshed every minute
   */
  now?: Date;
  /** True while events are being fetched; sets `aria-busy` on the grid. */
  busy?: boolean;
  /** Shown over the grid, outside its scrolling area, e.g. the loading or error state. */
  children?: ReactNode;
}

/** An event moved or resized to new times, by pointer or keyboard. */
export type EventTimeChange = TimeChange;

const slotMinutes = 30;
/** Below this width in pixels an event shows no text, only its colour: no letter would fit. */
const narrowEventWidth = 32;
/** Narrowest an event is drawn, in pixels, so a few letters of its title and its time stay readable. */
const readableEventWidth = 48;
const hours = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * The time grid of one or more days (day, week, work week): a header row of days, an all-day row,
 * and one column per day with the events placed by time and overlapping events side by side. ARIA
 * grid: `role="grid"` (class `agenda-week`) with rows of `columnheader`s (`agenda-day-header`,
 * `data-today`), the all-day `gridcell` (`agenda-all-day`) and one `gridcell` per day
 * (`agenda-day-column`, `data-date="yyyy-MM-dd"`, `data-today`, `data-weekend`), named by its column
 * header. Arrow keys move between days, Home/End to the first and last, PageUp/PageDown to the
 * previous and next range, Enter creates an event there. On an event, Alt + arrows move it by 15
 * minutes or a day and Alt + Shift + up/down change its end. Dragging sets `data-dragging` on the
 * moved event; the span being drawn is `agenda-create-preview`.
 */
export function WeekView({
  days,
  events,
  label,
  onCreateEvent,
  onOpenEvent,
  onChangeEventTime,
  onNavigate,
  businessHours = [8, 19],
  now,
  busy,
  children,
}: WeekViewProps) {
  const { timeZone, locale, messages } = useAgendaSettings();
  const liveNow = useNow();
  const currentTime = new TZDate(now ?? liveNow, timeZone);
  const formats = getDateFormats(locale, timeZone);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const columnRefs = useRef<(HTMLDivElement | null)[]>([]);
  const todayIndex = days.findIndex((day) => isSameDay(day, currentTime));
  const [focusedDay, setFocusedDay] = useState(Math.max(0, todayIndex));

  const moveHintId = useId();
  const refocusAfterNavigationRef = useRef(false);
  const pendingFocusRef = useRef<string | null>(null);
  const drag = useTimeGridDrag({
    days,
    timeZone,
    columnRefs,
    scrollerRef,
    onChangeEventTime,
    onCreate: (start, end) =>
      onCreateEvent({ start: new TZDate(start, timeZone), end: new TZDate(end, timeZone) }),
  });
  const { preview } = drag;
  // While an event is dragged, it is laid out where it would land.
  const shownEvents = useMemo(() => {
    if (preview === undefined || preview.kind === "create") return events;
    const moved = { ...preview.event, start: preview.start.toISOString(), end: preview.end.toISOString() };
    return events.map((event) => (event.id === moved.id ? moved : event));
  }, [events, preview]);
  // The events as the server has them, by id: a drag starts from the original, not the preview.
  const eventsById = useMemo(() => new Map(events.map((event) => [event.id, event])), [events]);
  const draggedId = preview !== undefined && preview.kind !== "create" ? preview.event.id : undefined;
  // The width of a day column, so that events too narrow for any text are drawn without it and no
  // more events go side by side than stay readable. It is read from the empty grid before the events
  // are first drawn (the layout effect renders again before the frame is painted), then on resizes:
  // `undefined` until then, `null` where there is no layout to read (hidden, or no layout engine),
  // and every event has its text.
  const timeRowRef = useRef<HTMLDivElement>(null);
  const [columnWidth, setColumnWidth] = useState<number | null>();
  const maxColumns =
    typeof columnWidth === "number"
      ? Math.max(2, Math.floor((columnWidth - 10) / readableEventWidth))
      : undefined;
  const timedLayouts = useMemo(
    () => days.map((day) => layoutDayEvents(shownEvents, day, { maxColumns })),
    [days, shownEvents, maxColumns],
  );
  // The "+N" whose hidden events are listed, by its day and first event; one at a time.
  const [openMore, setOpenMore] = useState<string | null>(null);
  // A drag started from the list closes it, so the grid shows where the event lands.
  useLayoutEffect(() => {
    if (draggedId !== undefined) setOpenMore(null);
  }, [draggedId]);
  const allDayLayout = useMemo(() => layoutAllDayEvents(shownEvents, days), [days, shownEvents]);

  // The days are new elements after PageUp/PageDown: the same column of the new range takes the focus.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the first day changes, by value.
  useLayoutEffect(() => {
    if (!refocusAfterNavigationRef.current) return;
    refocusAfterNavigationRef.current = false;
    columnRefs.current[Math.min(focusedDay, days.length - 1)]?.focus();
  }, [days[0]?.getTime()]);

  // After a keyboard move the event may sit in another column: give it the focus back.
  useLayoutEffect(() => {
    const id = pendingFocusRef.current;
    if (id === null) return;
    const chip = scrollerRef.current?.querySelector<HTMLElement>(`[data-event-id="${id}"]`);
    if (chip !== null && chip !== undefined && document.activeElement !== chip) chip.focus();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again when the number of days changes.
  useLayoutEffect(() => {
    const measure = () => {
      const width = columnRefs.current[0]?.getBoundingClientRect().width ?? 0;
      setColumnWidth(width > 0 ? width : null);
    };
    measure();
    const row = timeRowRef.current;
    if (row === null || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(row);
    return () => observer.disconnect();
  }, [days.length]);

  const allDayLanes = allDayLayout.reduce((lanes, item) => Math.max(lanes, item.lane + 1), 0);

  // Open on the working day rather than at midnight, moving further down only to keep now in sight.
  const firstDayKey = days[0]?.getTime();
  const nowHour = todayIndex === -1 ? undefined : currentTime.getHours() + currentTime.getMinutes() / 60;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll once per week shown, not on every tick of the clock.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const column = columnRefs.current[0];
    if (scroller === null || column === undefined || column === null) return;
    const hourHeight = column.offsetHeight / 24;
    const headerHeight =
      column.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const visibleHours = (scroller.clientHeight - headerHeight) / hourHeight;
    const workdayStart = 7.5;
    const firstHour =
      nowHour !== undefined && nowHour > workdayStart + visibleHours - 1
        ? nowHour - visibleHours / 2
        : workdayStart;
    scroller.scrollTop = firstHour * hourHeight;
  }, [firstDayKey]);

  const draftAt = (day: TZDate, minutes: number): NewEventDraft => {
    const start = new TZDate(
      day.getFullYear(),
      day.getMonth(),
      day.getDate(),
      Math.floor(minutes / 60),
      minutes % 60,
      timeZone,
    );
    return { start, end: new TZDate(start.getTime() + 60 * 60_000, timeZone) };
  };

  const createAtPointer = (day: TZDate) => (clickEvent: MouseEvent<HTMLDivElement>) => {
    if ((clickEvent.target as HTMLElement).closest(".agenda-event, .agenda-week-more") !== null) return;
    if (drag.isClickSuppressed()) return;
    const bounds = clickEvent.currentTarget.getBoundingClientRect();
    const fraction = Math.min(Math.max((clickEvent.clientY - bounds.top) / bounds.height, 0), 1);
    const minutes = Math.min(
      Math.floor((fraction * 24 * 60) / snapMinutes) * snapMinutes,
      24 * 60 - snapMinutes,
    );
    onCreateEvent(draftAt(day, minutes));
  };

  const openUnlessDragged = (event: CalendarEvent) => {
    if (!drag.isClickSuppressed()) onOpenEvent(event);
  };

  /** What every event of the grid gets, shown in its column or listed behind "+N": drag, keys, hint. */
  const eventProps = (event: CalendarEvent) => ({
    onPointerDown:
      onChangeEventTime === undefined || isOptimisticEvent(event)
        ? undefined
        : drag.onEventPointerDown(eventsById.get(event.id) ?? event),
    onKeyDown: onEventKeyDown(event),
    "aria-describedby": onChangeEventTime === undefined ? undefined : moveHintId,
    "data-dragging": event.id === draggedId || undefined,
  });

  const onEventKeyDown = (event: CalendarEvent) => (keyEvent: KeyboardEvent<HTMLButtonElement>) => {
    if (!keyEvent.altKey || onChangeEventTime === undefined || isOptimisticEvent(event)) return;
    const start = new TZDate(event.start, timeZone);
    const end = new TZDate(event.end, timeZone);
    const duration = end.getTime() - start.getTime();
    const step = snapMinutes * 60_000;
    let change: { start: Date; end: Date } | undefined;
    switch (keyEvent.key) {
      case "ArrowUp":
      case "ArrowDown": {
        const direction = keyEvent.key === "ArrowUp" ? -1 : 1;
        if (keyEvent.shiftKey) {
          const newEnd = Math.max(end.getTime() + direction * step, start.getTime() + step);
          change = { start, end: new Date(newEnd) };
        } else {
          const newStart = start.getTime() + direction * step;
          change = { start: new Date(newStart), end: new Date(newStart + duration) };
        }
        break;
      }
      case "ArrowLeft":
      case "ArrowRight": {
        // A day on the wall clock: 09:00 stays 09:00 across a daylight-saving change.
        const newStart = addDays(start, keyEvent.key === "ArrowLeft" ? -1 : 1);
        change = { start: newStart, end: new Date(newStart.getTime() + duration) };
        break;
      }
      default:
        return;
    }
    keyEvent.preventDefault();
    pendingFocusRef.current = event.id;
    onChangeEventTime({
      event,
      start: new Date(change.start.getTime()),
      end: new Date(change.end.getTime()),
    });
  };

  const createAllDayAtPointer = (clickEvent: MouseEvent<HTMLDivElement>) => {
    if ((clickEvent.target as HTMLElement).closest(".agenda-event") !== null) return;
    const bounds = clickEvent.currentTarget.getBoundingClientRect();
    const index = Math.min(
      days.length - 1,
      Math.floor(((clickEvent.clientX - bounds.left) / bounds.width) * days.length),
    );
    const day = days[Math.max(0, index)];
    if (day !== undefined) onCreateEvent({ start: day, end: addDays(day, 1), allDay: true });
  };

  const moveFocus = (index: number) => {
    const target = Math.min(Math.max(index, 0), days.length - 1);
    setFocusedDay(target);
    columnRefs.current[target]?.focus();
  };

  const onColumnKeyDown = (index: number, day: TZDate) => (keyEvent: KeyboardEvent<HTMLDivElement>) => {
    if (keyEvent.target !== keyEvent.currentTarget) return;
    switch (keyEvent.key) {
      case "ArrowLeft":
        moveFocus(index - 1);
        break;
      case "ArrowRight":
        moveFocus(index + 1);
        break;
      case "Home":
        moveFocus(0);
        break;
      case "End":
        moveFocus(days.length - 1);
        break;
      case "PageUp":
      case "PageDown":
        refocusAfterNavigationRef.current = true;
        onNavigate?.(keyEvent.key === "PageUp" ? -1 : 1);
        break;
      case "Enter":
      case " ": {
        // The next half hour today, 09:00 on other days: where a keyboard user most likely wants it.
        const minutes =
          index === todayIndex
            ? Math.min(
                Math.ceil((currentTime.getHours() * 60 + currentTime.getMinutes()) / slotMinutes) *
                  slotMinutes,
                23 * 60,
              )
            : 9 * 60;
        onCreateEvent(draftAt(day, minutes));
        break;
      }
      default:
        return;
    }
    keyEvent.preventDefault();
  };

  const [businessStart, businessEnd] = businessHours;
  const nowTop = ((currentTime.getHours() * 60 + currentTime.getMinutes()) / (24 * 60)) * 100;

  return (
    <div className="agenda-week-frame">
      <div
        ref={scrollerRef}
        className="agenda-week"
        role="grid"
        aria-label={label}
        aria-busy={busy || undefined}
        aria-colcount={days.length + 1}
        style={{ "--agenda-day-count": days.length } as CSSProperties}
      >
        <div className="agenda-week-header" role="rowgroup">
          <div className="agenda-week-row agenda-week-header-row" role="row" tabIndex={-1}>
            <div className="agenda-corner" role="columnheader" tabIndex={-1}>
              <span className="agenda-time-zone" title={timeZone}>
                {formats.zoneName(days[0] ?? currentTime)}
              </span>
              <span className="agenda-visually-hidden">{messages.hours}</span>
            </div>
            {days.map((day, index) => (
              <div
                key={day.getTime()}
                className="agenda-day-header"
                role="columnheader"
                tabIndex={-1}
                aria-label={formats.fullDate(day)}
                data-today={index === todayIndex || undefined}
                data-weekend={isWeekend(day) || undefined}
              >
                <span className="agenda-day-header-weekday">{formats.weekdayShort(day)}</span>
                <span className="agenda-day-header-number">{formats.dayOfMonth(day)}</span>
              </div>
            ))}
          </div>
          <div className="agenda-week-row agenda-all-day-row" role="row" tabIndex={-1}>
            <div className="agenda-all-day-label" role="rowheader" tabIndex={-1}>
              {messages.allDay}
            </div>
            {/* biome-ignore lint/a11y/useKeyWithClickEvents: a pointer shortcut; keyboard users create events from the day columns and the toolbar. */}
            <div
              className="agenda-all-day"
              role="gridcell"
              tabIndex={-1}
              aria-colspan={days.length}
              onClick={createAllDayAtPointer}
              style={{ "--agenda-all-day-lanes": Math.max(allDayLanes, 1) } as CSSProperties}
            >
              {allDayLayout.map((item) => (
                <EventChip
                  key={item.event.id}
                  event={item.event}
                  onOpen={onOpenEvent}
                  variant="all-day"
                  continuesBefore={item.startsBeforeRange}
                  continuesAfter={item.endsAfterRange}
                  style={{
                    gridColumn: `${item.firstDay + 1} / span ${item.daySpan}`,
                    gridRow: item.lane + 1,
                  }}
                />
              ))}
            </div>
          </div>
        </div>

        <div className="agenda-week-body" role="rowgroup">
          <div ref={timeRowRef} className="agenda-week-row agenda-time-row" role="row" tabIndex={-1}>
            <div className="agenda-hour-gutter" role="rowheader" tabIndex={-1}>
              <span className="agenda-visually-hidden">{messages.hours}</span>
              {hours.map((hour) => (
                <span
                  key={hour}
                  className="agenda-hour-label"
                  style={{ top: `${(hour / 24) * 100}%` }}
                  aria-hidden="true"
                >
                  {hour === 0 ? "" : formats.hourLabel(hour)}
                </span>
              ))}
            </div>
            {days.map((day, index) => {
              const isToday = index === todayIndex;
              // Drawn once the column width is known, in the same frame.
              const dayEvents = columnWidth === undefined ? [] : (timedLayouts[index] ?? []);
              return (
                <div
                  key={day.getTime()}
                  ref={(element) => {
                    columnRefs.current[index] = element;
                  }}
                  className="agenda-day-column"
                  role="gridcell"
                  tabIndex={index === focusedDay ? 0 : -1}
                  // Named by its column header, as grid cells are; the hint says how to add an event.
                  aria-describedby={hintId}
                  data-date={toIsoDate(day)}
                  data-today={isToday || undefined}
                  data-weekend={isWeekend(day) || undefined}
                  onClick={createAtPointer(day)}
                  onPointerDown={onChangeEventTime === undefined ? undefined : drag.onColumnPointerDown}
                  onKeyDown={onColumnKeyDown(index, day)}
                  onFocus={() => setFocusedDay(index)}
                >
                  <div
                    className="agenda-off-hours"
                    aria-hidden="true"
                    style={{ top: 0, height: `${(businessStart / 24) * 100}%` }}
                  />
                  <div
                    className="agenda-off-hours"
                    aria-hidden="true"
                    style={{ top: `${(businessEnd / 24) * 100}%`, bottom: 0 }}
                  />
                  {preview?.kind === "create" && preview.dayIndex === index ? (
                    <div
                      className="agenda-create-preview"
                      aria-hidden="true"
                      style={{
                        top: `${(minutesIntoDay(preview.start, day) / (24 * 60)) * 100}%`,
                        height: `${((minutesIntoDay(preview.end, day) - minutesIntoDay(preview.start, day)) / (24 * 60)) * 100}%`,
                      }}
                    >
                      {formats.time(preview.start)} – {formats.time(preview.end)}
                    </div>
                  ) : null}
                  {dayEvents.map((item) => {
                    // Leave a strip on the right of each column free, to click the slot behind.
                    const gap = item.column + item.columnSpan === item.columnCount || item.more ? 10 : 2;
                    const position = {
                      top: `${item.top * 100}%`,
                      height: `${item.height * 100}%`,
                      left: `${item.left * 100}%`,
                      width: `calc(${item.width * 100}% - ${gap}px)`,
                    };
                    if (item.more !== undefined) {
                      // One "+N" per group, drawn with its first event.
                      if (item.more.events[0] !== item.event) return null;
                      const key = `${index}-${item.event.id}`;
                      return (
                        <MoreEventsButton
                          key={key}
                          more={item.more}
                          style={{
                            ...position,
                            top: `${item.more.top * 100}%`,
                            height: `${item.more.height * 100}%`,
                          }}
                          open={openMore === key}
                          onOpenChange={(open) => setOpenMore(open ? key : null)}
                          label={fillMessage(messages.moreEventsLabel, {
                            count: String(item.more.events.length),
                            date: formats.fullDate(day),
                          })}
                          text={`+${item.more.events.length}`}
                          renderEvent={(event) => (
                            <EventChip
                              event={event}
                              variant="month"
                              onOpen={(opened) => {
                                setOpenMore(null);
                                openUnlessDragged(opened);
                              }}
                              {...eventProps(event)}
                            />
                          )}
                        />
                      );
                    }
                    return (
                      <EventChip
                        key={item.event.id}
                        event={item.event}
                        onOpen={openUnlessDragged}
                        {...eventProps(item.event)}
                        data-resizable={(onChangeEventTime !== undefined && !item.endsAfterDay) || undefined}
                        compact={item.height * 24 * 60 < 45}
                        narrow={
                          typeof columnWidth === "number" && item.width * columnWidth - gap < narrowEventWidth
                        }
                        continuesBefore={item.startsBeforeDay}
                        continuesAfter={item.endsAfterDay}
                        style={position}
                      />
                    );
                  })}
                  {isToday ? (
                    <div
                      className="agenda-now-line"
                      style={{ top: `${nowTop}%` }}
                      aria-hidden="true"
                      title={messages.now}
                    />
                  ) : null}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <span id={hintId} className="agenda-visually-hidden">
        {messages.createEventHint}
      </span>
      <span id={moveHintId} className="agenda-visually-hidden">
        {messages.moveEventHint}
      </span>
      {children}
    </div>
  );
}

interface MoreEventsButtonProps {
  more: MoreEvents<CalendarEvent>;
  style: CSSProperties;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  label: string;
  text: string;
  renderEvent: (event: CalendarEvent) => ReactNode;
}

/**
 * The "+N" of overlapping events hidden for want of width (class `agenda-week-more`) and the list it
 * opens, not modal so its events can be dragged onto the grid (class `agenda-week-more-list`, a
 * labelled `dialog`). Focus moves into the list; Escape, a click elsewhere or leaving it with Tab
 * closes it, Escape giving the focus back to the button.
 */
function MoreEventsButton({
  more,
  style,
  open,
  onOpenChange,
  label,
  text,
  renderEvent,
}: MoreEventsButtonProps) {
  const listId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves in once, on opening; the handler is new each render.
  useLayoutEffect(() => {
    if (!open) return;
    listRef.current?.querySelector("button")?.focus();
    const closeOnOutsidePress = (pointer: PointerEvent) => {
      const target = pointer.target as Node;
      if (!listRef.current?.contains(target) && !buttonRef.current?.contains(target)) onOpenChange(false);
    };
    document.addEventListener("pointerdown", closeOnOutsidePress);
    return () => document.removeEventListener("pointerdown", closeOnOutsidePress);
  }, [open]);
  return (
    <div className="agenda-week-more" style={style}>
      <button
        ref={buttonRef}
        type="button"
        className="agenda-week-more-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-haspopup="dialog"
        onClick={() => onOpenChange(!open)}
      >
        {text}
      </button>
      {open ? (
        <div
          ref={listRef}
          id={listId}
          className="agenda-week-more-list"
          role="dialog"
          aria-label={label}
          onKeyDown={(keyEvent) => {
            if (keyEvent.key !== "Escape") return;
            keyEvent.stopPropagation();
            onOpenChange(false);
            buttonRef.current?.focus();
          }}
          onBlur={(focusEvent) => {
            const next = focusEvent.relatedTarget as Node | null;
            if (next !== null && !focusEvent.currentTarget.contains(next) && next !== buttonRef.current)
              onOpenChange(false);
          }}
        >
          {more.events.map((event) => (
            <div key={event.id}>{renderEvent(event)}</div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Wall-clock minutes from `day`'s midnight to `instant` (1440 for the next midnight). */
function minutesIntoDay(instant: Date, day: TZDate): number {
  const local = new TZDate(instant, day.timeZone);
  const minutes = local.getHours() * 60 + local.getMinutes();
  return minutes === 0 && local.getDate() !== day.getDate() ? 24 * 60 : minutes;
}

function isWeekend(day: TZDate): boolean {
  const weekday = day.getDay();
  return weekday === 0 || weekday === 6;
}
