import { createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let zoomServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  zoomServer = await zoom.start();
  agenda = await startTestAgenda({
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
  });
});
afterAll(async () => {
  await agenda.stop();
  await zoomServer.stop();
});

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
