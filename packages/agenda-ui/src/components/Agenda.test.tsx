// @vitest-environment jsdom
import type { Connection } from "@crm-agenda/shared";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeAgendaFetch } from "../_internal/createFakeAgendaFetch";
import { makeEvent } from "../_internal/makeEvent";
import { AgendaProvider } from "../AgendaProvider";
import { Agenda } from "./Agenda";

afterEach(cleanup);

const now = new Date("2026-11-25T14:20:00+01:00");
const negotiation = makeEvent({
  id: "2b7d9c1e-3f4a-4b5c-8d6e-7f8091a2b3c4",
  title: "Négociation contrat — Dupont SA",
  start: "2026-11-25T09:00:00+01:00",
  end: "2026-11-25T10:00:00+01:00",
  source: "zoom",
  clientMatch: { clientId: "client-dupont", clientName: "Dupont SA", method: "auto" },
  summaryStatus: "ready",
});
const review = makeEvent({
  id: "3c8e0d2f-4a5b-4c6d-9e7f-8091a2b3c4d5",
  title: "Revue du pipeline",
  start: "2026-11-24T16:00:00+01:00",
  end: "2026-11-24T17:00:00+01:00",
  source: "google",
  summaryStatus: "pending",
});

function renderAgenda(fetch: typeof globalThis.fetch, props: Parameters<typeof Agenda>[0] = {}) {
  return render(
    <AgendaProvider baseUrl="/api/agenda" fetch={fetch} timeZone="Europe/Paris">
      <Agenda now={now} defaultDate={now} {...props} />
    </AgendaProvider>,
  );
}

/** jsdom lays nothing out; give the day column a height so a click lands on a time. */
function giveHeight(element: HTMLElement, height: number) {
  element.getBoundingClientRect = () => ({
    top: 0,
    left: 0,
    width: 100,
    height,
    bottom: height,
    right: 100,
    x: 0,
    y: 0,
    toJSON: () => ({}),
  });
}

