import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

// A batch of bookings reads its owners' settings and busy time with their ids as escaped literals,
// in the round trip that takes their locks: ids a host may well have must read the right rows.
const awkward = {
  userId: "a\\b'; select pg_sleep(10); --",
  tenantId: "o'hara & co",
  email: "ohara@acme.test",
};
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda({
    polling: false,
    calendarSync: false,
    auth: (req) => (req.header("x-test-user") === "awkward" ? awkward : null),
  });
});
afterAll(async () => {
  await agenda.stop();
});

async function as(method: string, path: string, body?: unknown) {
  const response = await fetch(`${agenda.baseUrl}${path}`, {
    method,
    headers: { "x-test-user": "awkward", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe("bookings of an owner whose ids hold quotes, a backslash and SQL", () => {
  it("finds their settings, their busy time and their bookings", async () => {
    const allDay = [{ start: "00:00", end: "24:00" }];
    const week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const saved = await as("PUT", "/availability/settings", {
      timeZone: "UTC",
      workingHours: Object.fromEntries(week.map((weekday) => [weekday, allDay])),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 30,
      minimumNoticeMinutes: 0,
      dailyCap: 2,
    });
    expect(saved.status).toBe(200);
    const day = new Date(Date.now() + 3 * 86_400_000);
    const at = (hour: number, minute = 0) =>
      new Date(
        Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute),
      ).toISOString();
    const meeting = await as("POST", "/events", {
      title: "Déjà pris",
      start: at(9),
      end: at(10),
      timeZone: "UTC",
    });
    expect(meeting.status).toBe(201);

    // Busy time read: the meeting's hour is refused.
    expect((await as("POST", "/bookings", { start: at(9, 30), duration: 30 })).status).toBe(409);
    // Settings read: a slot needs 30 free minutes after it, so 8:30–8:45 is refused before 9:00.
    const inBuffer = await as("POST", "/bookings", { start: at(8, 30), duration: 15 });
    expect(inBuffer.status).toBe(409);
    expect((await as("POST", "/bookings", { start: at(11), duration: 30 })).status).toBe(201);
    // Bookings read: the daily cap of two counts them.
    expect((await as("POST", "/bookings", { start: at(14), duration: 30 })).status).toBe(201);
    const overCap = await as("POST", "/bookings", { start: at(16), duration: 30 });
    expect(overCap.status).toBe(409);
    expect(overCap.body.error.message).toMatch(/day|cap/i);

    const { rows } = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".events where tenant_id = $1 and user_id = $2 and booked`,
      [awkward.tenantId, awkward.userId],
    );
    expect(rows[0].count).toBe(2);
  });
});
