import type { CalendarEvent } from "@crm-agenda/shared";
import type { TZDate } from "@date-fns/tz";
import { addDays, isSameDay } from "date-fns";
import { type KeyboardEvent, type ReactNode, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useAgendaSettings } from "../AgendaProvider";
import { getDateFormats, toIsoDate } from "../date/dateFormats";
import { layoutMonthWeek, type PositionedMonthEvent } from "../date/layoutMonthWeek";
import { fillMessage } from "../messages/describeMessages";
import { EventChip } from "./EventChip";
import { EventDialog } from "./EventDialog";
import type { NewEventDraft } from "./EventForm";

/** Props of {@link MonthView}. */
export interface MonthViewProps {
  /** The days to show, whole weeks, each at local midnight (from `getViewDays("month", …)`). */
  days: readonly TZDate[];
  /** Any day of the month shown; days of other months get `data-outside`. */
  month: TZDate;
  /** The events of those days. */
  events: readonly CalendarEvent[];
  /** The grid's accessible name, e.g. "Mois de novembre 2026". */
  label: string;
  /** Called when an event is clicked. */
  onOpenEvent: (event: CalendarEvent) => void;
  /** Called with an all-day draft when an empty part of a day is clicked, or Enter is pressed on it. */
  onCreateEvent: (draft: NewEventDraft) => void;
  /** Called with -1 or 1 by PageUp and PageDown, to show the previous or next month. */
  onNavigate?: (step: number) => void;
  /** Today, for `data-today`. */
  now: Date;
  /** True while events are being fetched; sets `aria-busy` on the grid. */
  busy?: boolean;
  /** Shown over the grid, e.g. the loading or error state. */
  children?: ReactNode;
}

/** Height of the day number line and of one event line, in pixels; kept in step with styles.css. */
const dayNumberHeight = 28;
const laneHeight = 22;

/**
 * The month as an ARIA grid (`role="grid"`, class `agenda-month`): a row of weekday column headers,
 * then one row per week of `gridcell`s named by their full date (class `agenda-month-cell`; `data-today`, `data-outside`,
 * `data-weekend`, `data-date`). Events are bars across the days they cover, also across weeks; when
 * a day holds more than fits, a "+N more" button (class `agenda-month-more`) opens that day's full
 * list. Arrow keys move between days, Home/End to the week's ends, PageUp/PageDown change month,
 * Enter creates an event on the day.
 */
