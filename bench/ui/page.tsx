// The benchmark page: the same events in @crm-agenda/ui, FullCalendar and react-big-calendar,
// mounted one at a time by run.mjs through window.bench.

import dayGridPlugin from "@fullcalendar/daygrid";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import { QueryClient } from "@tanstack/react-query";
import { format, getDay, parse, startOfWeek } from "date-fns";
import { fr } from "date-fns/locale/fr";
import type { ReactElement } from "react";
import { Calendar, dateFnsLocalizer } from "react-big-calendar";
import { flushSync } from "react-dom";
import { createRoot, type Root } from "react-dom/client";
import "react-big-calendar/lib/css/react-big-calendar.css";
import { createFakeAgendaFetch } from "../../packages/agenda-ui/src/_internal/createFakeAgendaFetch";
import { sampleMany } from "../../packages/agenda-ui/src/_internal/sampleWeek";
import { AgendaProvider } from "../../packages/agenda-ui/src/AgendaProvider";
import { Agenda } from "../../packages/agenda-ui/src/components/Agenda";
import { type AgendaView, getViewDays, shiftViewDate } from "../../packages/agenda-ui/src/date/getViewDays";
import { getDaysRange } from "../../packages/agenda-ui/src/date/getWeekDays";
import { agendaQueryKeys } from "../../packages/agenda-ui/src/queries/agendaQueryKeys";
import "../../packages/agenda-ui/src/styles.css";

const timeZone = "Europe/Paris";
const day = new Date("2026-11-25T12:00:00+01:00");
// Every range shown, before and after next/previous, holds the same density: 1,000 events in each
// week around 23 November 2026, and 5,000 in each six-week month grid around November 2026.
const datasets = {
  week: weeksOfEvents("2026-11-16", [1000, 1000, 1000]),
  month: weeksOfEvents(
    "2026-09-28",
    [833, 833, 833, 833, 833, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833],
  ),
};

/** `counts[n]` events in the n-th week from `firstMonday`, with ids unique across weeks. */
function weeksOfEvents(firstMonday: string, counts: readonly number[]): CalendarEvent[] {
  const first = Date.parse(`${firstMonday}T12:00:00Z`);
  return counts.flatMap((count, week) =>
    sampleMany(count, new Date(first + week * 7 * 86_400_000).toISOString().slice(0, 10), 7).map((event) => ({
      ...event,
      id: `${event.id.slice(0, 19)}${String(week).padStart(4, "0")}${event.id.slice(23)}`,
    })),
  );
}
type CalendarEvent = ReturnType<typeof sampleMany>[number];
const localizer = dateFnsLocalizer({ format, parse, startOfWeek, getDay, locales: { fr } });

let root: Root | null = null;
const container = document.getElementById("root")!;

/**
 * When the frame showing the result has been drawn: `ready` is checked now and then at each frame;
 * once it holds, the next requestAnimationFrame callback after that frame's paint gives the time
 * (two frames away when checked outside a frame, one when checked inside one).
 */
function settle(ready: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const done = () => resolve(performance.now());
    const check = (inFrame: boolean) => {
      if (!ready()) requestAnimationFrame(() => check(true));
      else if (inFrame) requestAnimationFrame(done);
      else requestAnimationFrame(() => requestAnimationFrame(done));
    };
    check(false);
  });
}

function eventsShown() {
  return container.querySelectorAll(".agenda-event, .fc-event, .rbc-event").length > 0;
}

declare global {
  interface Window {
    bench: {
      mount(library: string, view: "week" | "month"): Promise<number>;
      navigate(direction: "next" | "previous"): Promise<number>;
      unmount(): void;
    };
  }
}

window.bench = {
  async mount(library, view) {
    const events = datasets[view];
    let element: ReactElement;
    if (library === "ours") {
      // The cache holds the shown range and its neighbours, as after the agenda's own prefetch.
      const queryClient = new QueryClient({
        defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } },
      });
      const agendaView: AgendaView = view;
      for (const step of [-1, 0, 1]) {
        const range = getDaysRange(
          getViewDays(agendaView, shiftViewDate(agendaView, day, step, timeZone), 1, timeZone),
        );
        const from = Date.parse(range.from);
        const to = Date.parse(range.to);
        queryClient.setQueryData(agendaQueryKeys.eventList("/api/agenda", range), {
          events: events.filter((event) => Date.parse(event.start) < to && Date.parse(event.end) > from),
        });
      }
      const fake = createFakeAgendaFetch({ events });
      element = (
        <AgendaProvider
          baseUrl="/api/agenda"
          fetch={fake.fetch}
          timeZone={timeZone}
          queryClient={queryClient}
        >
          <Agenda defaultView={agendaView} defaultDate={day} now={day} theme="light" />
        </AgendaProvider>
      );
    } else if (library === "fullcalendar") {
      element = (
        <FullCalendar
          plugins={[dayGridPlugin, timeGridPlugin]}
          initialView={view === "week" ? "timeGridWeek" : "dayGridMonth"}
          initialDate={day}
          firstDay={1}
          dayMaxEvents
          height="100%"
          events={events.map((event) => ({
            id: event.id,
            title: event.title,
            start: event.start,
            end: event.end,
          }))}
        />
      );
    } else {
      element = (
        <Calendar
          localizer={localizer}
          culture="fr"
          defaultView={view}
          views={["week", "month"]}
          defaultDate={day}
          style={{ height: "100%" }}
          events={events.map((event) => ({
            title: event.title,
            start: new Date(event.start),
            end: new Date(event.end),
          }))}
        />
      );
    }
    const start = performance.now();
    root = createRoot(container);
    flushSync(() => root!.render(element));
    return (await settle(eventsShown)) - start;
  },
  async navigate(direction) {
    const title = () =>
      container.querySelector(".agenda-toolbar-title, .fc-toolbar-title, .rbc-toolbar-label")?.textContent;
    const previousTitle = title();
    const button =
      container.querySelector<HTMLButtonElement>(
        direction === "next"
          ? ".agenda-toolbar-arrows button:last-child, .fc-next-button"
          : ".agenda-toolbar-arrows button:first-child, .fc-prev-button",
      ) ??
      [...container.querySelectorAll<HTMLButtonElement>(".rbc-btn-group button")].find(
        (candidate) => candidate.textContent === (direction === "next" ? "Next" : "Back"),
      )!;
    const start = performance.now();
    flushSync(() => button.click());
    const end = await settle(() => title() !== previousTitle && eventsShown());
    return end - start;
  },
  unmount() {
    root?.unmount();
    root = null;
  },
};
