// @vitest-environment jsdom
import type { Connection } from "@crm-agenda/shared";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAgendaFetch } from "../_internal/createFakeAgendaFetch";
import { AgendaProvider } from "../AgendaProvider";
import { englishMessages } from "../messages/englishMessages";
import { ConnectionsPanel } from "./ConnectionsPanel";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

const now = new Date("2026-11-25T14:20:00+01:00");
const google: Connection = {
  id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  provider: "google",
  accountEmail: "camille@dupont.fr",
  status: "active",
  scopes: ["https://www.googleapis.com/auth/calendar"],
  lastSyncAt: "2026-11-25T14:15:00+01:00",
  lastError: null,
  createdAt: "2026-10-01T09:00:00+02:00",
  nextSyncAt: "2026-11-25T14:30:00+01:00",
  calendarId: "primary",
  pushCrmEvents: true,
};
const zoomNeedingReauth: Connection = {
  id: "7a2d3e4f-5b6c-4d7e-9f80-a1b2c3d4e5f6",
  provider: "zoom",
  accountEmail: "camille@zoom.dupont.fr",
  status: "needs_reauth",
  scopes: ["meeting:read"],
  lastSyncAt: null,
  lastError: "invalid_grant: the refresh token was revoked",
  createdAt: "2026-10-01T09:00:00+02:00",
  nextSyncAt: null,
  calendarId: null,
  pushCrmEvents: false,
};

function row(name: string): HTMLElement {
  return screen.getByRole("listitem", { name });
}

