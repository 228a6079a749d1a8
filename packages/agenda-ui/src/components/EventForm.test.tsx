// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAgendaFetch } from "../_internal/createFakeAgendaFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { EventForm } from "./EventForm";

afterEach(cleanup);

const draft = {
  start: new Date("2026-11-29T14:30:00+01:00"),
  end: new Date("2026-11-29T15:30:00+01:00"),
};

function renderForm(fetch: typeof globalThis.fetch, props: Parameters<typeof EventForm>[0] = { draft }) {
  return render(
    <AgendaProvider baseUrl="/api/agenda" fetch={fetch} timeZone="Europe/Paris">
      <EventForm {...props} />
    </AgendaProvider>,
  );
}

describe("EventForm", () => {
  it("writes dates and times in the agenda's French, in an English browser", () => {
    // jsdom speaks en-US, as an English browser would: a native date input would show 11/29/2026.
    expect(navigator.language).toBe("en-US");
    renderForm(createFakeAgendaFetch().fetch);

    expect(screen.getByLabelText<HTMLInputElement>("Début").value).toBe("29/11/2026");
    expect(screen.getByLabelText<HTMLInputElement>("Début : heure").value).toBe("14:30");
    expect(screen.getByLabelText<HTMLInputElement>("Fin").value).toBe("29/11/2026");
    expect(screen.getByLabelText<HTMLInputElement>("Fin : heure").value).toBe("15:30");
    expect(screen.getByLabelText<HTMLInputElement>("Début").placeholder).toBe("jj/mm/aaaa");
  });

  it("reads a typed date and time in the agenda's order and saves them", async () => {
    const server = createFakeAgendaFetch();
    renderForm(server.fetch);

    fireEvent.change(screen.getByLabelText("Titre"), { target: { value: "Point budget" } });
    // Typed one key at a time: the end keeps its hour from the start, even through "3/12/20" and "3/12/202".
    for (const typed of ["3", "3/12/2", "3/12/20", "3/12/202", "3/12/2026"]) {
      fireEvent.change(screen.getByLabelText("Début"), { target: { value: typed } });
    }
    fireEvent.change(screen.getByLabelText("Début : heure"), { target: { value: "9h15" } });
    // The end follows the start, keeping the hour's length, and is written back in French.
    expect(screen.getByLabelText<HTMLInputElement>("Fin").value).toBe("03/12/2026");
    expect(screen.getByLabelText<HTMLInputElement>("Fin : heure").value).toBe("10:15");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));

    await waitFor(() => expect(server.events).toHaveLength(1));
    expect(server.events[0]).toMatchObject({
      title: "Point budget",
      start: "2026-12-03T08:15:00.000Z",
      end: "2026-12-03T09:15:00.000Z",
      timeZone: "Europe/Paris",
    });
  });

  it("says how to write the date when it cannot be read, and saves nothing", async () => {
    const server = createFakeAgendaFetch();
    renderForm(server.fetch);

    fireEvent.change(screen.getByLabelText("Titre"), { target: { value: "Point budget" } });
    // Month first, as an English browser would write it: no 29th month in a French agenda.
    fireEvent.change(screen.getByLabelText("Début"), { target: { value: "11/29/2026" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));

    const start = screen.getByLabelText("Début");
    expect(start.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(start.getAttribute("aria-describedby") ?? "");
    expect(message?.textContent).toBe("Date ou heure non reconnue : écrivez jj/mm/aaaa et hh:mm.");
    expect(server.requests.filter((request) => request.startsWith("POST"))).toEqual([]);
  });

  it("finds a time zone as one types, chooses it with the keyboard, and saves the times in it", async () => {
    const server = createFakeAgendaFetch();
    renderForm(server.fetch);
    const zone = screen.getByRole("combobox", { name: "Fuseau horaire" });
    expect((zone as HTMLInputElement).value).toBe("Europe/Paris");

    fireEvent.change(zone, { target: { value: "new y" } });
    const list = screen.getByRole("listbox", { name: "Fuseau horaire" });
    expect(
      within(list)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["America/New York"]);
    fireEvent.keyDown(zone, { key: "Enter" });
    expect(screen.queryByRole("listbox")).toBeNull();
    expect((zone as HTMLInputElement).value).toBe("America/New York");

    // The same wall-clock time, now in New York; the agenda's own time is said beside it.
    expect(screen.getByText(/^Heures en America\/New_York, soit 29 nov\. 20:30 – 21:30/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Titre"), { target: { value: "Appel New York" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await waitFor(() => expect(server.events).toHaveLength(1));
    expect(server.events[0]).toMatchObject({
      start: "2026-11-29T19:30:00.000Z",
      timeZone: "America/New_York",
    });
  });

  it("says so when no zone matches, and Escape closes the list", () => {
    renderForm(createFakeAgendaFetch().fetch);
    const zone = screen.getByRole("combobox", { name: "Fuseau horaire" });
    fireEvent.change(zone, { target: { value: "atlantide" } });
    expect(screen.getByRole("status").textContent).toBe("Aucun fuseau horaire ne correspond.");
    fireEvent.keyDown(zone, { key: "Escape" });
    expect(zone.getAttribute("aria-expanded")).toBe("false");
  });

  it("edits an event in its own zone and shows that zone", () => {
    const event = makeEvent({
      id: "5e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
      title: "Appel Tokyo",
      start: "2026-11-30T01:00:00.000Z",
      end: "2026-11-30T02:00:00.000Z",
      timeZone: "Asia/Tokyo",
    });
    renderForm(createFakeAgendaFetch({ events: [event] }).fetch, { event });

    expect(screen.getByLabelText<HTMLInputElement>("Début").value).toBe("30/11/2026");
    expect(screen.getByLabelText<HTMLInputElement>("Début : heure").value).toBe("10:00");
    expect(screen.getByRole<HTMLInputElement>("combobox", { name: "Fuseau horaire" }).value).toBe(
      "Asia/Tokyo",
    );
    expect(
      screen.getByText(
        "Heures en Asia/Tokyo, soit 30 nov. 02:00 – 03:00 à l’heure de l’agenda (Europe/Paris).",
      ),
    ).toBeTruthy();
  });
});
