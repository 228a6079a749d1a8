// @vitest-environment jsdom
import type { BookingSlot } from "@crm-agenda/shared";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BookingPage } from "./BookingPage";
import { englishBookingMessages } from "./bookingMessages";

afterEach(cleanup);

const token = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp";
const now = new Date("2026-12-01T07:00:00Z");
const slots: BookingSlot[] = [
  { start: "2026-12-01T08:00:00.000Z", end: "2026-12-01T08:30:00.000Z" },
  { start: "2026-12-02T13:30:00.000Z", end: "2026-12-02T14:00:00.000Z" },
];

/** A fake router for one booking link: its type, its slots, and a booking that can be refused. */
function fakeBookingServer(options: { refuseWith?: { status: number; code: string } } = {}) {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    requests.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (url.endsWith(`/public/booking/${token}`)) {
      return json(200, {
        title: "Premier rendez-vous",
        durationMinutes: 30,
        description: null,
        video: "zoom",
        questions: [{ id: "q1", label: "What is it about?", required: true }],
      });
    }
    if (url.includes(`/public/booking/${token}/slots`)) return json(200, { slots });
    if (url.endsWith(`/public/booking/${token}/bookings`) && method === "POST") {
      if (options.refuseWith) {
        return json(options.refuseWith.status, {
          error: { code: options.refuseWith.code, message: "refused" },
        });
      }
      return json(201, {
        booking: {
          title: "Premier rendez-vous",
          start: slots[1]!.start,
          end: slots[1]!.end,
          status: "confirmed",
          name: "Marie Dupont",
          email: "marie@dupont.fr",
          durationMinutes: 30,
          joinUrl: null,
        },
        manageToken: "manage-secret-token-0123456789abcdef",
        ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR",
      });
    }
    return json(404, { error: { code: "not_found", message: "no such route" } });
  };
  return { fetch, requests };
}

describe("BookingPage", () => {
  it("shows the free slots in the guest's zone, books the picked one and confirms with an .ics", async () => {
    const server = fakeBookingServer();
    render(
      <BookingPage
        baseUrl="/api/agenda"
        token={token}
        locale="en"
        defaultTimeZone="America/New_York"
        now={now}
        fetch={server.fetch}
        manageUrl={(secret) => `/booking/manage/${secret}`}
      />,
    );
    expect(await screen.findByRole("heading", { name: "Premier rendez-vous" })).toBeTruthy();
    expect(screen.getByText(/Zoom video call/)).toBeTruthy();
    // 13:30 UTC is 08:30 in New York.
    const slot = await screen.findByRole("button", { name: /Pick Wednesday, December 2, 2026.*08:30 AM/ });
    expect(slot.textContent).toBe("08:30 AM");
    fireEvent.click(slot);
    // The next step is announced: focus moves to its heading.
    expect(document.activeElement?.textContent).toMatch(/^Your details for Wednesday, December 2, 2026/);

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Marie Dupont" } });
    fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: "marie@dupont.fr" } });
    fireEvent.change(screen.getByLabelText(/What is it about\?/), { target: { value: "A quote" } });
    fireEvent.click(screen.getByRole("button", { name: "Book" }));

    expect(await screen.findByRole("heading", { name: englishBookingMessages.confirmed })).toBeTruthy();
    const booked = server.requests.find((request) => request.method === "POST");
    expect(booked?.body).toEqual({
      start: slots[1]!.start,
      name: "Marie Dupont",
      email: "marie@dupont.fr",
      answers: { q1: "A quote" },
      timeZone: "America/New_York",
    });
    const ics = screen.getByRole("link", { name: englishBookingMessages.downloadIcs });
    expect(ics.getAttribute("href")).toBe(
      `data:text/calendar;charset=utf-8,${encodeURIComponent("BEGIN:VCALENDAR\r\nEND:VCALENDAR")}`,
    );
    expect(ics.getAttribute("download")).toBe("appointment.ics");
    expect(screen.getByRole("link", { name: englishBookingMessages.manageLink }).getAttribute("href")).toBe(
      "/booking/manage/manage-secret-token-0123456789abcdef",
    );
  });

  it("shows the slots again in another zone when the guest changes it", async () => {
    const server = fakeBookingServer();
    render(
      <BookingPage
        baseUrl="/api/agenda"
        token={token}
        defaultTimeZone="Europe/Paris"
        now={now}
        fetch={server.fetch}
      />,
    );
    expect(
      await screen.findByRole("button", { name: /Choisir le mardi 1 décembre 2026 à 09:00/ }),
    ).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Fuseau horaire"), { target: { value: "Asia/Tokyo" } });
    expect(
      await screen.findByRole("button", { name: /Choisir le mardi 1 décembre 2026 à 17:00 \(Asia\/Tokyo\)/ }),
    ).toBeTruthy();
  });

  it("says so in French when the slot was taken meanwhile, and leads back to the slots", async () => {
    const server = fakeBookingServer({ refuseWith: { status: 409, code: "conflict" } });
    render(
      <BookingPage
        baseUrl="/api/agenda"
        token={token}
        defaultTimeZone="Europe/Paris"
        now={now}
        fetch={server.fetch}
      />,
    );
    fireEvent.click(await screen.findByRole("button", { name: /Choisir le mardi 1 décembre/ }));
    fireEvent.change(screen.getByLabelText("Nom"), { target: { value: "Marie" } });
    fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: "marie@dupont.fr" } });
    fireEvent.change(screen.getByLabelText(/What is it about/), { target: { value: "Devis" } });
    fireEvent.click(screen.getByRole("button", { name: "Réserver" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Ce créneau vient d’être pris");
    fireEvent.click(within(alert).getByRole("button", { name: "Changer de créneau" }));
    await waitFor(() => expect(screen.getByLabelText("Fuseau horaire")).toBeTruthy());
  });

  it("tells the guest a link does not work, without more detail", async () => {
    const server = fakeBookingServer();
    render(
      <BookingPage
        baseUrl="/api/agenda"
        token={`x${token.slice(1)}`}
        locale="en"
        now={now}
        fetch={server.fetch}
      />,
    );
    expect((await screen.findByRole("alert")).textContent).toBe(englishBookingMessages.linkNotFound);
  });
});