describe("ConnectionsPanel", () => {
  it("lists each provider with its account, state and last sync, and links unconnected ones to their consent page", async () => {
    window.history.replaceState(null, "", "/settings/agenda?tab=accounts");
    const server = createFakeAgendaFetch({ connections: [google] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    expect(screen.getByRole("status").textContent).toBe("Chargement des comptes…");
    const googleRow = await screen.findByRole("listitem", { name: "Google" });
    expect(googleRow.dataset.status).toBe("active");
    expect(googleRow.textContent).toContain("camille@dupont.fr");
    expect(googleRow.textContent).toContain("Connecté");
    expect(googleRow.textContent).toContain("Dernière synchronisation il y a 5 minutes");
    expect(within(googleRow).queryByRole("link")).toBeNull();

    const zoomRow = row("Zoom");
    expect(zoomRow.dataset.status).toBe("disconnected");
    expect(zoomRow.textContent).toContain("Non connecté");
    expect(within(zoomRow).getByRole("link", { name: "Connecter Zoom" }).getAttribute("href")).toBe(
      "/api/agenda/oauth/zoom/start?returnTo=%2Fsettings%2Fagenda%3Ftab%3Daccounts",
    );
    expect(
      within(row("Microsoft")).getByRole("link", { name: "Connecter Microsoft" }).getAttribute("href"),
    ).toBe("/api/agenda/oauth/microsoft/start?returnTo=%2Fsettings%2Fagenda%3Ftab%3Daccounts");
    expect(server.requests).toEqual([
      "GET /api/agenda/connections",
      `GET /api/agenda/connections/${google.id}/calendars`,
    ]);
  });

  it("shows when a calendar syncs next, and nothing of the kind for an account without a calendar", async () => {
    const server = createFakeAgendaFetch({ connections: [google, zoomNeedingReauth] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    const googleRow = await screen.findByRole("listitem", { name: "Google" });
    const next = googleRow.querySelector(".agenda-connection-next-sync time");
    expect(next?.textContent).toBe("Prochaine synchronisation dans 10 minutes");
    expect(next?.getAttribute("dateTime")).toBe(google.nextSyncAt);
    expect(row("Zoom").textContent).not.toContain("Prochaine synchronisation");
  });

  it("says the next sync in English", async () => {
    const server = createFakeAgendaFetch({ connections: [google] });
    render(
      <AgendaProvider
        baseUrl="/api/agenda"
        fetch={server.fetch}
        locale="en"
        messages={englishMessages}
        timeZone="Europe/Paris"
      >
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    const googleRow = await screen.findByRole("listitem", { name: "Google" });
    expect(googleRow.textContent).toContain("Next sync in 10 minutes");
  });

  it("lists the account's calendars, switches the synced one and the sending of CRM events", async () => {
    const server = createFakeAgendaFetch({
      connections: [google],
      calendars: {
        [google.id]: [
          { id: "camille@dupont.fr", name: "Camille Dupont", primary: true },
          { id: "ventes@group.calendar.google.com", name: "Ventes", primary: false },
        ],
      },
    });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    const googleRow = await screen.findByRole("listitem", { name: "Google" });
    const select = within(googleRow).getByRole("combobox", {
      name: "Calendrier synchronisé",
    }) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe("camille@dupont.fr"));
    expect(
      within(select)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Camille Dupont", "Ventes"]);
    const toggle = within(googleRow).getByRole("checkbox", {
      name: "Envoyer les rendez-vous du CRM vers ce calendrier",
    }) as HTMLInputElement;
    expect(toggle.checked).toBe(true);

    fireEvent.change(select, { target: { value: "ventes@group.calendar.google.com" } });
    await waitFor(() => expect(server.connections[0]!.calendarId).toBe("ventes@group.calendar.google.com"));
    await waitFor(() => expect(select.value).toBe("ventes@group.calendar.google.com"));
    expect(server.requests).toContain(`PATCH /api/agenda/connections/${google.id}`);

    fireEvent.click(toggle);
    await waitFor(() => expect(server.connections[0]!.pushCrmEvents).toBe(false));
    await waitFor(() => expect(toggle.checked).toBe(false));
  });

  it("says why a calendar setting was refused", async () => {
    const server = createFakeAgendaFetch({
      connections: [google],
      calendars: { [google.id]: [{ id: "camille@dupont.fr", name: "Camille Dupont", primary: true }] },
      writeFailure: { status: 503, body: { error: { code: "unavailable", message: "Google is down" } } },
    });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} locale="en" messages={englishMessages}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    const googleRow = await screen.findByRole("listitem", { name: "Google" });
    fireEvent.click(within(googleRow).getByRole("checkbox", { name: "Send CRM events to this calendar" }));
    const alert = await within(googleRow).findByRole("alert");
    expect(alert.textContent).toContain("The setting could not be saved.");
    expect(server.connections[0]!.pushCrmEvents).toBe(true);
  });

  it("offers only the providers asked for, in English, coming back to the given page", async () => {
    const server = createFakeAgendaFetch({ connections: [] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} locale="en" messages={englishMessages}>
        <ConnectionsPanel providers={["microsoft"]} returnTo="/crm/settings" now={now} />
      </AgendaProvider>,
    );

    const link = await screen.findByRole("link", { name: "Connect Microsoft" });
    expect(link.getAttribute("href")).toBe("/api/agenda/oauth/microsoft/start?returnTo=%2Fcrm%2Fsettings");
    expect(screen.getAllByRole("listitem")).toHaveLength(1);
  });

  it("highlights Reconnect and shows the last error when the provider refused our tokens", async () => {
    const server = createFakeAgendaFetch({ connections: [zoomNeedingReauth, google] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} locale="en" messages={englishMessages}>
        <ConnectionsPanel now={now} returnTo="/settings" />
      </AgendaProvider>,
    );

    const zoomRow = await screen.findByRole("listitem", { name: "Zoom" });
    expect(zoomRow.dataset.status).toBe("needs_reauth");
    expect(zoomRow.textContent).toContain("Needs reconnecting: access expired or was removed");
    expect(zoomRow.textContent).toContain("Last error: invalid_grant: the refresh token was revoked");
    expect(zoomRow.textContent).toContain("Not synced yet");
    const reconnect = within(zoomRow).getByRole("link", { name: "Reconnect" });
    expect(reconnect.hasAttribute("data-highlighted")).toBe(true);
    expect(reconnect.getAttribute("href")).toBe("/api/agenda/oauth/zoom/start?returnTo=%2Fsettings");
    expect(within(row("Google")).queryByRole("link", { name: "Reconnect" })).toBeNull();
  });

  it("disconnects after confirmation, removing the account at once", async () => {
    const server = createFakeAgendaFetch({ connections: [google], delayMs: 300 });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );
    const googleRow = await screen.findByRole("listitem", { name: "Google" });

    fireEvent.click(within(googleRow).getByRole("button", { name: "Déconnecter" }));
    expect(server.requests).not.toContain(`DELETE /api/agenda/connections/${google.id}`);
    const confirm = within(googleRow).getByRole("button", { name: "Confirmer la déconnexion" });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);

    // Gone before the server has answered.
    await waitFor(() => expect(row("Google").textContent).not.toContain("camille@dupont.fr"));
    expect(server.connections).toHaveLength(1);
    await waitFor(() => expect(server.connections).toHaveLength(0));
    expect(server.requests).toContain(`DELETE /api/agenda/connections/${google.id}`);
    expect(within(row("Google")).getByRole("link", { name: "Connecter Google" })).toBeTruthy();
  });

  it("keeps the account and says why when the server refuses to disconnect it", async () => {
    const server = createFakeAgendaFetch({
      connections: [google],
      delayMs: 300,
      writeFailure: { status: 500, body: { error: { code: "internal", message: "Revocation failed" } } },
    });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );
    const googleRow = await screen.findByRole("listitem", { name: "Google" });

    fireEvent.click(within(googleRow).getByRole("button", { name: "Déconnecter" }));
    fireEvent.click(within(googleRow).getByRole("button", { name: "Confirmer la déconnexion" }));
    await waitFor(() => expect(row("Google").textContent).not.toContain("camille@dupont.fr"));

    const alert = await within(row("Google")).findByRole("alert");
    expect(alert.textContent).toBe(
      "camille@dupont.fr n’a pas pu être déconnecté. Une erreur inattendue s’est produite.",
    );
    expect(row("Google").textContent).toContain("camille@dupont.fr");
    expect(within(row("Google")).getByRole("button", { name: "Déconnecter" })).toBeTruthy();
  });

  it("says the account is connected after the consent screen, then clears the flags from the address", async () => {
    window.history.replaceState(
      { from: "crm" },
      "",
      "/settings?tab=accounts&agendaConnection=connected&provider=google#agenda",
    );
    const server = createFakeAgendaFetch({ connections: [google] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );

    await screen.findByRole("list");
    const notice = screen.getByRole("status");
    expect(notice.textContent).toBe("Votre compte Google est connecté.");
    expect(notice.dataset.result).toBe("connected");
    expect(`${window.location.pathname}${window.location.search}${window.location.hash}`).toBe(
      "/settings?tab=accounts#agenda",
    );
    expect(window.history.state).toEqual({ from: "crm" });
    // The page to come back to next time has no stale flags either.
    const link = await screen.findByRole("link", { name: "Connecter Zoom" });
    expect(link.getAttribute("href")).toContain("returnTo=%2Fsettings%3Ftab%3Daccounts%23agenda");

    fireEvent.click(screen.getByRole("button", { name: "Fermer le message" }));
    expect(screen.queryByText("Votre compte Google est connecté.")).toBeNull();
  });

  it("alerts in plain words when consent was refused or the connection failed", async () => {
    window.history.replaceState(
      null,
      "",
      "/settings?agendaConnection=error&provider=microsoft&reason=invalid_state",
    );
    const server = createFakeAgendaFetch({ connections: [] });
    const { unmount } = render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} locale="en" messages={englishMessages}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );
    expect(screen.getByRole("alert").textContent).toBe(
      "Connecting Microsoft did not work. Try again in a moment. Reason: invalid_state",
    );
    expect(window.location.search).toBe("");
    unmount();

    window.history.replaceState(
      null,
      "",
      "/settings?agendaConnection=denied&provider=zoom&reason=access_denied",
    );
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toBe("La connexion à Zoom a été annulée : l’accès n’a pas été accordé.");
    expect(alert.dataset.result).toBe("denied");
  });

  it("leaves a page without the flags alone", async () => {
    window.history.replaceState(null, "", "/settings?provider=google");
    const server = createFakeAgendaFetch({ connections: [] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch}>
        <ConnectionsPanel now={now} />
      </AgendaProvider>,
    );
    await screen.findByRole("list");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("status")).toBeNull();
    expect(window.location.search).toBe("?provider=google");
  });
});
