import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { createFakeAgendaFetch, type FakeAgendaOptions } from "../_internal/createFakeAgendaFetch";
import { languageProps } from "../_internal/languageProps";
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
    <AgendaProvider baseUrl="/api/agenda" fetch={fake.fetch} {...languageProps(locale)} timeZone={timeZone}>
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

/** Fills the new-event form and saves it: the dialog closes and the event is in the week. */
export const CreateFromForm: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    await userEvent.click(canvas.getByRole("button", { name: "Nouvel événement" }));
    const dialog = within(await canvas.findByRole("dialog", { name: "Nouvel événement" }));
    await userEvent.type(dialog.getByLabelText("Titre"), "Point avec Martin");
    await userEvent.click(dialog.getByRole("button", { name: "Enregistrer" }));
    await waitFor(() => expect(canvas.queryByRole("dialog")).toBeNull());
    await expect(await canvas.findByRole("button", { name: /^Point avec Martin, / })).toBeVisible();
  },
};

/** Drags over Sunday's empty 10:00 – 11:30: the new-event form opens with that span. */
export const DragToCreate: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("button", { name: /^Revue du pipeline T4, 16:00 – 17:00/ });
    const column = canvasElement.querySelector<HTMLElement>('[data-date="2026-11-29"]')!;
    column.scrollIntoView({ block: "center" });
    const box = column.getBoundingClientRect();
    const hour = box.height / 24;
    const x = box.left + box.width / 2;
    const pointer = (type: string, hours: number, buttons: number) =>
      new PointerEvent(type, {
        bubbles: true,
        cancelable: true,
        composed: true,
        pointerId: 1,
        pointerType: "mouse",
        isPrimary: true,
        button: 0,
        buttons,
        clientX: x,
        clientY: box.top + hour * hours,
      });
    column.dispatchEvent(pointer("pointerdown", 10 + 4 / 60, 1));
    column.dispatchEvent(pointer("pointermove", 11, 1));
    column.dispatchEvent(pointer("pointermove", 11.4, 1));
    await waitFor(() =>
      expect(canvasElement.querySelector(".agenda-create-preview")).toHaveTextContent("10:00 – 11:30"),
    );
    column.dispatchEvent(pointer("pointerup", 11.4, 0));
    const dialog = within(await canvas.findByRole("dialog", { name: "Nouvel événement" }));
    await expect(dialog.getByLabelText("Début")).toHaveValue("29/11/2026");
    await expect(dialog.getByLabelText("Début : heure")).toHaveValue("10:00");
    await expect(dialog.getByLabelText("Fin")).toHaveValue("29/11/2026");
    await expect(dialog.getByLabelText("Fin : heure")).toHaveValue("11:30");
  },
};

/** Moves an event from the keyboard: Alt + ↓ is 15 minutes later, Alt + → the next day. */
export const KeyboardMove: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const event = await canvas.findByRole("button", {
      name: /^Négociation contrat — Dupont SA, 09:00 – 10:00/,
    });
    event.focus();
    await userEvent.keyboard("{Alt>}{ArrowDown}{/Alt}");
    const later = await canvas.findByRole("button", {
      name: /^Négociation contrat — Dupont SA, 09:15 – 10:15, mercredi 25 novembre/,
    });
    await waitFor(() => expect(later).toHaveFocus());
    await userEvent.keyboard("{Alt>}{ArrowRight}{/Alt}");
    const nextDay = await canvas.findByRole("button", {
      name: /^Négociation contrat — Dupont SA, 09:15 – 10:15, jeudi 26 novembre/,
    });
    await waitFor(() => expect(nextDay).toHaveFocus());
  },
};
