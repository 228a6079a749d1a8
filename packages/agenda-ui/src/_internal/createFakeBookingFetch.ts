import {
  type AvailabilitySettings,
  type BookingSlot,
  type BookingType,
  defaultAvailabilitySettings,
  type GuestBooking,
  type PublicBookingType,
} from "@crm-agenda/shared";

/** What the fake booking server holds, for stories. */
export interface FakeBookingOptions {
  type?: PublicBookingType | null;
  slots?: BookingSlot[];
  bookingTypes?: BookingType[];
  guestBooking?: GuestBooking;
  settings?: AvailabilitySettings;
  delayMs?: number;
}

/**
 * A fake agenda router for the booking pages and settings, in memory: a booking link's type and
 * slots, bookings that take their slot, and the owner's booking types.
 */
export function createFakeBookingFetch(options: FakeBookingOptions = {}): typeof globalThis.fetch {
  let slots = options.slots ?? [];
  const bookingTypes = [...(options.bookingTypes ?? [])];
  let guestBooking = options.guestBooking;
  let settings = options.settings ?? defaultAvailabilitySettings;
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  return async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 200));
    const url = new URL(String(input), "http://fake.test");
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const path = url.pathname.replace(/^\/api\/agenda/, "");
    if (/^\/public\/booking\/[^/]+$/.test(path)) {
      return options.type
        ? json(200, options.type)
        : json(404, { error: { code: "not_found", message: "no link" } });
    }
    if (/\/slots$/.test(path)) {
      const from = Date.parse(url.searchParams.get("from") ?? "");
      const to = Date.parse(url.searchParams.get("to") ?? "");
      return json(200, {
        slots: slots.filter((slot) => Date.parse(slot.start) >= from && Date.parse(slot.start) < to),
      });
    }
    if (/^\/public\/booking\/[^/]+\/bookings$/.test(path)) {
      const slot = slots.find((candidate) => candidate.start === body.start);
      if (!slot) return json(409, { error: { code: "conflict", message: "taken" } });
      slots = slots.filter((candidate) => candidate !== slot);
      guestBooking = {
        title: options.type?.title ?? "",
        ...slot,
        status: "confirmed",
        name: body.name,
        email: body.email,
        durationMinutes: options.type?.durationMinutes ?? 30,
        joinUrl: null,
      };
      return json(201, {
        booking: guestBooking,
        manageToken: "fake-manage-token-0123456789",
        ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
      });
    }
    if (/^\/public\/bookings\/[^/]+$/.test(path)) {
      return guestBooking
        ? json(200, { booking: guestBooking, ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" })
        : json(404, { error: { code: "not_found", message: "no booking" } });
    }
    if (path === "/availability/settings" && method === "PUT") {
      settings = body;
      return json(200, settings);
    }
    if (path === "/availability/settings") return json(200, settings);
    if (path === "/booking-types" && method === "GET") return json(200, { bookingTypes });
    if (path === "/booking-types" && method === "POST") {
      const created: BookingType = {
        id: crypto.randomUUID(),
        description: null,
        conference: null,
        questions: [],
        ...body,
        linkToken: crypto.randomUUID().replaceAll("-", ""),
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      bookingTypes.push(created);
      return json(201, created);
    }
    return json(404, { error: { code: "not_found", message: `no fake route ${method} ${path}` } });
  };
}
