import {
  createGoogleSandbox,
  createZoomSandbox,
  type RunningSandbox,
  type ZoomMeeting,
} from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let zoomServer: RunningSandbox;
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  zoomServer = await zoom.start();
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: {
      zoom: { ...sandboxClient, baseUrl: zoomServer.url },
      google: { ...sandboxClient, baseUrl: googleServer.url },
    },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  });
});
afterAll(async () => {
  await agenda.stop();
  await zoomServer.stop();
  await googleServer.stop();
});

/** A meeting the user makes in Zoom itself, outside the agenda, with their own token. */
async function makeMeetingAtZoom(person: "alice" | "carol", topic: string): Promise<ZoomMeeting> {
  const connection = (await agenda.call(person, "GET", "/connections")).body.connections.find(
    (item: { provider: string }) => item.provider === "zoom",
  );
  const response = await fetch(`${zoomServer.url}/v2/users/me/meetings`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await agenda.agenda.connections.accessToken(connection.id)}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ topic, type: 2, start_time: "2026-12-14T10:00:00Z", duration: 60 }),
  });
  expect(response.status).toBe(201);
  return { ...((await response.json()) as ZoomMeeting) };
}

describe("creating an event with a Zoom meeting", () => {
  it("refuses with 422 and says to connect Zoom when the user has no Zoom account", async () => {
    const response = await agenda.call("alice", "POST", "/events", {
      title: "Point hebdo",
      start: "2026-12-01T10:00:00+01:00",
      end: "2026-12-01T10:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom" },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("unprocessable");
    expect(response.body.error.message).toMatch(/connect Zoom/);
    expect(zoom.meetings.list()).toHaveLength(0);
    const listed = await agenda.call(
      "alice",
      "GET",
      "/events?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z",
    );
    expect(listed.body.events).toEqual([]);
  });

  it("makes the meeting with the user's Zoom connection and stores its link and id on the event", async () => {
    await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
    const response = await agenda.call("alice", "POST", "/events", {
      title: "Démo produit Dupont",
      description: "Présentation du module agenda",
      start: "2026-12-02T14:00:00+01:00",
      end: "2026-12-02T15:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom" },
    });
    expect(response.status).toBe(201);
    const [meeting] = zoom.meetings.list();
    expect(meeting).toMatchObject({
      host_id: "acct-alice",
      topic: "Démo produit Dupont",
      type: 2,
      start_time: "2026-12-02T13:00:00Z",
      duration: 90,
      timezone: "Europe/Paris",
      agenda: "Présentation du module agenda",
    });
    expect(response.body.conference).toEqual({
      provider: "zoom",
      joinUrl: meeting!.join_url,
      meetingId: String(meeting!.id),
    });
    const stored = await agenda.call("alice", "GET", `/events/${response.body.id}`);
    expect(stored.body.conference).toEqual(response.body.conference);
  });

  it("keeps a Zoom link the event already has, making no meeting", async () => {
    const before = zoom.meetings.list().length;
    const response = await agenda.call("alice", "POST", "/events", {
      title: "Appel existant",
      start: "2026-12-03T09:00:00+01:00",
      end: "2026-12-03T09:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom", joinUrl: "https://zoom.us/j/123456789", meetingId: "123456789" },
    });
    expect(response.status).toBe(201);
    expect(response.body.conference.joinUrl).toBe("https://zoom.us/j/123456789");
    expect(zoom.meetings.list()).toHaveLength(before);
  });

  it("takes a meeting id alone as an existing meeting, making no new one", async () => {
    const before = zoom.meetings.list().length;
    const response = await agenda.call("alice", "POST", "/events", {
      title: "Réunion déjà planifiée",
      start: "2026-12-03T11:00:00+01:00",
      end: "2026-12-03T11:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom", meetingId: "91000000002" },
    });
    expect(response.status).toBe(201);
    expect(response.body.conference).toEqual({ provider: "zoom", meetingId: "91000000002" });
    expect(zoom.meetings.list()).toHaveLength(before);
  });

  it("says to connect Zoom to another user of the tenant who has not", async () => {
    const response = await agenda.call("carol", "POST", "/events", {
      title: "Sans Zoom",
      start: "2026-12-04T09:00:00+01:00",
      end: "2026-12-04T09:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom" },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/connect Zoom/);
  });
});

