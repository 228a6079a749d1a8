// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeAgendaFetch } from "../_internal/createFakeAgendaFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { Agenda } from "./Agenda";

afterEach(cleanup);

const now = new Date("2026-11-25T14:20:00+01:00");
const review = makeEvent({
  id: "3c8e0d2f-4a5b-4c6d-9e7f-8091a2b3c4d5",
  title: "Revue du pipeline",
  start: "2026-11-24T16:00:00+01:00",
  end: "2026-11-24T17:00:00+01:00",
  source: "google",
});
const fair = makeEvent({
  id: "4d9f1e30-5b6c-4d7e-8f90-a1b2c3d4e5f6",
  title: "Salon CRM",
  start: "2026-11-24T00:00:00+01:00",
  end: "2026-11-27T00:00:00+01:00",
  allDay: true,
});

function renderAgenda(fetch: typeof globalThis.fetch, props: Parameters<typeof Agenda>[0] = {}) {
  return render(
    <AgendaProvider baseUrl="/api/agenda" fetch={fetch} timeZone="Europe/Paris">
      <Agenda now={now} defaultDate={now} {...props} />
    </AgendaProvider>,
  );
}

describe("Agenda views", () => {
  it("switches between day, week, month and list, fetching each range", async () => {
    const onViewChange = vi.fn();
    const server = createFakeAgendaFetch({ events: [review, fair] });
    renderAgenda(server.fetch, { onViewChange });
    const views = screen.getByRole("group", { name: "Affichage" });
    expect(within(views).getByRole("button", { name: "Semaine" }).getAttribute("aria-pressed")).toBe("true");

    fireEvent.click(within(views).getByRole("button", { name: "Jour" }));
    expect(await screen.findByRole("grid", { name: "Journée du mercredi 25 novembre 2026" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Jour suivant" })).toBeTruthy();

    fireEvent.click(within(views).getByRole("button", { name: "Mois" }));
    const month = await screen.findByRole("grid", { name: "Mois de novembre 2026" });
    expect(within(month).getAllByRole("gridcell")).toHaveLength(42);
    expect(
      await within(month).findByRole("button", {
        name: /^Salon CRM, mardi 24 novembre 2026 – jeudi 26 novembre 2026/,
      }),
    ).toBeTruthy();

    fireEvent.click(within(views).getByRole("button", { name: "Planning" }));
    const list = await screen.findByRole("region", { name: "Planning du 23 – 29 nov. 2026" });
    // The fair is listed on each of its three days, the review on Tuesday.
    expect(await within(list).findAllByRole("button", { name: /^Salon CRM/ })).toHaveLength(3);
    const tuesday = within(list).getByRole("region", { name: "mardi 24 novembre 2026" });
    expect(
      within(tuesday)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["Salon CRM Toute la journée ", "Revue du pipeline 16:00 – 17:00 "]);

    expect(onViewChange.mock.calls.map(([view]) => view)).toEqual(["day", "month", "list"]);
    expect(server.requests).toContain(
      "GET /api/agenda/events?from=2026-10-25T23%3A00%3A00.000Z&to=2026-12-06T23%3A00%3A00.000Z",
    );
  });

  it("shows the controlled view and leaves the change to the host", async () => {
    const onViewChange = vi.fn();
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch, { view: "month", onViewChange, views: ["week", "month"] });

    fireEvent.click(screen.getByRole("button", { name: "Semaine" }));

    expect(onViewChange).toHaveBeenCalledWith("week");
    expect(screen.getByRole("grid", { name: "Mois de novembre 2026" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Jour" })).toBeNull();
  });

  it("opens a full day's list from +N more when a month cell overflows, and returns focus on close", async () => {
    const busyDay = Array.from({ length: 6 }, (_, index) =>
      makeEvent({
        id: `5e0a2f41-6c7d-4e8f-9a01-${String(index).padStart(12, "0")}`,
        title: `Rendez-vous ${index + 1}`,
        start: `2026-11-12T${String(9 + index).padStart(2, "0")}:00:00+01:00`,
        end: `2026-11-12T${String(9 + index).padStart(2, "0")}:30:00+01:00`,
      }),
    );
    const server = createFakeAgendaFetch({ events: busyDay });
    renderAgenda(server.fetch, { defaultView: "month" });

    // Three lines fit where nothing can be measured: two events and "+4 autres".
    const more = await screen.findByRole("button", { name: "4 autres événements le jeudi 12 novembre 2026" });
    expect(more.textContent).toBe("+4 autres");
    const cell = more.closest<HTMLElement>('[role="gridcell"]')!;
    expect(within(cell).getAllByRole("button", { name: /^Rendez-vous/ })).toHaveLength(2);

    more.focus();
    fireEvent.click(more);
    const dialog = await screen.findByRole("dialog", { name: "jeudi 12 novembre 2026" });
    expect(within(dialog).getAllByRole("button", { name: /^Rendez-vous/ })).toHaveLength(6);
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(more));
  });

  it("moves through the month with the arrow keys and to the next month with PageDown", async () => {
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch, { defaultView: "month" });
    const today = await screen.findByRole("gridcell", { name: /^mercredi 25 novembre 2026/ });
    expect(today.tabIndex).toBe(0);
    today.focus();

    fireEvent.keyDown(today, { key: "ArrowDown" });
    expect(document.activeElement?.getAttribute("data-date")).toBe("2026-12-02");
    fireEvent.keyDown(document.activeElement!, { key: "Home" });
    expect(document.activeElement?.getAttribute("data-date")).toBe("2026-11-30");
    fireEvent.keyDown(document.activeElement!, { key: "PageDown" });
    expect(await screen.findByRole("grid", { name: "Mois de décembre 2026" })).toBeTruthy();
  });

  it("moves an event with Alt + arrows, then puts it back and says why when the server refuses", async () => {
    const server = createFakeAgendaFetch({
      events: [review],
      delayMs: 50,
      writeFailure: { status: 409, body: { error: { code: "conflict", message: "Changed meanwhile" } } },
    });
    renderAgenda(server.fetch);
    const event = await screen.findByRole("button", { name: /^Revue du pipeline, 16:00 – 17:00/ });
    event.focus();

    fireEvent.keyDown(event, { key: "ArrowDown", altKey: true });
    const moved = await screen.findByRole("button", { name: /^Revue du pipeline, 16:15 – 17:15/ });
    expect(document.activeElement).toBe(moved);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "« Revue du pipeline » n’a pas pu être déplacé. Cet événement a été modifié entre-temps. Rechargez-le, puis réessayez.",
    );
    expect(await screen.findByRole("button", { name: /^Revue du pipeline, 16:00 – 17:00/ })).toBeTruthy();
    expect(server.requests).toContain(`PATCH /api/agenda/events/${review.id}`);
  });

  it("moves an event to the next day with Alt + right arrow, keeping its time and its own zone", async () => {
    const server = createFakeAgendaFetch({ events: [review] });
    renderAgenda(server.fetch);
    const event = await screen.findByRole("button", { name: /^Revue du pipeline, 16:00 – 17:00/ });
    event.focus();

    fireEvent.keyDown(event, { key: "ArrowRight", altKey: true });

    await waitFor(() =>
      expect(server.events[0]).toMatchObject({
        start: "2026-11-25T15:00:00.000Z",
        end: "2026-11-25T16:00:00.000Z",
        timeZone: "Europe/Paris",
      }),
    );
    expect(
      screen.getByRole("button", { name: /^Revue du pipeline, 16:00 – 17:00, mercredi 25 novembre 2026$/ }),
    ).toBeTruthy();
  });
});
