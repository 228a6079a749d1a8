// @vitest-environment jsdom
import type { CalendarEvent, CrmClient } from "@crm-agenda/shared";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeSummaryFetch, type FakeSummaryOptions } from "../_internal/createFakeSummaryFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { useEvents } from "../queries/useEvents";
import { ClientPicker } from "./ClientPicker";

afterEach(cleanup);

const week = { from: "2026-11-22T23:00:00.000Z", to: "2026-11-29T23:00:00.000Z" };
const call: CalendarEvent = makeEvent({
  id: "2b7d9c1e-3f4a-4b5c-8d6e-7f8091a2b3c4",
  title: "Négociation contrat",
  start: "2026-11-25T08:00:00.000Z",
  end: "2026-11-25T09:00:00.000Z",
  source: "zoom",
  clientMatch: { clientId: "client-dupont", clientName: "Dupont SA", method: "auto" },
});
const clients: CrmClient[] = [
  { id: "client-dupont", name: "Dupont SA", emails: ["jean@dupont.fr"] },
  { id: "client-martin", name: "Martin & Fils", emails: ["contact@martin-fils.fr"] },
  { id: "client-marty", name: "Marty Conseil", emails: [] },
];

/** The picker fed from the cached week, as the agenda's dialog feeds it. */
function PickerOfCachedEvent() {
  const events = useEvents(week);
  const event = events.data?.events.find((candidate) => candidate.id === call.id);
  return event === undefined ? null : <ClientPicker event={event} debounceMs={10} />;
}

function renderPicker(options: Omit<FakeSummaryOptions, "agenda" | "clients">) {
  const server = createFakeSummaryFetch({
    agenda: { events: [call] },
    clients,
    writeDelayMs: 40,
    ...options,
  });
  render(
    <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
      <PickerOfCachedEvent />
    </AgendaProvider>,
  );
  return server;
}

function shownMatch(): string {
  return document.querySelector(".agenda-client-picker > p")?.textContent ?? "";
}

describe("ClientPicker", () => {
  it("shows the client found from the attendees, searches as one types and saves the choice at once", async () => {
    const server = renderPicker({});
    await screen.findByText("Dupont SA");
    expect(shownMatch()).toBe("Dupont SA — trouvé d’après les e-mails des participants");

    fireEvent.click(screen.getByRole("button", { name: "Changer de client" }));
    const combobox = screen.getByRole("combobox", { name: "Rechercher un client du CRM" });
    expect(document.activeElement).toBe(combobox);
    fireEvent.change(combobox, { target: { value: "mar" } });
    fireEvent.change(combobox, { target: { value: "mart" } });

    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("2 clients trouvés"));
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual([
      "Martin & Filscontact@martin-fils.fr",
      "Marty Conseil",
    ]);
    // Typing fast sends one search, for what was typed last.
    expect(server.requests.filter((request) => request.includes("/clients"))).toEqual([
      "GET /api/agenda/clients?q=mart",
    ]);

    fireEvent.keyDown(combobox, { key: "ArrowDown" });
    expect(combobox.getAttribute("aria-activedescendant")).toBe(
      screen.getByRole("option", { name: /Martin & Fils/ }).id,
    );
    fireEvent.keyDown(combobox, { key: "Enter" });

    // Shown before the server has it.
    await waitFor(() => expect(shownMatch()).toBe("Martin & Fils — choisi à la main"));
    expect(server.events[0]?.clientMatch.clientName).toBe("Dupont SA");
    expect(screen.queryByRole("combobox")).toBeNull();
    await waitFor(() => expect(server.requests).toContain(`PUT /api/agenda/events/${call.id}/client`));
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Changer de client" })).toHaveProperty("disabled", false),
    );
    expect(shownMatch()).toBe("Martin & Fils — choisi à la main");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("chooses with the pointer and clears the client", async () => {
    const server = renderPicker({});
    fireEvent.click(await screen.findByRole("button", { name: "Changer de client" }));
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "Marty" } });
    fireEvent.click(await screen.findByRole("option", { name: /Marty Conseil/ }));
    await waitFor(() => expect(shownMatch()).toBe("Marty Conseil — choisi à la main"));
    expect(server.events[0]?.clientMatch.clientName).toBe("Dupont SA");
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Retirer le client" })).toHaveProperty("disabled", false),
    );

    expect(server.events[0]?.clientMatch).toEqual({
      clientId: "client-marty",
      clientName: "Marty Conseil",
      method: "manual",
    });

    fireEvent.click(screen.getByRole("button", { name: "Retirer le client" }));

    await waitFor(() => expect(shownMatch()).toBe("Aucun client associé"));
    expect(server.events[0]?.clientMatch.clientId).toBe("client-marty");
    expect(screen.queryByRole("button", { name: "Retirer le client" })).toBeNull();
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Associer un client" })).toHaveProperty("disabled", false),
    );
    expect(server.events[0]?.clientMatch).toEqual({ clientId: null, clientName: null, method: "none" });
    expect(server.requests.filter((request) => request.startsWith("PUT"))).toHaveLength(2);
  });

  it("puts the previous client back and says why when the server refuses the choice", async () => {
    renderPicker({
      setClientFailure: {
        status: 422,
        body: { error: { code: "unprocessable", message: "No CRM client client-martin" } },
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Changer de client" }));
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "Martin" } });
    fireEvent.click(await screen.findByRole("option", { name: /Martin & Fils/ }));
    await waitFor(() => expect(shownMatch()).toBe("Martin & Fils — choisi à la main"));

    expect((await screen.findByRole("alert")).textContent).toBe(
      "Le client n’a pas pu être enregistré. Ce client est introuvable dans le CRM.",
    );
    expect(shownMatch()).toBe("Dupont SA — trouvé d’après les e-mails des participants");
  });

  it("says when nothing matches, and Escape closes the search and gives focus back", async () => {
    renderPicker({});
    fireEvent.click(await screen.findByRole("button", { name: "Changer de client" }));
    const combobox = screen.getByRole("combobox");
    fireEvent.change(combobox, { target: { value: "Zorglub" } });
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Aucun client ne correspond."));
    expect(combobox.getAttribute("aria-expanded")).toBe("false");

    fireEvent.keyDown(combobox, { key: "Escape" });

    expect(screen.queryByRole("combobox")).toBeNull();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("button", { name: "Changer de client" })),
    );
  });
});