async function createZoomEvent(title: string, start: string, end: string) {
  const response = await agenda.call("alice", "POST", "/events", {
    title,
    start,
    end,
    timeZone: "Europe/Paris",
    conference: { provider: "zoom" },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; conference: { meetingId: string } };
}

describe("a Zoom meeting made for an event follows the event", () => {
  it("moves the meeting when the event moves or is renamed", async () => {
    const event = await createZoomEvent(
      "Revue trimestrielle",
      "2026-12-07T10:00:00+01:00",
      "2026-12-07T11:00:00+01:00",
    );
    const moved = await agenda.call("alice", "PATCH", `/events/${event.id}`, {
      title: "Revue trimestrielle (décalée)",
      start: "2026-12-08T15:00:00+01:00",
      end: "2026-12-08T15:45:00+01:00",
    });
    expect(moved.status).toBe(200);
    await vi.waitFor(
      () =>
        expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
          topic: "Revue trimestrielle (décalée)",
          start_time: "2026-12-08T14:00:00Z",
          duration: 45,
          timezone: "Europe/Paris",
        }),
      { timeout: 10_000, interval: 100 },
    );
  });

  it("ends two quick moves with the latest time", async () => {
    const event = await createZoomEvent(
      "Point rapide",
      "2026-12-09T09:00:00+01:00",
      "2026-12-09T09:30:00+01:00",
    );
    const first = agenda.call("alice", "PATCH", `/events/${event.id}`, {
      start: "2026-12-09T10:00:00+01:00",
      end: "2026-12-09T10:30:00+01:00",
    });
    expect((await first).status).toBe(200);
    const second = await agenda.call("alice", "PATCH", `/events/${event.id}`, {
      start: "2026-12-09T16:00:00+01:00",
      end: "2026-12-09T17:00:00+01:00",
    });
    expect(second.status).toBe(200);
    await vi.waitFor(
      () =>
        expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
          start_time: "2026-12-09T15:00:00Z",
          duration: 60,
        }),
      { timeout: 10_000, interval: 100 },
    );
    // Both jobs have run: the meeting stays at the latest time.
    await vi.waitFor(
      async () => {
        const { rows } = await agenda.pool.query(
          `select count(*)::int as pending from "${agenda.schema}_jobs".job
            where name = 'agenda.zoom-meeting' and state < 'completed'`,
        );
        expect(rows[0].pending).toBe(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
      start_time: "2026-12-09T15:00:00Z",
      duration: 60,
    });
  });

  it("deletes the meeting when the event is deleted", async () => {
    const event = await createZoomEvent(
      "À annuler",
      "2026-12-10T09:00:00+01:00",
      "2026-12-10T09:30:00+01:00",
    );
    expect(zoom.meetings.get(event.conference.meetingId)).toBeDefined();
    const deleted = await agenda.call("alice", "DELETE", `/events/${event.id}`);
    expect(deleted.status).toBe(204);
    await vi.waitFor(() => expect(zoom.meetings.get(event.conference.meetingId)).toBeUndefined(), {
      timeout: 10_000,
      interval: 100,
    });
  });

  it("retries a 503 from Zoom, then updates the meeting", async () => {
    const event = await createZoomEvent(
      "Avec une panne",
      "2026-12-11T09:00:00+01:00",
      "2026-12-11T09:30:00+01:00",
    );
    zoom.meetings.failNext(503);
    const moved = await agenda.call("alice", "PATCH", `/events/${event.id}`, {
      start: "2026-12-11T11:00:00+01:00",
      end: "2026-12-11T12:00:00+01:00",
    });
    expect(moved.status).toBe(200);
    await vi.waitFor(
      () =>
        expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
          start_time: "2026-12-11T10:00:00Z",
          duration: 60,
        }),
      { timeout: 20_000, interval: 200 },
    );
    const { rows } = await agenda.pool.query(
      `select retry_count from "${agenda.schema}_jobs".job
        where name = 'agenda.zoom-meeting' and data->>'eventId' = $1 and state = 'completed'`,
      [event.id],
    );
    expect(rows.map((row) => row.retry_count)).toEqual([1]);
  }, 30_000);

  it("never touches a meeting given by the API caller", async () => {
    const meeting = await makeMeetingAtZoom("alice", "Sa propre réunion");
    const given = await agenda.call("alice", "POST", "/events", {
      title: "Lien donné",
      start: "2026-12-14T11:00:00+01:00",
      end: "2026-12-14T11:30:00+01:00",
      timeZone: "Europe/Paris",
      conference: { provider: "zoom", joinUrl: meeting.join_url, meetingId: String(meeting.id) },
    });
    expect(given.status).toBe(201);
    const moved = await agenda.call("alice", "PATCH", `/events/${given.body.id}`, {
      title: "Déplacé",
      start: "2026-12-15T09:00:00+01:00",
      end: "2026-12-15T09:10:00+01:00",
    });
    expect(moved.status).toBe(200);
    expect((await agenda.call("alice", "DELETE", `/events/${given.body.id}`)).status).toBe(204);
    const { rows: jobs } = await agenda.pool.query(
      `select 1 from "${agenda.schema}_jobs".job where name = 'agenda.zoom-meeting'
         and (data->>'eventId' = $1 or data->>'meetingId' = $2)`,
      [given.body.id, String(meeting.id)],
    );
    expect(jobs).toEqual([]);
    expect(zoom.meetings.get(meeting.id)).toEqual(meeting);
  });

  it("never touches the Zoom meeting of an event synced from Google Calendar", async () => {
    await connectAccount(agenda.baseUrl, "zoom", "carol", "acct-carol");
    await connectAccount(agenda.baseUrl, "google", "carol", "acct-carol");
    const meeting = await makeMeetingAtZoom("carol", "Réunion planifiée dans Google");
    google.calendar.put("acct-carol", {
      summary: "Réunion planifiée dans Google",
      description: `Rejoindre : ${meeting.join_url}`,
      start: { dateTime: "2026-12-21T09:00:00Z" },
      end: { dateTime: "2026-12-21T10:00:00Z" },
      conferenceData: {
        conferenceId: String(meeting.id),
        conferenceSolution: { key: { type: "addOn" }, name: "Zoom Meeting" },
        entryPoints: [{ entryPointType: "video", uri: meeting.join_url }],
      },
    });
    const listSynced = async () =>
      (
        await agenda.call("carol", "GET", "/events?from=2026-12-21T00:00:00Z&to=2026-12-22T00:00:00Z")
      ).body.events.filter((event: { source: string }) => event.source === "google");
    await expect.poll(async () => (await listSynced()).length, { timeout: 15_000, interval: 100 }).toBe(1);
    const [synced] = await listSynced();
    expect(synced.conference).toMatchObject({ joinUrl: meeting.join_url, meetingId: String(meeting.id) });
    const moved = await agenda.call("carol", "PATCH", `/events/${synced.id}`, {
      title: "Déplacée dans l'agenda",
      start: "2026-12-21T15:00:00Z",
      end: "2026-12-21T15:20:00Z",
    });
    expect(moved.status).toBe(200);
    expect((await agenda.call("carol", "DELETE", `/events/${synced.id}`)).status).toBe(204);
    const { rows: jobs } = await agenda.pool.query(
      `select 1 from "${agenda.schema}_jobs".job where name = 'agenda.zoom-meeting'
         and (data->>'eventId' = $1 or data->>'meetingId' = $2)`,
      [synced.id, String(meeting.id)],
    );
    expect(jobs).toEqual([]);
    expect(zoom.meetings.get(meeting.id)).toEqual(meeting);
  });

  it("deletes the meeting again when the event cannot be saved after Zoom made it", async () => {
    const before = zoom.meetings.list().length;
    // The database refuses this one event after Zoom has made its meeting (a check it could have failed
    // for any reason: a full disk, a constraint, a lost connection).
    const events = `"${agenda.schema}".events`;
    await agenda.pool.query(
      `create function "${agenda.schema}".refuse_event() returns trigger language plpgsql as
         $$ begin raise exception 'refused by the database'; end $$;
       create trigger refuse_event before insert on ${events} for each row
         when (new.title = 'Refusé par la base') execute function "${agenda.schema}".refuse_event();`,
    );
    try {
      const response = await agenda.call("alice", "POST", "/events", {
        title: "Refusé par la base",
        start: "2026-12-16T09:00:00+01:00",
        end: "2026-12-16T09:30:00+01:00",
        timeZone: "Europe/Paris",
        conference: { provider: "zoom" },
      });
      expect(response.status).toBe(500);
    } finally {
      await agenda.pool.query(
        `drop trigger refuse_event on ${events}; drop function "${agenda.schema}".refuse_event();`,
      );
    }
    expect(zoom.meetings.list()).toHaveLength(before);
    expect(zoom.meetings.list().some((meeting) => meeting.topic === "Refusé par la base")).toBe(false);
  });
});

