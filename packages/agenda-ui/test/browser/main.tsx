// The page the Chromium tests drive: an agenda over an in-memory server, chosen by the query string
// (?view=month&theme=dark&locale=en&scenario=dense&panel=connections&host=dialog); without `view`, the
// agenda picks its own default view and views, as on a phone.
import type { CalendarEvent } from "@crm-agenda/shared";
import * as HostDialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { createFakeAgendaFetch, type FakeAgenda } from "../../src/_internal/createFakeAgendaFetch";
import { languageProps } from "../../src/_internal/languageProps";
import { makeEvent } from "../../src/_internal/makeEvent";
import {
  sampleDaylightSavingChange,
  sampleMany,
  sampleNow,
  sampleSpringForward,
  sampleWeek,
} from "../../src/_internal/sampleWeek";
import { AgendaProvider } from "../../src/AgendaProvider";
import { ConnectionsPanel } from "../../src/connections";
import { Agenda, type AgendaView } from "../../src/index";
import "../../src/styles.css";

declare global {
  interface Window {
    agendaServer: FakeAgenda;
  }
}

const params = new URLSearchParams(window.location.search);
const scenario = params.get("scenario") ?? "sample";
const scenarios: Record<string, { events: CalendarEvent[]; date: Date }> = {
  sample: { events: sampleWeek, date: sampleNow },
  dense: { events: sampleMany(1000, "2026-11-23", 7), date: sampleNow },
  // Eight calls at the same hour on Tuesday: more than fit side by side.
  crowded: {
    events: Array.from({ length: 8 }, (_, index) =>
      makeEvent({
        id: `crowded-${index + 1}`,
        title: `Appel ${index + 1}`,
        start: "2026-11-24T10:00:00+01:00",
        end: "2026-11-24T11:00:00+01:00",
      }),
    ),
    date: sampleNow,
  },
  "dst-fall": { events: sampleDaylightSavingChange, date: new Date("2026-10-22T12:00:00+02:00") },
  "dst-spring": { events: sampleSpringForward, date: new Date("2026-03-27T12:00:00+01:00") },
};
const chosen = scenarios[scenario] ?? scenarios.sample!;
const server = createFakeAgendaFetch({
  events: chosen.events,
  connections: [
    {
      id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      provider: "google",
      accountEmail: "camille.martin@dupont-sa.fr",
      status: "active",
      scopes: [],
      lastSyncAt: "2026-11-25T14:12:00+01:00",
      lastError: null,
      createdAt: "2026-10-01T09:00:00+02:00",
      nextSyncAt: null,
      calendarId: "primary",
      pushCrmEvents: true,
    },
    {
      id: "7a2d3e4f-5b6c-4d7e-9f80-a1b2c3d4e5f6",
      provider: "zoom",
      accountEmail: "camille.martin@dupont-sa.fr",
      status: "needs_reauth",
      scopes: [],
      lastSyncAt: null,
      lastError: "invalid_grant",
      createdAt: "2026-10-01T09:00:00+02:00",
      nextSyncAt: null,
      calendarId: null,
      pushCrmEvents: false,
    },
  ],
  writeFailure:
    params.get("refuse") === null
      ? undefined
      : { status: 409, body: { error: { code: "conflict", message: "Changed meanwhile" } } },
});
window.agendaServer = server;
const theme = params.get("theme") === "dark" ? "dark" : "light";
document.body.style.background = theme === "dark" ? "#16181c" : "#ffffff";

/** A host CRM's own Radix dialog (a client's file) with the agenda inside, as in `?host=dialog`. */
function ClientFileDialog({ children }: { children: ReactNode }) {
  return (
    <HostDialog.Root>
      <HostDialog.Trigger>Fiche client</HostDialog.Trigger>
      <HostDialog.Portal>
        <HostDialog.Overlay style={{ position: "fixed", inset: 0, background: "rgb(0 0 0 / 0.3)" }} />
        <HostDialog.Content
          aria-describedby={undefined}
          style={{
            position: "fixed",
            inset: 40,
            background: "#fff",
            display: "flex",
            flexDirection: "column",
          }}
        >
          <HostDialog.Title>Dupont SA</HostDialog.Title>
          <div style={{ flex: 1, minHeight: 0 }}>{children}</div>
        </HostDialog.Content>
      </HostDialog.Portal>
    </HostDialog.Root>
  );
}

const agenda = (
  <Agenda
    defaultView={(params.get("view") ?? undefined) as AgendaView | undefined}
    views={params.has("view") ? ["day", "work-week", "week", "month", "list"] : undefined}
    defaultDate={chosen.date}
    now={sampleNow}
    theme={theme}
  />
);

// The page is taller than the window, so a scroll lock can be seen.
if (params.get("host") === "dialog") document.body.style.minHeight = "300vh";

createRoot(document.getElementById("root")!).render(
  <AgendaProvider
    baseUrl="/api/agenda"
    fetch={server.fetch}
    {...languageProps(params.get("locale") === "en" ? "en" : "fr")}
    timeZone="Europe/Paris"
  >
    {params.get("panel") === "connections" ? (
      <ConnectionsPanel theme={theme} now={sampleNow} returnTo="/settings" />
    ) : params.get("host") === "dialog" ? (
      <ClientFileDialog>{agenda}</ClientFileDialog>
    ) : (
      agenda
    )}
  </AgendaProvider>,
);
