import type { CalendarEvent } from "@crm-agenda/shared";
import type { TZDate } from "@date-fns/tz";
import { isSameDay } from "date-fns";
import { type ReactNode, useId, useMemo } from "react";
import { useAgendaSettings } from "../AgendaProvider";
import { getDateFormats } from "../date/dateFormats";
import { layoutMonthWeek } from "../date/layoutMonthWeek";
import { EventChip } from "./EventChip";

/** Props of {@link ListView}. */
export interface ListViewProps {
  /** The days to list, each at local midnight. */
  days: readonly TZDate[];
  /** The events of those days. */
  events: readonly CalendarEvent[];
  /** The list's accessible name, e.g. "Planning du 23 – 29 nov. 2026". */
  label: string;
  /** Called when an event is clicked. */
  onOpenEvent: (event: CalendarEvent) => void;
  /** Today, for `data-today`. */
  now: Date;
  /** Shown instead of the days when none has an event, and over the list (loading, error). */
  children?: ReactNode;
}

/**
 * The days as a schedule: each day that has events (class `agenda-list-day`, `data-today`) with its
 * heading and its events in order, all-day first; an event over several days is listed on each.
 * Plain headings and lists, so screen readers can jump from day to day.
 */
export function ListView({ days, events, label, onOpenEvent, now, children }: ListViewProps) {
  const { locale, timeZone } = useAgendaSettings();
  const formats = getDateFormats(locale, timeZone);
  const headingId = useId();
  const byDay = useMemo(() => {
    const lists: CalendarEvent[][] = days.map(() => []);
    // The month layout already finds the days each event covers and orders all-day events first.
    for (let index = 0; index < days.length; index += 7) {
      const week = days.slice(index, index + 7);
      const placed = layoutMonthWeek(events, week).sort(
        (one, other) =>
          Number(other.event.allDay) - Number(one.event.allDay) ||
          Date.parse(one.event.start) - Date.parse(other.event.start),
      );
      for (const item of placed) {
        for (let day = item.firstDay; day < item.firstDay + item.daySpan; day += 1)
          lists[index + day]?.push(item.event);
      }
    }
    return lists;
  }, [days, events]);

  return (
    <div className="agenda-view-frame">
      <section className="agenda-list" aria-label={label}>
        {days.map((day, index) => {
          const dayEvents = byDay[index] ?? [];
          if (dayEvents.length === 0) return null;
          const isToday = isSameDay(day, now);
          return (
            <section
              key={day.getTime()}
              className="agenda-list-day"
              aria-labelledby={`${headingId}-${index}`}
              data-today={isToday || undefined}
            >
              <h3 id={`${headingId}-${index}`} className="agenda-list-day-heading">
                <span className="agenda-list-day-number" aria-hidden="true">
                  {formats.dayOfMonth(day)}
                </span>
                <span className="agenda-list-day-name">{formats.fullDate(day)}</span>
              </h3>
              <ul className="agenda-list-events">
                {dayEvents.map((event) => (
                  <li key={event.id}>
                    <EventChip event={event} variant="list" onOpen={onOpenEvent} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </section>
      {children}
    </div>
  );
}
