import type { CalendarEvent } from "@crm-agenda/shared";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeSummaryFetch, type FakeSummaryOptions } from "../_internal/createFakeSummaryFetch";
import { languageProps } from "../_internal/languageProps";
import { makeEvent } from "../_internal/makeEvent";
import { sampleCallEventId, sampleClients } from "../_internal/sampleSummary";
import { AgendaProvider, type AgendaProviderProps } from "../AgendaProvider";
import { useEvents } from "../queries/useEvents";
import { ClientPicker } from "./ClientPicker";

const week = { from: "2026-11-22T23:00:00.000Z", to: "2026-11-29T23:00:00.000Z" };

interface PickerStoryProps {
  /** The client match the call starts with. */
  clientMatch: CalendarEvent["clientMatch"];
  /** How the fake server answers. */
  server?: Omit<FakeSummaryOptions, "agenda" | "clients">;
  locale?: AgendaProviderProps["locale"];
}

function CachedPicker() {
  const event = useEvents(week).data?.events[0];
  return event === undefined ? null : <ClientPicker event={event} />;
}

/** The picker over a fake server of its own, fed from the cached week as the agenda's dialog is. */
function PickerStory({ clientMatch, server, locale }: PickerStoryProps) {
  const [fake] = useState(() =>
    createFakeSummaryFetch({
      agenda: {
        events: [
          makeEvent({
            id: sampleCallEventId,
            title: "Négociation contrat — Dupont SA",
            start: "2026-11-25T08:00:00.000Z",
            end: "2026-11-25T09:00:00.000Z",
            source: "zoom",
            clientMatch,
          }),
        ],
      },
      clients: sampleClients,
      searchDelayMs: 300,
      writeDelayMs: 600,
      ...server,
    }),
  );
  return (
    <AgendaProvider
      baseUrl="/api/agenda"
      fetch={fake.fetch}
      {...languageProps(locale)}
      timeZone="Europe/Paris"
    >
      <div className="agenda-root" style={{ height: "auto", minHeight: 0, padding: 24 }}>
        <section className="agenda-detail" style={{ maxWidth: 480 }} aria-label="Client">
          <h3 className="agenda-detail-heading">Client</h3>
          <CachedPicker />
        </section>
      </div>
    </AgendaProvider>
  );
}

const meta = {
  title: "Event dialog/Client picker",
  component: PickerStory,
  args: { clientMatch: { clientId: "client-dupont", clientName: "Dupont SA", method: "auto" } },
} satisfies Meta<typeof PickerStory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Found from the attendees' e-mails. Change it: type "mar". */
export const MatchedAutomatically: Story = {};

/** Chosen by a person earlier. */
export const ChosenByHand: Story = {
  args: { clientMatch: { clientId: "client-martin", clientName: "Martin & Fils", method: "manual" } },
};

/** No client yet. */
export const NoClient: Story = {
  args: { clientMatch: { clientId: null, clientName: null, method: "none" } },
};

/** The server refuses the choice: the previous client comes back with the reason. */
export const SaveRefused: Story = {
  args: {
    server: {
      setClientFailure: {
        status: 422,
        body: { error: { code: "unprocessable", message: "Unknown client" } },
      },
    },
  },
};

/** In English. */
export const English: Story = { args: { locale: "en" } };
