import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeAgendaFetch, type FakeAgendaOptions } from "../_internal/createFakeAgendaFetch";
import { sampleDaylightSavingChange, sampleNow, sampleOverlaps, sampleWeek } from "../_internal/sampleWeek";
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
  title: "Agenda/Week view",
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
