// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAgendaFetch } from "../_internal/createFakeAgendaFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { Agenda } from "./Agenda";

afterEach(cleanup);

const now = new Date("2026-11-25T08:00:00+01:00");
const confirmed = makeEvent({
  id: "4d9f1e3a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
  title: "Revue de contrat",
  start: "2026-11-25T09:00:00+01:00",
  end: "2026-11-25T10:00:00+01:00",
  clientMatch: { clientId: "client-dupont", clientName: "Dupont SA", method: "auto" },
  attendance: "confirmed",
});
const cancelled = makeEvent({
  id: "5e0a2f4b-6c7d-4e8f-9a01-b2c3d4e5f6a7",
  title: "Point mensuel",
  start: "2026-11-25T11:00:00+01:00",
  end: "2026-11-25T12:00:00+01:00",
  clientMatch: { clientId: "client-martin", clientName: "Martin SARL", method: "auto" },
  attendance: "cancelled",
});

describe("the client's answer to a reminder", () => {
  it("marks the chip and says it in its name and in the dialog", async () => {
    const server = createFakeAgendaFetch({ events: [confirmed, cancelled] });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
        <Agenda now={now} defaultDate={now} defaultView="day" />
      </AgendaProvider>,
    );
    // Generous waits: the first render loads the events through the fake fetch, slow on a busy machine.
    const chip = await screen.findByRole(
      "button",
      { name: /^Revue de contrat,.*Confirmé par le client$/ },
      { timeout: 5_000 },
    );
    expect(chip.dataset.attendance).toBe("confirmed");
    const other = screen.getByRole("button", { name: /^Point mensuel,.*Annulé par le client$/ });
    expect(other.dataset.attendance).toBe("cancelled");

    fireEvent.click(chip);
    expect((await screen.findByRole("dialog", {}, { timeout: 5_000 })).textContent).toContain(
      "Confirmé par le client",
    );
  });
});
