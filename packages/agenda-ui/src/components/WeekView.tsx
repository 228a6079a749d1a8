import type { CalendarEvent } from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { addDays, format, isSameDay } from "date-fns";
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
import { useNow } from "../_internal/useNow";
import { useAgendaSettings } from "../AgendaProvider";
import { layoutAllDayEvents } from "../date/layoutAllDayEvents";
import { layoutDayEvents } from "../date/layoutDayEvents";
import { localeFormats } from "../date/localeFormats";
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
  /** Called with a new event's times when an empty slot is clicked (snapped to 30 minutes, one hour long). */
  onCreateEvent: (draft: NewEventDraft) => void;
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

const slotMinutes = 30;
const hours = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * The week as a time grid: a header row of days, an all-day row, and one column per day with the
 * events placed by time and overlapping events side by side. ARIA grid: `role="grid"` (class
 * `agenda-week`) with rows of `columnheader`s (`agenda-day-header`, `data-today`), the all-day
 * `gridcell` (`agenda-all-day`) and one `gridcell` per day (`agenda-day-column`, `data-date="yyyy-MM-dd"`,
 * `data-today`, `data-weekend`), named by its column header. Arrow keys move between days, Enter creates an event there.
 */
export function WeekView({
  days,
  events,
  label,
  onCreateEvent,
  onOpenEvent,
  now,
  busy,
  children,
}: WeekViewProps) {
  const { timeZone, locale, messages } = useAgendaSettings();
  const liveNow = useNow();
  const currentTime = new TZDate(now ?? liveNow, timeZone);
  const formats = localeFormats[locale];
  const formatOptions = { locale: formats.dateLocale };
  const scrollerRef = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const columnRefs = useRef<(HTMLDivElement | null)[]>([]);
  const todayIndex = days.findIndex((day) => isSameDay(day, currentTime));
  const [focusedDay, setFocusedDay] = useState(Math.max(0, todayIndex));

  const timedLayouts = useMemo(() => days.map((day) => layoutDayEvents(events, day)), [days, events]);
  const allDayLayout = useMemo(() => layoutAllDayEvents(events, days), [days, events]);
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
    if ((clickEvent.target as HTMLElement).closest(".agenda-event") !== null) return;
    const bounds = clickEvent.currentTarget.getBoundingClientRect();
    const fraction = Math.min(Math.max((clickEvent.clientY - bounds.top) / bounds.height, 0), 1);
    const minutes = Math.min(
      Math.floor((fraction * 24 * 60) / slotMinutes) * slotMinutes,
      24 * 60 - slotMinutes,
    );
    onCreateEvent(draftAt(day, minutes));
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
                {format(days[0] ?? currentTime, "zzz", formatOptions)}
              </span>
              <span className="agenda-visually-hidden">{messages.hours}</span>
            </div>
            {days.map((day, index) => (
              <div
                key={day.getTime()}
                className="agenda-day-header"
                role="columnheader"
                tabIndex={-1}
                aria-label={format(day, formats.fullDate, formatOptions)}
                data-today={index === todayIndex || undefined}
                data-weekend={isWeekend(day) || undefined}
              >
                <span className="agenda-day-header-weekday">
                  {format(day, formats.columnWeekday, formatOptions)}
                </span>
                <span className="agenda-day-header-number">
                  {format(day, formats.columnDay, formatOptions)}
                </span>
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
          <div className="agenda-week-row agenda-time-row" role="row" tabIndex={-1}>
            <div className="agenda-hour-gutter" role="rowheader" tabIndex={-1}>
              <span className="agenda-visually-hidden">{messages.hours}</span>
              {hours.map((hour) => (
                <span
                  key={hour}
                  className="agenda-hour-label"
                  style={{ top: `${(hour / 24) * 100}%` }}
                  aria-hidden="true"
                >
                  {hour === 0
                    ? ""
                    : format(new TZDate(2026, 0, 1, hour, 0, timeZone), formats.hourLabel, formatOptions)}
                </span>
              ))}
            </div>
            {days.map((day, index) => {
              const isToday = index === todayIndex;
              const dayEvents = timedLayouts[index] ?? [];
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
                  data-date={format(day, "yyyy-MM-dd")}
                  data-today={isToday || undefined}
                  data-weekend={isWeekend(day) || undefined}
                  onClick={createAtPointer(day)}
                  onKeyDown={onColumnKeyDown(index, day)}
                  onFocus={() => setFocusedDay(index)}
                >
                  {dayEvents.map((item) => (
                    <EventChip
                      key={item.event.id}
                      event={item.event}
                      onOpen={onOpenEvent}
                      compact={item.height * 24 * 60 < 45}
                      continuesBefore={item.startsBeforeDay}
                      continuesAfter={item.endsAfterDay}
                      style={{
                        top: `${item.top * 100}%`,
                        height: `${item.height * 100}%`,
                        left: `${item.left * 100}%`,
                        // Leave a strip on the right of each column free, to click the slot behind.
                        width: `calc(${item.width * 100}% - ${item.column + item.columnSpan === item.columnCount ? 10 : 2}px)`,
                      }}
                    />
                  ))}
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
      {children}
    </div>
  );
}

function isWeekend(day: TZDate): boolean {
  const weekday = day.getDay();
  return weekday === 0 || weekday === 6;
}
