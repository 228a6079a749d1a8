import type { Connection } from "@crm-agenda/shared";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeAgendaFetch, type FakeAgendaOptions } from "../_internal/createFakeAgendaFetch";
import { languageProps } from "../_internal/languageProps";
import { sampleNow } from "../_internal/sampleWeek";
import { AgendaProvider, type AgendaProviderProps } from "../AgendaProvider";
import { ConnectionsPanel, type ConnectionsPanelProps } from "./ConnectionsPanel";

interface ConnectionsStoryProps extends ConnectionsPanelProps {
  /** What the fake server holds and how it answers. */
  server?: FakeAgendaOptions;
  locale?: AgendaProviderProps["locale"];
  /** The query string the provider's consent screen sent the browser back with. */
  returnedWith?: string;
}

/** The panel over a fake server of its own, as if the browser had come back with `returnedWith`. */
function ConnectionsStory({ server, locale, returnedWith, ...panelProps }: ConnectionsStoryProps) {
  const [fake] = useState(() => {
    if (returnedWith !== undefined) window.history.replaceState(window.history.state, "", returnedWith);
    return createFakeAgendaFetch({ delayMs: 250, ...server });
  });
  return (
    <AgendaProvider
      baseUrl="/api/agenda"
      fetch={fake.fetch}
      {...languageProps(locale)}
      timeZone="Europe/Paris"
    >
      <ConnectionsPanel {...panelProps} />
    </AgendaProvider>
  );
}

const googleConnection: Connection = {
  id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  provider: "google",
  accountEmail: "camille.martin@dupont-sa.fr",
  status: "active",
  scopes: ["https://www.googleapis.com/auth/calendar"],
  lastSyncAt: "2026-11-25T14:12:00+01:00",
  lastError: null,
  createdAt: "2026-10-01T09:00:00+02:00",
  nextSyncAt: "2026-11-25T14:27:00+01:00",
  calendarId: "primary",
  pushCrmEvents: true,
};
const zoomConnection: Connection = {
  id: "7a2d3e4f-5b6c-4d7e-9f80-a1b2c3d4e5f6",
  provider: "zoom",
  accountEmail: "camille.martin@dupont-sa.fr",
  status: "needs_reauth",
  scopes: ["meeting:read", "recording:read"],
  lastSyncAt: "2026-11-21T08:02:00+01:00",
  lastError: "invalid_grant: the refresh token was revoked by the user",
  createdAt: "2026-10-01T09:00:00+02:00",
  nextSyncAt: null,
  calendarId: null,
  pushCrmEvents: false,
};
const microsoftConnection: Connection = {
  id: "8b3e4f50-6c7d-4e8f-a091-b2c3d4e5f607",
  provider: "microsoft",
  accountEmail: "c.martin@dupont-sa.onmicrosoft.com",
  status: "error",
  scopes: ["Calendars.ReadWrite", "offline_access"],
  lastSyncAt: "2026-11-25T11:40:00+01:00",
  lastError: "Graph answered 503 Service Unavailable",
  createdAt: "2026-10-03T09:00:00+02:00",
  nextSyncAt: null,
  calendarId: "",
  pushCrmEvents: false,
};

const meta = {
  title: "Settings/Connections panel",
  component: ConnectionsStory,
  args: { now: sampleNow, returnTo: "/settings/agenda", server: { connections: [googleConnection] } },
  parameters: { layout: "padded" },
} satisfies Meta<typeof ConnectionsStory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Google connected, Zoom and Microsoft waiting to be connected. */
export const OneConnected: Story = {};

/** A first visit: nothing connected yet. */
export const NothingConnected: Story = { args: { server: { connections: [] } } };

/** Every state at once: Zoom must be reconnected (highlighted), Microsoft is failing. */
export const NeedsAttention: Story = {
  args: { server: { connections: [googleConnection, zoomConnection, microsoftConnection] } },
};

/** Back from Google's consent screen: a success notice, and the flags leave the address bar. */
export const JustConnected: Story = {
  args: { returnedWith: "?agendaConnection=connected&provider=google" },
};

/** Back from Microsoft's consent screen without access granted. */
export const ConsentDenied: Story = {
  args: {
    server: { connections: [] },
    returnedWith: "?agendaConnection=denied&provider=microsoft&reason=access_denied",
  },
};

/** The server refuses to disconnect: the account comes back with the reason. Click Disconnect twice. */
export const DisconnectRefused: Story = {
  args: {
    server: {
      connections: [googleConnection],
      writeFailure: { status: 503, body: { error: { code: "unavailable", message: "Google unreachable" } } },
    },
  },
};

/** The accounts could not be loaded. */
export const LoadError: Story = {
  args: {
    server: {
      connectionsFailure: {
        status: 503,
        body: { error: { code: "unavailable", message: "Database unreachable" } },
      },
    },
  },
};

/** The first load, before the server answers. */
export const Loading: Story = { args: { server: { delayMs: Number.POSITIVE_INFINITY } } };

/** In English. */
export const English: Story = {
  args: { locale: "en", server: { connections: [googleConnection, zoomConnection] } },
};

/** The dark theme, chosen by the host. */
export const Dark: Story = {
  args: { theme: "dark", server: { connections: [googleConnection, zoomConnection, microsoftConnection] } },
  globals: { backgrounds: { value: "dark" } },
};
