import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeAgendaFetch, type FakeAgendaOptions } from "../_internal/createFakeAgendaFetch";
import {
  sampleDaylightSavingChange,
  sampleMany,
  sampleNow,
  sampleOverlaps,
  sampleSpringForward,
  sampleWeek,
} from "../_internal/sampleWeek";
import { AgendaProvider, type AgendaProviderProps } from "../AgendaProvider";
import { Agenda, type AgendaProps } from "./Agenda";

interface AgendaStoryProps extends AgendaProps {
  /** What the fake server holds and how it answers. */
  server?: FakeAgendaOptions;
  locale?: AgendaProviderProps["locale"];
  timeZone?: string;
}

/** An agenda over a fake server of its own, so each story starts fresh and needs no backend. */
function AgendaStory({ server, locale, timeZone = "Europe/Paris", ...agendaProps }: AgendaStoryProps) {
  const [fake] = useState(() => createFakeAgendaFetch({ delayMs: 250, ...server }));
  return (
    <AgendaProvider baseUrl="/api/agenda" fetch={fake.fetch} locale={locale} timeZone={timeZone}>
      <Agenda {...agendaProps} />
    </AgendaProvider>
  );
}

const meta = {
  title: "Agenda",
  component: AgendaStory,
  args: { now: sampleNow, defaultDate: sampleNow, server: { events: sampleWeek } },
} satisfies Meta<typeof AgendaStory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A salesperson's week: CRM meetings, Google and Outlook events, Zoom and Meet calls with summaries. */
export const NormalWeek: Story = {};

/** Nothing planned: the grid stays usable and says so quietly. */
export const Empty: Story = { args: { server: { events: [] } } };

/** Events that overlap in chains share the column side by side. */
export const Overlaps: Story = { args: { server: { events: sampleOverlaps } } };

/** The week Paris goes back to winter time: Sunday has 25 hours, yet 09:00 stays on the 09:00 line. */
export const DaylightSavingChange: Story = {
  args: {
    defaultDate: new Date("2026-10-22T12:00:00+02:00"),
    server: { events: sampleDaylightSavingChange },
  },
};

/** The first load, before the server answers. */
export const Loading: Story = { args: { server: { events: sampleWeek, delayMs: Number.POSITIVE_INFINITY } } };

/** The server is down: the reason in plain words and a way to try again. */
export const LoadError: Story = {
  args: {
    server: {
      events: sampleWeek,
      listFailure: { status: 503, body: { error: { code: "unavailable", message: "Database unreachable" } } },
    },
  },
};

/** Saving fails: the dialog stays open and shows the server's message under the field it names. */
export const SaveRefused: Story = {
  args: {
    server: {
      events: sampleWeek,
      writeFailure: {
        status: 400,
        body: {
          error: {
            code: "validation_failed",
            message: "The event is not valid",
            details: [{ path: "attendees.0.email", message: "must be an e-mail address" }],
          },
        },
      },
    },
  },
};

/** The same week in English: weeks start on Sunday and the clock has AM and PM. */
export const English: Story = { args: { locale: "en" } };

/** French, in New York time: the same events, two columns later on the clock. */
export const OtherTimeZone: Story = { args: { timeZone: "America/New_York" } };

/** The dark theme, chosen by the host. */
export const Dark: Story = {
  args: { theme: "dark" },
  globals: { backgrounds: { value: "dark" } },
};

/** One day on its own, as on a phone. */
export const DayView: Story = { args: { defaultView: "day" } };

/** The day view on a 360 px phone. */
export const DayOnPhone: Story = {
  args: { defaultView: "day" },
  decorators: [
    (Story) => (
      <div style={{ width: 360, height: 720 }}>
        <Story />
      </div>
    ),
  ],
};

/** Monday to Friday. */
export const WorkWeek: Story = {
  args: { defaultView: "work-week", views: ["day", "work-week", "week", "month"] },
};

/** The month, with the fair as a bar across three days. */
export const MonthView: Story = { args: { defaultView: "month" } };

/** A month too full for its cells: "+N more" opens each day's list. */
export const MonthOverflow: Story = {
  args: { defaultView: "month", server: { events: sampleMany(400, "2026-10-26", 42) } },
};

/** The week as a list, day by day. */
export const ListView: Story = { args: { defaultView: "list" } };

/** A dense day: forty meetings between 07:00 and 20:00. */
export const DenseDay: Story = {
  args: { defaultView: "day", server: { events: sampleMany(40, "2026-11-25", 1) } },
};

/** Heavy overlaps: two hundred events in one week. */
export const HeavyOverlaps: Story = { args: { server: { events: sampleMany(200, "2026-11-23", 7) } } };

/** The week Paris goes to summer time: Sunday has 23 hours, the night shift still ends at 04:00. */
export const SpringForward: Story = {
  args: { defaultDate: new Date("2026-03-27T12:00:00+01:00"), server: { events: sampleSpringForward } },
};

/** The month in English, weeks from Sunday. */
export const EnglishMonth: Story = { args: { locale: "en", defaultView: "month" } };

/** The month in the dark theme. */
export const DarkMonth: Story = {
  args: { theme: "dark", defaultView: "month" },
  globals: { backgrounds: { value: "dark" } },
};

/** The list in the dark theme. */
export const DarkList: Story = {
  args: { theme: "dark", defaultView: "list" },
  globals: { backgrounds: { value: "dark" } },
};

/** Moving is refused by the server: the event goes back and a message says why. Drag any event. */
export const MoveRefused: Story = {
  args: {
    server: {
      events: sampleWeek,
      writeFailure: { status: 409, body: { error: { code: "conflict", message: "Changed meanwhile" } } },
    },
  },
};
