// @vitest-environment jsdom
import type { GuestBooking } from "@crm-agenda/shared";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { englishBookingMessages } from "./bookingMessages";
import { GuestBookingPage } from "./GuestBookingPage";

afterEach(cleanup);

const token = "GuestSecret0123456789abcdefghijABCDEFGHIJ_-";
const now = new Date("2026-12-01T07:00:00Z");

function fakeGuestServer() {
  let booking: GuestBooking = {
    title: "Premier rendez-vous",
    start: "2026-12-01T08:00:00.000Z",
    end: "2026-12-01T08:30:00.000Z",
    status: "confirmed",
    name: "Marie Dupont",
    email: "marie@dupont.fr",
    durationMinutes: 30,
    joinUrl: null,
  };
  const requests: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    requests.push(`${method} ${url.replace(/\?.*/, "")}`);
    const base = `/api/agenda/public/bookings/${token}`;
    if (url === base) return json(200, { booking, ics: "BEGIN:VCALENDAR" });
    if (url.startsWith(`${base}/slots`)) {
      return json(200, { slots: [{ start: "2026-12-03T09:00:00.000Z", end: "2026-12-03T09:30:00.000Z" }] });
    }
    if (url === `${base}/cancel`) {
      booking = { ...booking, status: "cancelled" };
      return json(200, { booking, ics: "BEGIN:VCALENDAR" });
    }
    if (url === `${base}/reschedule`) {
      const { start } = JSON.parse(String(init?.body)) as { start: string };
      booking = { ...booking, start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString() };
      return json(200, { booking, ics: "BEGIN:VCALENDAR" });
    }
    return json(404, { error: { code: "not_found", message: "no such booking" } });
  };
  return { fetch, requests };
}

describe("GuestBookingPage", () => {
  it("cancels the booking after asking for confirmation", async () => {
    const server = fakeGuestServer();
    render(
      <GuestBookingPage
        baseUrl="/api/agenda"
        token={token}
        locale="en"
        defaultTimeZone="UTC"
        now={now}
        fetch={server.fetch}
      />,
    );
    fireEvent.click(await screen.findByRole("button", { name: englishBookingMessages.cancelBooking }));
    expect(server.requests.some((request) => request.startsWith("POST"))).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: englishBookingMessages.cancelConfirm }));
    expect((await screen.findByRole("status")).textContent).toBe(englishBookingMessages.cancelledText);
    expect(screen.getByText(englishBookingMessages.cancelled)).toBeTruthy();
    expect(screen.queryByRole("button", { name: englishBookingMessages.reschedule })).toBeNull();
  });

  it("moves the booking to a free slot picked in the guest's zone", async () => {
    const server = fakeGuestServer();
    render(
      <GuestBookingPage
        baseUrl="/api/agenda"
        token={token}
        defaultTimeZone="Europe/Paris"
        now={now}
        fetch={server.fetch}
      />,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Déplacer" }));
    fireEvent.click(await screen.findByRole("button", { name: /Choisir le jeudi 3 décembre 2026 à 10:00/ }));
    expect((await screen.findByRole("status")).textContent).toBe(
      "Votre rendez-vous est déplacé au jeudi 3 décembre 2026 à 10:00 (Europe/Paris).",
    );
    expect(server.requests).toContain(`POST /api/agenda/public/bookings/${token}/reschedule`);
  });

  it("says a tampered link does not work", async () => {
    const server = fakeGuestServer();
    render(
      <GuestBookingPage
        baseUrl="/api/agenda"
        token={`${token}x`}
        locale="en"
        now={now}
        fetch={server.fetch}
      />,
    );
    expect((await screen.findByRole("alert")).textContent).toBe(englishBookingMessages.bookingNotFound);
  });
});