describe("Agenda", () => {
  it("shows loading, then each event as a button named by its title and full date and time", async () => {
    const server = createFakeAgendaFetch({ events: [negotiation, review] });
    renderAgenda(server.fetch);

    expect(screen.getByRole("status")).toHaveProperty("textContent", "Chargement de l’agenda…");
    const event = await screen.findByRole("button", {
      name: "Négociation contrat — Dupont SA, 09:00 – 10:00, mercredi 25 novembre 2026, Résumé prêt",
    });

    expect(event.dataset.source).toBe("zoom");
    expect(event.hasAttribute("data-summary-ready")).toBe(true);
    expect(
      screen.getByRole("button", { name: /^Revue du pipeline, 16:00 – 17:00, mardi 24 novembre 2026$/ })
        .dataset.source,
    ).toBe("google");
    expect(screen.getByRole("grid", { name: "Semaine du 23 – 29 nov. 2026" })).toBeTruthy();
    expect(server.requests).toContain(
      "GET /api/agenda/events?from=2026-11-22T23%3A00%3A00.000Z&to=2026-11-29T23%3A00%3A00.000Z",
    );
  });

  it("says why the week could not be loaded and loads it again on retry", async () => {
    let refuse = true;
    const server = createFakeAgendaFetch({ events: [review] });
    const fetch: typeof globalThis.fetch = async (input, init) =>
      refuse
        ? new Response(JSON.stringify({ error: { code: "forbidden", message: "No access" } }), {
            status: 403,
            headers: { "content-type": "application/json" },
          })
        : server.fetch(input, init);
    renderAgenda(fetch);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Vous n’avez pas accès à cet agenda.");

    refuse = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Réessayer" }));

    expect(await screen.findByRole("button", { name: /^Revue du pipeline,/ })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("opens a new event at the clicked half hour, one hour long", async () => {
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch);
    await screen.findByRole("grid");
    const thursday = document.querySelector<HTMLElement>('[role="gridcell"][data-date="2026-11-26"]')!;
    giveHeight(thursday, 2400);

    // 1450 of 2400 px is 14:30 and a bit: the slot starts at 14:30.
    fireEvent.click(thursday, { clientY: 1450 });

    const dialog = await screen.findByRole("dialog", { name: "Nouvel événement" });
    expect(within(dialog).getByLabelText<HTMLInputElement>("Début").value).toBe("26/11/2026");
    expect(within(dialog).getByLabelText<HTMLInputElement>("Début : heure").value).toBe("14:30");
    expect(within(dialog).getByLabelText<HTMLInputElement>("Fin : heure").value).toBe("15:30");
  });

  it("moves between days with the arrow keys and creates an event with Enter", async () => {
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch);
    await screen.findByRole("grid");
    const wednesday = document.querySelector<HTMLElement>('[role="gridcell"][data-date="2026-11-25"]')!;
    // Today's column is the one in the tab order.
    expect(wednesday.tabIndex).toBe(0);

    wednesday.focus();
    fireEvent.keyDown(wednesday, { key: "ArrowRight" });
    const thursday = document.querySelector<HTMLElement>('[role="gridcell"][data-date="2026-11-26"]')!;
    expect(document.activeElement).toBe(thursday);
    fireEvent.keyDown(thursday, { key: "Enter" });

    const dialog = await screen.findByRole("dialog", { name: "Nouvel événement" });
    expect(within(dialog).getByLabelText<HTMLInputElement>("Début").value).toBe("26/11/2026");
    expect(within(dialog).getByLabelText<HTMLInputElement>("Début : heure").value).toBe("09:00");
  });

  it("creates the event through the server and closes the dialog", async () => {
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch);
    await screen.findByRole("grid");
    const thursday = document.querySelector<HTMLElement>('[role="gridcell"][data-date="2026-11-26"]')!;
    giveHeight(thursday, 2400);
    fireEvent.click(thursday, { clientY: 1000 });
    const dialog = await screen.findByRole("dialog");

    fireEvent.change(within(dialog).getByLabelText("Titre"), { target: { value: "Appel découverte" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Enregistrer" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.events).toMatchObject([
      {
        title: "Appel découverte",
        start: "2026-11-26T09:00:00.000Z",
        end: "2026-11-26T10:00:00.000Z",
        timeZone: "Europe/Paris",
      },
    ]);
    expect(
      await screen.findByRole("button", {
        name: /^Appel découverte, 10:00 – 11:00, jeudi 26 novembre 2026$/,
      }),
    ).toBeTruthy();
  });

  it("offers the video calls the user's accounts can make and asks the server for the one chosen", async () => {
    const connection = {
      accountEmail: "camille@dupont-sa.fr",
      status: "active",
      scopes: [] as string[],
      lastSyncAt: null,
      lastError: null,
      createdAt: "2026-10-01T09:00:00+02:00",
      nextSyncAt: null,
    } satisfies Partial<Connection>;
    const server = createFakeAgendaFetch({
      events: [],
      connections: [
        {
          ...connection,
          id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
          provider: "zoom",
          calendarId: null,
          pushCrmEvents: false,
        },
        // Google does not receive the CRM's events, so no Meet link could be made there.
        {
          ...connection,
          id: "7a2d3e4f-5b6c-4d7e-9f80-a1b2c3d4e5f6",
          provider: "google",
          calendarId: "primary",
          pushCrmEvents: false,
        },
      ],
    });
    renderAgenda(server.fetch);
    await screen.findByRole("grid");
    fireEvent.click(screen.getByRole("button", { name: "Nouvel événement" }));
    const dialog = await screen.findByRole("dialog", { name: "Nouvel événement" });
    const call = await within(dialog).findByLabelText<HTMLSelectElement>("Visioconférence");
    expect([...call.options].map((option) => option.text)).toEqual(["Aucune", "Réunion Zoom"]);

    fireEvent.change(within(dialog).getByLabelText("Titre"), { target: { value: "Démo produit" } });
    fireEvent.change(call, { target: { value: "zoom" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Enregistrer" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.events).toMatchObject([{ title: "Démo produit", conference: { provider: "zoom" } }]);
  });

  it("links an event to its call, and only to a web address", async () => {
    const withZoom = makeEvent({
      ...review,
      conference: {
        provider: "zoom",
        joinUrl: "https://us02web.zoom.us/j/81234567890",
        meetingId: "81234567890",
      },
    });
    const forged = makeEvent({
      ...negotiation,
      conference: { provider: "other", joinUrl: "javascript:alert(1)" },
    });
    const pending = makeEvent({
      id: "4d9f1e30-5b6c-4d7e-8f80-91a2b3c4d5e6",
      title: "Point d’équipe",
      start: "2026-11-26T11:00:00+01:00",
      end: "2026-11-26T11:30:00+01:00",
      conference: { provider: "meet" },
    });
    const server = createFakeAgendaFetch({ events: [withZoom, forged, pending] });
    renderAgenda(server.fetch);

    fireEvent.click(await screen.findByRole("button", { name: /^Revue du pipeline, 16:00/ }));
    let dialog = await screen.findByRole("dialog", { name: "Modifier l’événement" });
    const join = within(dialog).getByRole("link", { name: "Rejoindre : Réunion Zoom" });
    expect(join.getAttribute("href")).toBe("https://us02web.zoom.us/j/81234567890");
    expect(join.getAttribute("target")).toBe("_blank");
    expect(join.getAttribute("rel")).toBe("noopener noreferrer");
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    fireEvent.click(screen.getByRole("button", { name: /^Négociation contrat — Dupont SA, 09:00/ }));
    dialog = await screen.findByRole("dialog", { name: "Modifier l’événement" });
    expect(within(dialog).queryByRole("link", { name: /Rejoindre/ })).toBeNull();
    expect(within(dialog).getByRole("region", { name: "Visioconférence" }).textContent).not.toContain(
      "javascript",
    );
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    // Asked for, not made yet: a Meet link comes once Google has the event.
    fireEvent.click(screen.getByRole("button", { name: /^Point d’équipe, 11:00/ }));
    dialog = await screen.findByRole("dialog", { name: "Modifier l’événement" });
    expect(within(dialog).getByRole("region", { name: "Visioconférence" }).textContent).toBe(
      "VisioconférenceGoogle Meet : le lien arrive dès que l'agenda l'a créé.",
    );
  });

  it("opens an event with its CRM client and its call summary's state", async () => {
    const server = createFakeAgendaFetch({ events: [negotiation] });
    renderAgenda(server.fetch);

    fireEvent.click(await screen.findByRole("button", { name: /^Négociation contrat/ }));

    const dialog = await screen.findByRole("dialog", { name: "Modifier l’événement" });
    expect(within(dialog).getByLabelText<HTMLInputElement>("Titre").value).toBe(
      "Négociation contrat — Dupont SA",
    );
    expect(within(dialog).getByRole("region", { name: "Client" }).textContent).toContain("Dupont SA");
    expect(within(dialog).getByRole("region", { name: "Résumé de l’appel" }).textContent).toContain(
      "Le résumé est prêt.",
    );
  });

  it("keeps the dialog open with the server's message under the field it names when saving fails", async () => {
    const server = createFakeAgendaFetch({
      events: [negotiation],
      writeFailure: {
        status: 400,
        body: {
          error: {
            code: "validation_failed",
            message: "Invalid event",
            details: [{ path: "attendees.0.email", message: "must be an e-mail address" }],
          },
        },
      },
    });
    renderAgenda(server.fetch);
    fireEvent.click(await screen.findByRole("button", { name: /^Négociation contrat/ }));
    const dialog = await screen.findByRole("dialog");

    fireEvent.change(within(dialog).getByLabelText("Titre"), { target: { value: "Négociation signée" } });
    fireEvent.change(within(dialog).getByLabelText("Participants"), { target: { value: "achat@dupont.fr" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Enregistrer" }));

    expect((await within(dialog).findByRole("alert")).textContent).toContain(
      "Certains champs sont à corriger.",
    );
    const attendees = within(dialog).getByLabelText("Participants");
    expect(attendees.getAttribute("aria-invalid")).toBe("true");
    expect(attendees.getAttribute("aria-describedby")).toContain(
      dialog.querySelector(".agenda-field-error")?.id ?? "missing",
    );
    expect(dialog.querySelector(".agenda-field-error")?.textContent).toBe("must be an e-mail address");
    // The optimistic title went back once the server refused.
    expect(
      screen.getByRole("button", { name: /^Négociation contrat — Dupont SA,/, hidden: true }),
    ).toBeTruthy();
    expect(screen.getByRole("dialog")).toBe(dialog);
  });

  it("deletes an event after a confirmation click", async () => {
    const server = createFakeAgendaFetch({ events: [review] });
    renderAgenda(server.fetch);
    fireEvent.click(await screen.findByRole("button", { name: /^Revue du pipeline/ }));
    const dialog = await screen.findByRole("dialog");

    fireEvent.click(within(dialog).getByRole("button", { name: "Supprimer" }));
    expect(server.events).toHaveLength(1);
    fireEvent.click(within(dialog).getByRole("button", { name: "Confirmer la suppression" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.events).toEqual([]);
    expect(screen.queryByRole("button", { name: /^Revue du pipeline/ })).toBeNull();
  });

  it("moves by week and back to today, reporting each date", async () => {
    const onDateChange = vi.fn();
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch, { onDateChange });

    fireEvent.click(screen.getByRole("button", { name: "Semaine suivante" }));
    expect(screen.getByRole("heading", { name: "30 nov. – 6 déc. 2026" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Aujourd’hui" }));

    expect(screen.getByRole("heading", { name: "23 – 29 nov. 2026" })).toBeTruthy();
    expect(onDateChange).toHaveBeenCalledTimes(2);
    // The same moment a week on, so switching to the day view afterwards shows the same weekday.
    expect(onDateChange.mock.calls[0]?.[0].toISOString()).toBe("2026-12-02T13:20:00.000Z");
  });

  it("shows the week of a controlled date and only asks the host to change it", async () => {
    const onDateChange = vi.fn();
    const server = createFakeAgendaFetch({ events: [] });
    renderAgenda(server.fetch, { date: new Date("2026-10-21T12:00:00Z"), onDateChange });

    fireEvent.click(screen.getByRole("button", { name: "Semaine précédente" }));

    expect(onDateChange).toHaveBeenCalledOnce();
    expect(screen.getByRole("heading", { name: "19 – 25 oct. 2026" })).toBeTruthy();
  });

  it("keeps two agendas on one page apart", async () => {
    const first = createFakeAgendaFetch({ events: [review] });
    const second = createFakeAgendaFetch({ events: [negotiation] });
    render(
      <>
        <AgendaProvider baseUrl="/api/agenda" fetch={first.fetch} timeZone="Europe/Paris">
          <Agenda now={now} defaultDate={now} className="first" />
        </AgendaProvider>
        <AgendaProvider baseUrl="/api/agenda" fetch={second.fetch} timeZone="Europe/Paris">
          <Agenda now={now} defaultDate={now} className="second" />
        </AgendaProvider>
      </>,
    );
    const [firstGrid, secondGrid] = screen.getAllByRole("grid");

    expect(await within(firstGrid!).findByRole("button", { name: /^Revue du pipeline/ })).toBeTruthy();
    expect(await within(secondGrid!).findByRole("button", { name: /^Négociation contrat/ })).toBeTruthy();
    expect(within(firstGrid!).queryByRole("button", { name: /^Négociation contrat/ })).toBeNull();
    expect(within(secondGrid!).queryByRole("button", { name: /^Revue du pipeline/ })).toBeNull();

    act(() => {
      fireEvent.click(screen.getAllByRole("button", { name: "Semaine suivante" })[0]!);
    });
    expect(screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent)).toEqual([
      "30 nov. – 6 déc. 2026",
      "23 – 29 nov. 2026",
    ]);
  });
});