export function MonthView({
  days,
  month,
  events,
  label,
  onOpenEvent,
  onCreateEvent,
  onNavigate,
  now,
  busy,
  children,
}: MonthViewProps) {
  const { locale, timeZone, messages } = useAgendaSettings();
  const formats = getDateFormats(locale, timeZone);
  const weeks = useMemo(() => {
    const rows: TZDate[][] = [];
    for (let index = 0; index < days.length; index += 7) rows.push(days.slice(index, index + 7));
    return rows;
  }, [days]);
  const layouts = useMemo(() => weeks.map((week) => layoutMonthWeek(events, week)), [weeks, events]);
  const todayIndex = days.findIndex((day) => isSameDay(day, now));
  const firstOfMonth = days.findIndex((day) => day.getMonth() === month.getMonth());
  const [focusedIndex, setFocusedIndex] = useState(
    todayIndex === -1 ? Math.max(0, firstOfMonth) : todayIndex,
  );
  const activeIndex = Math.min(focusedIndex, days.length - 1);
  const cellRefs = useRef<(HTMLDivElement | null)[]>([]);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [maxLanes, setMaxLanes] = useState(3);
  const [openDay, setOpenDay] = useState<number | null>(null);

  // As many event lines as the cells have room for, less one for "+N more" when a day overflows.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body === null) return;
    const measure = () => {
      const cellHeight = body.clientHeight / Math.max(weeks.length, 1);
      if (cellHeight > 0)
        setMaxLanes(Math.max(1, Math.floor((cellHeight - dayNumberHeight - 4) / laneHeight)));
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    return () => observer.disconnect();
  }, [weeks.length]);

  const refocusAfterNavigationRef = useRef(false);
  const navigate = (step: number) => {
    refocusAfterNavigationRef.current = true;
    onNavigate?.(step);
  };
  // The days are new elements after changing month: the same place in the new grid takes the focus.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the first day changes, by value.
  useLayoutEffect(() => {
    if (!refocusAfterNavigationRef.current) return;
    refocusAfterNavigationRef.current = false;
    cellRefs.current[activeIndex]?.focus();
  }, [days[0]?.getTime()]);

  const moveFocus = (index: number) => {
    if (index < 0) {
      navigate(-1);
      return;
    }
    if (index >= days.length) {
      navigate(1);
      return;
    }
    setFocusedIndex(index);
    cellRefs.current[index]?.focus();
  };

  const createOn = (day: TZDate) => onCreateEvent({ start: day, end: addDays(day, 1), allDay: true });

  const onCellKeyDown = (index: number, day: TZDate) => (keyEvent: KeyboardEvent<HTMLDivElement>) => {
    if (keyEvent.target !== keyEvent.currentTarget) return;
    const column = index % 7;
    switch (keyEvent.key) {
      case "ArrowLeft":
        moveFocus(index - 1);
        break;
      case "ArrowRight":
        moveFocus(index + 1);
        break;
      case "ArrowUp":
        moveFocus(index - 7);
        break;
      case "ArrowDown":
        moveFocus(index + 7);
        break;
      case "Home":
        moveFocus(keyEvent.ctrlKey ? 0 : index - column);
        break;
      case "End":
        moveFocus(keyEvent.ctrlKey ? days.length - 1 : index - column + 6);
        break;
      case "PageUp":
        navigate(-1);
        break;
      case "PageDown":
        navigate(1);
        break;
      case "Enter":
      case " ":
        createOn(day);
        break;
      default:
        return;
    }
    keyEvent.preventDefault();
  };

  const openDayDate = openDay === null ? undefined : days[openDay];
  const openDayEvents =
    openDay === null
      ? []
      : (layouts[Math.floor(openDay / 7)] ?? [])
          .filter((item) => coversDay(item, openDay % 7))
          .map((item) => item.event);

  return (
    <div className="agenda-view-frame">
      <div className="agenda-month" role="grid" aria-label={label} aria-busy={busy || undefined}>
        <div className="agenda-month-header" role="rowgroup">
          <div className="agenda-month-row" role="row" tabIndex={-1}>
            {weeks[0]?.map((day) => (
              <div
                key={day.getDay()}
                className="agenda-month-weekday"
                role="columnheader"
                tabIndex={-1}
                aria-label={formats.weekdayLong(day)}
              >
                {formats.weekdayShort(day)}
              </div>
            ))}
          </div>
        </div>
        <div ref={bodyRef} className="agenda-month-body" role="rowgroup">
          {weeks.map((week, weekIndex) => {
            const layout = layouts[weekIndex] ?? [];
            const visibility = computeVisibility(layout, maxLanes);
            return (
              <div
                key={week[0]!.getTime()}
                className="agenda-month-row agenda-month-week"
                role="row"
                tabIndex={-1}
              >
                {week.map((day, column) => {
                  const index = weekIndex * 7 + column;
                  const hidden = visibility.hiddenPerDay[column] ?? 0;
                  const fullDate = formats.fullDate(day);
                  return (
                    <div
                      key={day.getTime()}
                      ref={(element) => {
                        cellRefs.current[index] = element;
                      }}
                      className="agenda-month-cell"
                      role="gridcell"
                      tabIndex={index === activeIndex ? 0 : -1}
                      data-date={toIsoDate(day)}
                      data-today={index === todayIndex || undefined}
                      data-outside={day.getMonth() !== month.getMonth() || undefined}
                      data-weekend={day.getDay() === 0 || day.getDay() === 6 || undefined}
                      onFocus={() => setFocusedIndex(index)}
                      onKeyDown={onCellKeyDown(index, day)}
                      onClick={(clickEvent) => {
                        if (clickEvent.target === clickEvent.currentTarget) createOn(day);
                      }}
                    >
                      {/* Named by its content: the full date first, then its events. */}
                      <span className="agenda-visually-hidden">{fullDate}</span>
                      <span className="agenda-month-day-number" aria-hidden="true">
                        {day.getDate() === 1 ? formats.dayAndMonth(day) : formats.dayOfMonth(day)}
                      </span>
                      {layout
                        .filter((item) => item.firstDay === column && visibility.shown.has(item))
                        .map((item) => {
                          const bar = item.event.allDay || item.daySpan > 1 || item.startsBeforeWeek;
                          return (
                            <EventChip
                              key={item.event.id}
                              event={item.event}
                              onOpen={onOpenEvent}
                              variant={bar ? "all-day" : "month"}
                              continuesBefore={item.startsBeforeWeek}
                              continuesAfter={item.endsAfterWeek}
                              style={{
                                position: "absolute",
                                top: dayNumberHeight + item.lane * laneHeight,
                                left: 2,
                                width: `calc(${item.daySpan} * (100% + 1px) - 5px)`,
                              }}
                            />
                          );
                        })}
                      {hidden > 0 ? (
                        <button
                          type="button"
                          className="agenda-month-more"
                          style={{ top: dayNumberHeight + visibility.limitPerDay[column]! * laneHeight }}
                          aria-label={fillMessage(messages.moreEventsLabel, {
                            count: String(hidden),
                            date: fullDate,
                          })}
                          onClick={() => setOpenDay(index)}
                        >
                          {fillMessage(messages.moreEvents, { count: String(hidden) })}
                        </button>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      {children}
      <EventDialog.Root open={openDayDate !== undefined} onOpenChange={(open) => open || setOpenDay(null)}>
        <EventDialog.Content aria-describedby={undefined} className="agenda-day-list-dialog">
          {openDayDate === undefined ? null : (
            <>
              <EventDialog.Title>
                {fillMessage(messages.dayEventsTitle, {
                  date: formats.fullDate(openDayDate),
                })}
              </EventDialog.Title>
              <ul className="agenda-day-list">
                {openDayEvents.map((event) => (
                  <li key={event.id}>
                    <EventChip
                      event={event}
                      variant="list"
                      onOpen={(opened) => {
                        setOpenDay(null);
                        onOpenEvent(opened);
                      }}
                    />
                  </li>
                ))}
              </ul>
            </>
          )}
        </EventDialog.Content>
      </EventDialog.Root>
    </div>
  );
}

function coversDay(item: PositionedMonthEvent<CalendarEvent>, column: number): boolean {
  return item.firstDay <= column && column < item.firstDay + item.daySpan;
}

interface WeekVisibility {
  shown: Set<PositionedMonthEvent<CalendarEvent>>;
  /** Lines shown on each day: all that fit, or one less to leave room for "+N more". */
  limitPerDay: number[];
  hiddenPerDay: number[];
}

/**
 * Which bars fit: on a day with more events than lines, one line goes to "+N more". A bar shows only
 * if its line fits on every day it covers; each day counts the events it does not show.
 */
function computeVisibility(layout: PositionedMonthEvent<CalendarEvent>[], maxLanes: number): WeekVisibility {
  const countPerDay = [0, 0, 0, 0, 0, 0, 0];
  const lanesPerDay = [0, 0, 0, 0, 0, 0, 0];
  for (const item of layout) {
    for (let day = item.firstDay; day < item.firstDay + item.daySpan; day += 1) {
      countPerDay[day]! += 1;
      lanesPerDay[day] = Math.max(lanesPerDay[day]!, item.lane + 1);
    }
  }
  const limitPerDay = lanesPerDay.map((lanes) => (lanes > maxLanes ? maxLanes - 1 : maxLanes));
  const shown = new Set<PositionedMonthEvent<CalendarEvent>>();
  const shownPerDay = [0, 0, 0, 0, 0, 0, 0];
  for (const item of layout) {
    let fits = true;
    for (let day = item.firstDay; day < item.firstDay + item.daySpan; day += 1) {
      if (item.lane >= limitPerDay[day]!) fits = false;
    }
    if (!fits) continue;
    shown.add(item);
    for (let day = item.firstDay; day < item.firstDay + item.daySpan; day += 1) shownPerDay[day]! += 1;
  }
  return {
    shown,
    limitPerDay,
    hiddenPerDay: countPerDay.map((count, day) => count - shownPerDay[day]!),
  };
}
