import { createGoogleSandbox, createMicrosoftSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
const poll = { timeout: 15_000, interval: 100 };
const googleId = (eventId: string) => eventId.replaceAll("-", "");

beforeAll(async () => {
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  });
  await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

// A weekly series starting next week, in Paris, for six weeks.
function nextMonday(weeks: number): Date {
  const date = new Date();
  date.setUTCHours(0, 0, 0, 0);
  date.setUTCDate(date.getUTCDate() + ((8 - date.getUTCDay()) % 7 || 7) + 7 * weeks);
  return date;
}

async function listed(from: Date, to: Date) {
  const answer = await agenda.call(
    "alice",
    "GET",
    `/events?from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  return answer.body.events as { id: string; title: string; start: string; seriesId?: string }[];
}

describe("series synced with Google Calendar", () => {
  it("writes a series made in the agenda as one recurring event, its exceptions as instances, and reads Google's changes back as exceptions", async () => {
    await expect.poll(() => calendar.channels().length, poll).toBe(1);
    const monday = nextMonday(1);
    const start = new Date(monday.getTime() + 8 * 3_600_000);
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Point équipe",
      start: start.toISOString(),
      end: new Date(start.getTime() + 1_800_000).toISOString(),
      timeZone: "Europe/Paris",
      recurrence: "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
    });
    expect(created.status).toBe(201);
    const seriesId = created.body.id as string;
    const masterId = googleId(seriesId);
    await expect
      .poll(() => calendar.get("acct-alice", masterId)?.recurrence, poll)
      .toEqual(["RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6"]);
    expect(calendar.get("acct-alice", masterId)?.start?.timeZone).toBe("Europe/Paris");
    const instances = () =>
      calendar.list("acct-alice").filter((event) => event.recurringEventId === masterId);
    expect(instances()).toHaveLength(6);

    // The echo of our series does not come back as six single events.
    const range = [
      new Date(monday.getTime() - 86_400_000),
      new Date(monday.getTime() + 60 * 86_400_000),
    ] as const;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ours = await listed(...range);
    expect(ours).toHaveLength(6);
    expect(ours.every((event) => event.seriesId === seriesId)).toBe(true);

    // This event, moved in the agenda: Google's instance moves; one deleted: an EXDATE.
    const second = ours[1]!;
    const moved = new Date(Date.parse(second.start) + 3_600_000);
    expect(
      (
        await agenda.call("alice", "PATCH", `/events/${second.id}`, {
          start: moved.toISOString(),
          end: new Date(moved.getTime() + 1_800_000).toISOString(),
        })
      ).status,
    ).toBe(200);
    expect((await agenda.call("alice", "DELETE", `/events/${ours[2]!.id}`)).status).toBe(204);
    await expect.poll(() => instances().length, poll).toBe(5);
    await expect
      .poll(
        () =>
          instances().find((event) => event.originalStartTime?.dateTime === second.start)?.start?.dateTime,
        poll,
      )
      .toBe(moved.toISOString());
    expect(calendar.get("acct-alice", masterId)?.recurrence?.[1]).toMatch(
      /^EXDATE;TZID=Europe\/Paris:\d{8}T\d{6}$/,
    );

    // Google's changes come back as exceptions of the series: one retitled there, one cancelled there.
    const fourth = instances().find((event) => event.originalStartTime?.dateTime === ours[3]!.start)!;
    calendar.patch("acct-alice", fourth.id, { summary: "Point équipe (salle B)" });
    calendar.remove(
      "acct-alice",
      instances().find((event) => event.originalStartTime?.dateTime === ours[4]!.start)!.id,
    );
    await expect
      .poll(async () => (await listed(...range)).map((event) => event.title), poll)
      .toEqual(["Point équipe", "Point équipe", "Point équipe (salle B)", "Point équipe"]);
    const after = await listed(...range);
    expect(after.every((event) => event.seriesId === seriesId)).toBe(true);
    expect(after[2]!.id).toBe(ours[3]!.id);

    // All events deleted in the agenda: the series goes at Google.
    expect((await agenda.call("alice", "DELETE", `/events/${seriesId}`)).status).toBe(204);
    await expect.poll(() => instances().length, poll).toBe(0);
  });
});

const microsoft = createMicrosoftSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const outlook = microsoft.calendar;

describe("series synced with Outlook", () => {
  let graphServer: RunningSandbox;
  let outlookAgenda: Awaited<ReturnType<typeof startTestAgenda>>;
  afterAll(async () => {
    await outlookAgenda?.stop();
    await graphServer?.stop();
  });

  it("writes a series as a patternedRecurrence in its zone, its exceptions on the instances, and reads Outlook's exceptions back", async () => {
    graphServer = await microsoft.start();
    outlookAgenda = await startTestAgenda({
      providers: { microsoft: { ...sandboxClient, baseUrl: graphServer.url } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      polling: false,
      jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    });
    await connectAccount(outlookAgenda.baseUrl, "microsoft", "alice", "acct-alice");
    await expect.poll(() => outlook.subscriptions().length, poll).toBe(1);
    // Second Tuesday of the month, 10:00 in New York, four times.
    const created = await outlookAgenda.call("alice", "POST", "/events", {
      title: "Revue Initech",
      start: "2027-01-12T10:00:00-05:00",
      end: "2027-01-12T11:00:00-05:00",
      timeZone: "America/New_York",
      recurrence: "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
    });
    expect(created.status).toBe(201);
    const seriesId = created.body.id as string;
    const master = () => outlook.list("acct-alice").find((event) => event.subject === "Revue Initech");
    await expect.poll(() => master()?.type, poll).toBe("seriesMaster");
    expect(master()?.recurrence).toEqual({
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "second" },
      range: {
        type: "numbered",
        startDate: "2027-01-12",
        numberOfOccurrences: 4,
        recurrenceTimeZone: "Eastern Standard Time",
      },
    });
    const instances = () => outlook.instances("acct-alice", master()!.id);
    // 10:00 in New York on each, before and after its March change.
    expect(instances().map((event) => event.originalStart)).toEqual([
      "2027-01-12T15:00:00.000Z",
      "2027-02-09T15:00:00.000Z",
      "2027-03-09T15:00:00.000Z",
      "2027-04-13T14:00:00.000Z",
    ]);
    const range = ["2027-01-01T00:00:00Z", "2027-05-01T00:00:00Z"] as const;
    const list = async () =>
      (await outlookAgenda.call("alice", "GET", `/events?from=${range[0]}&to=${range[1]}`)).body.events as {
        id: string;
        title: string;
        start: string;
        seriesId?: string;
      }[];

    // February's deleted in the agenda, March's renamed there: Outlook's instances follow.
    expect((await outlookAgenda.call("alice", "DELETE", `/events/${seriesId}_20270209T150000Z`)).status).toBe(
      204,
    );
    expect(
      (
        await outlookAgenda.call("alice", "PATCH", `/events/${seriesId}_20270309T150000Z`, {
          title: "Revue Initech (Q1)",
        })
      ).status,
    ).toBe(200);
    await expect
      .poll(() => instances().map((event) => event.subject), poll)
      .toEqual(["Revue Initech", "Revue Initech (Q1)", "Revue Initech"]);

    // April's moved an hour later in Outlook: an exception of the series in the agenda.
    const april = instances()[2]!;
    outlook.patchInstance("acct-alice", april.id, {
      start: { dateTime: "2027-04-13T15:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2027-04-13T16:00:00.0000000", timeZone: "UTC" },
    });
    await expect
      .poll(async () => (await list()).map((event) => [event.title, event.start]), poll)
      .toEqual([
        ["Revue Initech", "2027-01-12T15:00:00.000Z"],
        ["Revue Initech (Q1)", "2027-03-09T15:00:00.000Z"],
        ["Revue Initech", "2027-04-13T15:00:00.000Z"],
      ]);
    expect((await list()).every((event) => event.seriesId === seriesId)).toBe(true);

    // January's deleted in Outlook: Graph's delta says only `{ id, "@removed" }`, and the agenda
    // finds which occurrence went by the instances Outlook still lists.
    outlook.removeInstance("acct-alice", instances()[0]!.id);
    await expect
      .poll(async () => (await list()).map((event) => [event.title, event.start]), poll)
      .toEqual([
        ["Revue Initech (Q1)", "2027-03-09T15:00:00.000Z"],
        ["Revue Initech", "2027-04-13T15:00:00.000Z"],
      ]);
    // Read once, not echoed back: the series and its two other instances stay in Outlook.
    const syncs = await outlookAgenda.pool.query(
      `select count(*)::int as cancelled from "${outlookAgenda.schema}".events
        where series_master_id = $1 and cancelled`,
      [seriesId],
    );
    expect(syncs.rows[0].cancelled).toBe(2);
    expect(master()?.type).toBe("seriesMaster");
    expect(instances().map((event) => event.originalStart)).toEqual([
      "2027-03-09T15:00:00.000Z",
      "2027-04-13T14:00:00.000Z",
    ]);
  });

  it("finds an occurrence deleted in Outlook among many instances, and cancels nothing when its dates disagree", async () => {
    // Thirty days: Outlook lists the instances ten at a time.
    const created = await outlookAgenda.call("alice", "POST", "/events", {
      title: "Point quotidien",
      start: "2027-06-01T09:00:00+02:00",
      end: "2027-06-01T09:15:00+02:00",
      timeZone: "Europe/Paris",
      recurrence: "FREQ=DAILY;COUNT=30",
    });
    expect(created.status).toBe(201);
    const seriesId = created.body.id as string;
    const master = () => outlook.list("acct-alice").find((event) => event.subject === "Point quotidien");
    await expect.poll(() => outlook.instances("acct-alice", master()?.id ?? "").length, poll).toBe(30);
    const june = async () =>
      (await outlookAgenda.call("alice", "GET", "/events?from=2027-06-01T00:00:00Z&to=2027-07-01T00:00:00Z"))
        .body.events as { start: string }[];
    await expect.poll(async () => (await june()).length, poll).toBe(30);

    const the25th = outlook
      .instances("acct-alice", master()!.id)
      .find((event) => event.originalStart === "2027-06-25T07:00:00.000Z")!;
    const syncRow = async () =>
      (
        await outlookAgenda.pool.query(
          `select connection_id, cursor, runs from "${outlookAgenda.schema}".calendar_syncs where user_id = 'alice'`,
        )
      ).rows[0] as { connection_id: string; cursor: string; runs: number };
    const cursorBefore = (await syncRow()).cursor;
    outlook.removeInstance("acct-alice", the25th.id);
    await expect.poll(async () => (await june()).length, poll).toBe(29);
    expect((await june()).some((event) => event.start === "2027-06-25T07:00:00.000Z")).toBe(false);

    // The same delta page read again, as after a sync that failed before saving its cursor: the
    // removal is met a second time and changes nothing.
    await outlookAgenda.pool.query(
      `update "${outlookAgenda.schema}".calendar_syncs set cursor = $1 where user_id = 'alice'`,
      [cursorBefore],
    );
    const { connection_id: connectionId, runs: runsBefore } = await syncRow();
    await outlookAgenda.agenda.calendarSync!.enqueueSync(connectionId);
    await expect.poll(async () => (await syncRow()).runs, poll).toBeGreaterThan(runsBefore);
    expect((await june()).length).toBe(29);
    const cancelledOnce = await outlookAgenda.pool.query(
      `select count(*)::int as count from "${outlookAgenda.schema}".events where series_master_id = $1 and cancelled`,
      [seriesId],
    );
    expect(cancelledOnce.rows[0].count).toBe(1);

    // The agenda's copy of the series now disagrees with Outlook's (an hour apart, as a zone read
    // another way would make it): every occurrence looks missing, so none is cancelled for one removal.
    await outlookAgenda.pool.query(
      `update "${outlookAgenda.schema}".events set start_at = start_at + interval '1 hour',
          end_at = end_at + interval '1 hour', synced_at = now() + interval '1 minute' where id = $1`,
      [seriesId],
    );
    const runs = async () =>
      (
        await outlookAgenda.pool.query(
          `select runs from "${outlookAgenda.schema}".calendar_syncs where user_id = 'alice'`,
        )
      ).rows[0].runs as number;
    const before = await runs();
    const the10th = outlook
      .instances("acct-alice", master()!.id)
      .find((event) => event.originalStart === "2027-06-10T07:00:00.000Z")!;
    outlook.removeInstance("acct-alice", the10th.id);
    await expect.poll(runs, poll).toBeGreaterThan(before);
    const { rows } = await outlookAgenda.pool.query(
      `select original_start_at from "${outlookAgenda.schema}".events where series_master_id = $1 and cancelled`,
      [seriesId],
    );
    expect(rows.map((row) => (row.original_start_at as Date).toISOString())).toEqual([
      "2027-06-25T07:00:00.000Z",
    ]);
  });
});
