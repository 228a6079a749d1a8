import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
const teamCalendar = "equipe-commerciale@group.calendar.google.com";
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
let connectionId: string;
const poll = { timeout: 15_000, interval: 100 };

const at = (offsetDays: number, hour: number) => {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString();
};
const titlesIn = (calendarId: string) =>
  calendar
    .listCalendar("acct-alice", calendarId)
    .map((event) => event.summary)
    .sort();
async function agendaTitles(): Promise<string[]> {
  const response = await agenda.call("alice", "GET", `/events?from=${at(-5, 0)}&to=${at(30, 0)}`);
  return response.body.events.map((event: { title: string }) => event.title).sort();
}

beforeAll(async () => {
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    calendarSync: { push: false, pollIntervalMinutes: 15 },
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  });
  connectionId = (await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice")).id;
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

describe("calendar sync settings per connection", () => {
  it("lists a Google connection with its next sync, one polling interval after its last success", async () => {
    await expect
      .poll(
        async () => (await agenda.call("alice", "GET", "/connections")).body.connections[0].lastSyncAt,
        poll,
      )
      .not.toBeNull();
    const listed = await agenda.call("alice", "GET", "/connections");
    expect(listed.status).toBe(200);
    const connection = listed.body.connections[0];
    expect(connection.id).toBe(connectionId);
    expect(Date.parse(connection.nextSyncAt) - Date.parse(connection.lastSyncAt)).toBe(15 * 60_000);
  });

  it("lists the account's calendars, moves the agenda's events to the chosen one, and keeps those already made", async () => {
    calendar.addCalendar("acct-alice", { id: teamCalendar, summary: "Équipe commerciale" });
    const before = await agenda.call("alice", "GET", `/connections/${connectionId}/calendars`);
    expect(before.status).toBe(200);
    expect(before.body.calendars).toEqual([
      { id: "alice@acme.test", name: "alice@acme.test", primary: true, selected: true },
      { id: teamCalendar, name: "Équipe commerciale", primary: false, selected: false },
    ]);

    const first = await agenda.call("alice", "POST", "/events", {
      title: "Avant le choix",
      start: at(2, 9),
      end: at(2, 10),
      timeZone: "Europe/Paris",
    });
    expect(first.status).toBe(201);
    await expect.poll(() => titlesIn("primary"), poll).toEqual(["Avant le choix"]);

    const chosen = await agenda.call("alice", "PATCH", `/connections/${connectionId}`, {
      calendarId: teamCalendar,
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ id: connectionId, calendarId: teamCalendar, pushCrmEvents: true });
    const after = await agenda.call("alice", "GET", `/connections/${connectionId}/calendars`);
    expect(after.body.calendars.map((item: { selected: boolean }) => item.selected)).toEqual([false, true]);

    const second = await agenda.call("alice", "POST", "/events", {
      title: "Après le choix",
      start: at(3, 9),
      end: at(3, 10),
      timeZone: "Europe/Paris",
    });
    expect(second.status).toBe(201);
    await expect.poll(() => titlesIn(teamCalendar), poll).toEqual(["Après le choix"]);
    expect(titlesIn("primary")).toEqual(["Avant le choix"]);
    // The full sync of the new calendar leaves the agenda's own earlier event where it was.
    await expect
      .poll(
        async () => (await agenda.call("alice", "GET", "/connections")).body.connections[0].lastSyncAt,
        poll,
      )
      .not.toBe(chosen.body.lastSyncAt);
    expect(await agendaTitles()).toEqual(["Après le choix", "Avant le choix"]);
  });

  it("stops writing the agenda's events to the calendar when asked", async () => {
    const stopped = await agenda.call("alice", "PATCH", `/connections/${connectionId}`, {
      pushCrmEvents: false,
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ calendarId: teamCalendar, pushCrmEvents: false });
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Resté dans le CRM",
      start: at(4, 9),
      end: at(4, 10),
      timeZone: "Europe/Paris",
    });
    expect(created.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(titlesIn(teamCalendar)).not.toContain("Resté dans le CRM");
    expect(await agendaTitles()).toContain("Resté dans le CRM");
  });

  it("refuses a calendar the account does not have, and another user's connection", async () => {
    const unknown = await agenda.call("alice", "PATCH", `/connections/${connectionId}`, {
      calendarId: "inconnu@group.calendar.google.com",
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("unprocessable");
    expect((await agenda.call("bob", "GET", `/connections/${connectionId}/calendars`)).status).toBe(404);
    expect(
      (await agenda.call("bob", "PATCH", `/connections/${connectionId}`, { pushCrmEvents: true })).status,
    ).toBe(404);
    expect(
      (await agenda.call("alice", "PATCH", `/connections/${connectionId}`, { calendarId: "" })).status,
    ).toBe(400);
  });
});
