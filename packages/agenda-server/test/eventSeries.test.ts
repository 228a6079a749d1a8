import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

type Listed = {
  id: string;
  title: string;
  start: string;
  end: string;
  seriesId?: string;
  originalStart?: string;
};

async function list(person: "alice" | "bob", from: string, to: string): Promise<Listed[]> {
  const answer = await agenda.call(person, "GET", `/events?from=${from}&to=${to}`);
  expect(answer.status).toBe(200);
  return answer.body.events;
}

// A weekly call on Tuesdays at 10:00 in Paris, from before the March change to after it.
const weekly = {
  title: "Point hebdo Dupont",
  start: "2026-03-17T10:00:00+01:00",
  end: "2026-03-17T10:30:00+01:00",
  timeZone: "Europe/Paris",
  recurrence: "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
};

describe("recurring series", () => {
  it("creates a series and lists its occurrences in the range, at 10:00 Paris time across the March change", async () => {
    const created = await agenda.call("alice", "POST", "/events", weekly);
    expect(created.status).toBe(201);
    expect(created.body.recurrence).toBe(weekly.recurrence);
    const seriesId = created.body.id as string;

    const occurrences = await list("alice", "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z");
    expect(occurrences.map((event) => event.start)).toEqual([
      "2026-03-17T09:00:00.000Z",
      "2026-03-24T09:00:00.000Z",
      "2026-03-31T08:00:00.000Z",
      "2026-04-07T08:00:00.000Z",
      "2026-04-14T08:00:00.000Z",
      "2026-04-21T08:00:00.000Z",
    ]);
    expect(occurrences[2]).toMatchObject({
      id: `${seriesId}_20260331T080000Z`,
      seriesId,
      originalStart: "2026-03-31T08:00:00.000Z",
      end: "2026-03-31T08:30:00.000Z",
      recurrence: weekly.recurrence,
      title: "Point hebdo Dupont",
    });
    const narrow = await list("alice", "2026-03-30T00:00:00Z", "2026-04-01T00:00:00Z");
    expect(narrow.map((event) => event.id)).toEqual([`${seriesId}_20260331T080000Z`]);

    const one = await agenda.call("alice", "GET", `/events/${seriesId}_20260331T080000Z`);
    expect(one.body).toEqual(occurrences[2]);
    const notOne = await agenda.call("alice", "GET", `/events/${seriesId}_20260401T080000Z`);
    expect(notOne.status).toBe(404);
    // Another user does not see the series.
    expect(await list("bob", "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z")).toEqual([]);
    expect((await agenda.call("bob", "GET", `/events/${seriesId}_20260331T080000Z`)).status).toBe(404);
    await agenda.call("alice", "DELETE", `/events/${seriesId}`);
  });

  it("refuses a rule it cannot expand, saying what to fix", async () => {
    const hourly = await agenda.call("alice", "POST", "/events", { ...weekly, recurrence: "FREQ=HOURLY" });
    expect(hourly.status).toBe(400);
    expect(hourly.body.error.message).toMatch(/FREQ=DAILY, WEEKLY, MONTHLY or YEARLY/);
    const both = await agenda.call("alice", "POST", "/events", {
      ...weekly,
      recurrence: "FREQ=DAILY;COUNT=3;UNTIL=20260401T000000Z",
    });
    expect(both.status).toBe(422);
    expect(both.body.error).toMatchObject({ code: "unprocessable", details: [{ path: "recurrence" }] });
  });

  it("edits this occurrence, this and following, and all events, keeping exceptions", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      ...weekly,
      title: "Revue mensuelle",
      start: "2026-09-08T10:00:00+02:00",
      end: "2026-09-08T11:00:00+02:00",
      recurrence: "FREQ=MONTHLY;BYDAY=2TU;COUNT=5",
    });
    const seriesId = created.body.id as string;
    const range = ["2026-09-01T00:00:00Z", "2027-02-01T00:00:00Z"] as const;
    expect((await list("alice", ...range)).map((event) => event.start)).toEqual([
      "2026-09-08T08:00:00.000Z",
      "2026-10-13T08:00:00.000Z",
      "2026-11-10T09:00:00.000Z",
      "2026-12-08T09:00:00.000Z",
      "2027-01-12T09:00:00.000Z",
    ]);

    // This event: October's is moved to the afternoon, and keeps its place in the series.
    const october = `${seriesId}_20261013T080000Z`;
    const moved = await agenda.call("alice", "PATCH", `/events/${october}`, {
      start: "2026-10-13T15:00:00+02:00",
      end: "2026-10-13T16:00:00+02:00",
      scope: "this",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: october, start: "2026-10-13T13:00:00.000Z", seriesId });

    // All events: the title changes everywhere, the moved one included, which stays moved.
    const renamed = await agenda.call("alice", "PATCH", `/events/${seriesId}_20261208T090000Z`, {
      title: "Revue mensuelle Dupont",
      scope: "all",
    });
    expect(renamed.status).toBe(200);
    let events = await list("alice", ...range);
    expect(events.map((event) => [event.title, event.start])).toEqual([
      ["Revue mensuelle Dupont", "2026-09-08T08:00:00.000Z"],
      ["Revue mensuelle Dupont", "2026-10-13T13:00:00.000Z"],
      ["Revue mensuelle Dupont", "2026-11-10T09:00:00.000Z"],
      ["Revue mensuelle Dupont", "2026-12-08T09:00:00.000Z"],
      ["Revue mensuelle Dupont", "2027-01-12T09:00:00.000Z"],
    ]);

    // This and following from November: an hour later from then on, in a new series; the old one ends.
    const following = await agenda.call("alice", "PATCH", `/events/${seriesId}_20261110T090000Z`, {
      start: "2026-11-10T11:00:00+01:00",
      end: "2026-11-10T12:00:00+01:00",
      scope: "following",
    });
    expect(following.status).toBe(200);
    const nextId = following.body.id as string;
    expect(nextId).not.toBe(seriesId);
    expect(following.body.recurrence).toBe("FREQ=MONTHLY;BYDAY=2TU;COUNT=3");
    events = await list("alice", ...range);
    expect(events.map((event) => [event.seriesId, event.start])).toEqual([
      [seriesId, "2026-09-08T08:00:00.000Z"],
      [seriesId, "2026-10-13T13:00:00.000Z"],
      [nextId, "2026-11-10T10:00:00.000Z"],
      [nextId, "2026-12-08T10:00:00.000Z"],
      [nextId, "2027-01-12T10:00:00.000Z"],
    ]);
    const old = await agenda.call("alice", "GET", `/events/${seriesId}`);
    expect(old.body.recurrence).toBe("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261110T085959Z");

    // A rule change needs following or all.
    const refused = await agenda.call("alice", "PATCH", `/events/${nextId}_20261208T100000Z`, {
      recurrence: "FREQ=MONTHLY;BYDAY=2TU",
      scope: "this",
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([{ path: "scope", message: expect.any(String) }]);
    await agenda.call("alice", "DELETE", `/events/${seriesId}`);
    await agenda.call("alice", "DELETE", `/events/${nextId}`);
  });

  it("deletes this occurrence, this and following, and all events", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      ...weekly,
      title: "Standup",
      start: "2026-10-22T09:00:00-04:00",
      end: "2026-10-22T09:15:00-04:00",
      timeZone: "America/New_York",
      recurrence: "FREQ=DAILY;UNTIL=20261110T000000Z",
    });
    const seriesId = created.body.id as string;
    const range = ["2026-10-20T00:00:00Z", "2026-11-20T00:00:00Z"] as const;
    const all = await list("alice", ...range);
    expect(all).toHaveLength(19);
    // 9:00 in New York before and after its November change.
    expect(all.find((event) => event.start.startsWith("2026-10-31"))?.start).toBe("2026-10-31T13:00:00.000Z");
    expect(all.find((event) => event.start.startsWith("2026-11-02"))?.start).toBe("2026-11-02T14:00:00.000Z");

    const cancelled = await agenda.call("alice", "DELETE", `/events/${seriesId}_20261024T130000Z`);
    expect(cancelled.status).toBe(204);
    expect((await list("alice", ...range)).map((event) => event.start)).not.toContain(
      "2026-10-24T13:00:00.000Z",
    );
    expect((await agenda.call("alice", "GET", `/events/${seriesId}_20261024T130000Z`)).status).toBe(404);

    const cut = await agenda.call("alice", "DELETE", `/events/${seriesId}_20261101T140000Z?scope=following`);
    expect(cut.status).toBe(204);
    const left = await list("alice", ...range);
    expect(left.map((event) => event.start.slice(0, 10))).toEqual([
      "2026-10-22",
      "2026-10-23",
      "2026-10-25",
      "2026-10-26",
      "2026-10-27",
      "2026-10-28",
      "2026-10-29",
      "2026-10-30",
      "2026-10-31",
    ]);

    const whole = await agenda.call("alice", "DELETE", `/events/${seriesId}_20261026T130000Z?scope=all`);
    expect(whole.status).toBe(204);
    expect(await list("alice", ...range)).toEqual([]);
    expect((await agenda.call("alice", "GET", `/events/${seriesId}`)).status).toBe(404);
  });
  it("moves a series by one period with neighbouring occurrences changed on their own", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      ...weekly,
      title: "Revue mensuelle",
      start: "2026-05-05T10:00:00+02:00",
      end: "2026-05-05T10:30:00+02:00",
      recurrence: "FREQ=WEEKLY;COUNT=4",
    });
    const id = created.body.id as string;
    for (const [at, title] of [
      ["20260512T080000Z", "Revue 2"],
      ["20260519T080000Z", "Revue 3"],
    ]) {
      const retitled = await agenda.call("alice", "PATCH", `/events/${id}_${at}`, { scope: "this", title });
      expect(retitled.status).toBe(200);
    }
    // A week later: occurrence 2 lands where occurrence 3 was, while 3 has not moved yet.
    const moved = await agenda.call("alice", "PATCH", `/events/${id}`, {
      scope: "all",
      start: "2026-05-12T10:00:00+02:00",
      end: "2026-05-12T10:30:00+02:00",
    });
    expect(moved.status).toBe(200);
    const listed = await list("alice", "2026-05-01T00:00:00Z", "2026-06-15T00:00:00Z");
    expect(
      listed.filter((event) => event.seriesId === id).map((event) => [event.start, event.title]),
    ).toEqual([
      ["2026-05-12T08:00:00.000Z", "Revue mensuelle"],
      ["2026-05-19T08:00:00.000Z", "Revue 2"],
      ["2026-05-26T08:00:00.000Z", "Revue 3"],
      ["2026-06-02T08:00:00.000Z", "Revue mensuelle"],
    ]);
  });
});