describe("a change Zoom cannot take", () => {
  it("stops at a refusal, with the reason shown on the Zoom connection, and clears it once a change goes through", async () => {
    const event = await createZoomEvent("Refusé", "2026-12-17T09:00:00+01:00", "2026-12-17T09:30:00+01:00");
    zoom.meetings.failNext(400);
    const moved = await agenda.call("alice", "PATCH", `/events/${event.id}`, {
      start: "2026-12-17T10:00:00+01:00",
      end: "2026-12-17T10:30:00+01:00",
    });
    expect(moved.status).toBe(200);
    await vi.waitFor(
      async () => {
        const { rows } = await agenda.pool.query(
          `select retry_count, output from "${agenda.schema}_jobs".job
            where name = 'agenda.zoom-meeting' and data->>'eventId' = $1 and state = 'completed'`,
          [event.id],
        );
        expect(rows).toEqual([
          {
            retry_count: 0,
            output: {
              outcome: "stopped",
              reason: `the Zoom meeting ${event.conference.meetingId} could not be updated: Zoom answered 400: Injected failure.`,
            },
          },
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
      start_time: "2026-12-17T08:00:00Z",
    });
    const zoomConnection = async () =>
      (await agenda.call("alice", "GET", "/connections")).body.connections.find(
        (connection: { provider: string }) => connection.provider === "zoom",
      );
    expect((await zoomConnection()).lastError).toMatch(/could not be updated: Zoom answered 400/);

    await agenda.call("alice", "PATCH", `/events/${event.id}`, { title: "Refusé puis accepté" });
    await vi.waitFor(
      () =>
        expect(zoom.meetings.get(event.conference.meetingId)).toMatchObject({
          topic: "Refusé puis accepté",
          start_time: "2026-12-17T09:00:00Z",
        }),
      { timeout: 10_000, interval: 100 },
    );
    await vi.waitFor(async () => expect((await zoomConnection()).lastError).toBeNull(), {
      timeout: 5_000,
      interval: 100,
    });
  });

  it("stops, without retrying, while Zoom needs to be reconnected", async () => {
    const event = await createZoomEvent(
      "En attente",
      "2026-12-18T09:00:00+01:00",
      "2026-12-18T09:30:00+01:00",
    );
    const listed = await agenda.call("alice", "GET", "/connections");
    const connection = listed.body.connections.find((item: { provider: string }) => item.provider === "zoom");
    await agenda.agenda.connections.markNeedsReauth(
      connection.id,
      "Zoom no longer accepts this authorization",
    );
    const deleted = await agenda.call("alice", "DELETE", `/events/${event.id}`);
    expect(deleted.status).toBe(204);
    await vi.waitFor(
      async () => {
        const { rows } = await agenda.pool.query(
          `select retry_count, output from "${agenda.schema}_jobs".job
            where name = 'agenda.zoom-meeting' and data->>'meetingId' = $1 and state = 'completed'`,
          [event.conference.meetingId],
        );
        expect(rows).toEqual([
          {
            retry_count: 0,
            output: {
              outcome: "stopped",
              reason: `the Zoom meeting ${event.conference.meetingId} could not be deleted: Zoom needs to be reconnected`,
            },
          },
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(zoom.meetings.get(event.conference.meetingId)).toBeDefined();
  });
});
