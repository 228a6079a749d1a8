import { drizzle } from "drizzle-orm/node-postgres";
import { afterEach, expect, it, vi } from "vitest";
import { createTables } from "../src/db/schema";
import * as expandSeries from "../src/series/expandSeries";
import { createSeriesStore } from "../src/series/seriesStore";
import { startTestAgenda } from "./startTestAgenda";

// Counts the expansions a read asks for, the real ones still made.
vi.mock("../src/series/expandSeries", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/series/expandSeries")>();
  return { ...actual, occurrenceStarts: vi.fn(actual.occurrenceStarts) };
});

const running: Awaited<ReturnType<typeof startTestAgenda>>[] = [];
afterEach(async () => {
  for (const agenda of running.splice(0)) await agenda.stop();
});

const minute = 60_000;
const week = 7 * 24 * 60 * minute;

it("expands for the reminders' round neither a series ended long ago nor back to old exceptions", async () => {
  const agenda = await startTestAgenda({ polling: false, calendarSync: false });
  running.push(agenda);
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const longAgo = new Date(now.getTime() - 20 * week + 2 * 60 * minute);
  const series = async (title: string, recurrence: string) => {
    const created = await agenda.call("alice", "POST", "/events", {
      title,
      start: longAgo.toISOString(),
      end: new Date(longAgo.getTime() + 30 * minute).toISOString(),
      timeZone: "UTC",
      recurrence,
      attendees: [{ email: "marie@dupont.fr" }],
    });
    expect(created.status).toBe(201);
    // Its second occurrence, long past, retitled on its own: an exception row at that old time.
    const second = new Date(longAgo.getTime() + week)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const retitled = await agenda.call("alice", "PATCH", `/events/${created.body.id}_${second}`, {
      title: `${title}, revu`,
    });
    expect(retitled.status).toBe(200);
    return created.body.id as string;
  };
  await series("Série finie", "FREQ=WEEKLY;COUNT=3");
  await series("Série en cours", "FREQ=WEEKLY");

  const store = createSeriesStore({
    on: { db: drizzle(agenda.pool), tables: createTables(agenda.schema), now: () => now },
  });
  const occurrenceStarts = vi.mocked(expandSeries.occurrenceStarts);
  occurrenceStarts.mockClear();
  const from = now;
  const to = new Date(now.getTime() + 3 * 60 * minute);
  const listed = await store.listWithClient(from, to);

  expect(listed.map((occurrence) => occurrence.title)).toEqual(["Série en cours"]);
  // One series expanded, over the round's range alone.
  expect(
    occurrenceStarts.mock.calls.map(([timing, , rangeFrom, rangeTo]) => [
      timing.recurrence,
      rangeFrom,
      rangeTo,
    ]),
  ).toEqual([["FREQ=WEEKLY", from, to]]);
});
