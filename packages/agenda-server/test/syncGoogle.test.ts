import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
let connectionId: string;
/** The agenda's clock runs ahead of the real one by this much when a test moves time. */
let clockOffsetMs = 0;
const poll = { timeout: 15_000, interval: 100 };

const day = (offset: number, hour = 9) => {
  const at = new Date();
  at.setUTCHours(hour, 0, 0, 0);
  return new Date(at.getTime() + offset * 86_400_000).toISOString();
};

interface AgendaEvent {
  id: string;
  title: string;
  start: string;
  end: string;
  source: string;
  clientMatch: { clientId: string | null; method: string };
  conference: { provider: string; joinUrl?: string } | null;
}

async function agendaEvents(): Promise<AgendaEvent[]> {
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 300 * 86_400_000).toISOString();
  const response = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
  expect(response.status).toBe(200);
  return response.body.events;
}
const titles = async () => (await agendaEvents()).map((event) => event.title).sort();

async function syncState() {
  const { rows } = await agenda.pool.query(
    `select cursor, full_syncs, runs, last_success_at, last_error, next_run_at from "${agenda.schema}".calendar_syncs
      where connection_id = $1`,
    [connectionId],
  );
  return rows[0];
}

beforeAll(async () => {
  googleServer = await google.start();
  // Alice's calendar before she connects it.
  calendar.put("acct-alice", {
    id: "seedrevue01",
    summary: "Revue trimestrielle",
    start: { dateTime: day(1, 9) },
    end: { dateTime: day(1, 10) },
    attendees: [{ email: "alice@acme.test" }, { email: "marie@dupont.fr", displayName: "Marie Dupont" }],
  });
  calendar.put("acct-alice", {
    id: "seeddejeuner",
    summary: "Déjeuner équipe",
    start: { dateTime: day(2, 12) },
    end: { dateTime: day(2, 13) },
    attendees: [{ email: "carol@acme.test" }],
  });
  calendar.put("acct-alice", {
    id: "seedconge01",
    summary: "Congé",
    start: { date: day(3).slice(0, 10) },
    end: { date: day(4).slice(0, 10) },
  });
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    calendarSync: { pollIntervalMinutes: 15 },
    now: () => new Date(Date.now() + clockOffsetMs),
  });
  connectionId = (await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice")).id;
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

describe("Google Calendar sync, inbound", () => {
  it("brings the whole calendar on connecting, with clients matched and all-day events whole days", async () => {
    await expect.poll(titles, poll).toEqual(["Congé", "Déjeuner équipe", "Revue trimestrielle"]);
    await expect.poll(() => calendar.channels().filter((channel) => !channel.stopped).length, poll).toBe(1);
    const events = await agendaEvents();
    const revue = events.find((event) => event.title === "Revue trimestrielle")!;
    expect(revue).toMatchObject({
      source: "google",
      start: day(1, 9),
      clientMatch: { clientId: "dupont", method: "auto" },
    });
    // A colleague is never the client.
    expect(events.find((event) => event.title === "Déjeuner équipe")!.clientMatch.method).toBe("none");
    const conge = events.find((event) => event.title === "Congé")!;
    expect(conge).toMatchObject({ allDay: true });
    expect(Date.parse(conge.end) - Date.parse(conge.start)).toBe(86_400_000);
    const state = await syncState();
    expect(state.cursor).toBeTruthy();
    expect(state.full_syncs).toBe(1);
    expect(state.last_error).toBeNull();
    const connections = await agenda.call("alice", "GET", "/connections");
    expect(connections.body.connections[0].lastSyncAt).not.toBeNull();
  });

  it("shows a create, an update and a delete made in Google within seconds, through the push channel", async () => {
    const listsBefore = calendar.stats.listRequests;
    calendar.put("acct-alice", {
      id: "pushnouveau1",
      summary: "Appel Martin",
      start: { dateTime: day(5, 14) },
      end: { dateTime: day(5, 15) },
      attendees: [{ email: "paul@martin.fr" }],
    });
    calendar.patch("acct-alice", "seedrevue01", {
      summary: "Revue trimestrielle (déplacée)",
      start: { dateTime: day(1, 11) },
      end: { dateTime: day(1, 12) },
    });
    calendar.remove("acct-alice", "seeddejeuner");
    await expect.poll(titles, poll).toEqual(["Appel Martin", "Congé", "Revue trimestrielle (déplacée)"]);
    const events = await agendaEvents();
    expect(events.find((event) => event.title === "Appel Martin")!.clientMatch.clientId).toBe("martin");
    expect(events.find((event) => event.title.startsWith("Revue"))!.start).toBe(day(1, 11));
    // Incremental: no full sync again, and only a few list calls, not one per notification.
    expect((await syncState()).full_syncs).toBe(1);
    expect(calendar.stats.listRequests - listsBefore).toBeLessThanOrEqual(4);
  });

  it("starts over after 410 Gone, removing what vanished upstream meanwhile", async () => {
    calendar.control.dropNotifications = true;
    calendar.remove("acct-alice", "pushnouveau1");
    calendar.expireSyncTokens();
    calendar.control.dropNotifications = false;
    calendar.put("acct-alice", {
      id: "apres410abc",
      summary: "Après le 410",
      start: { dateTime: day(6, 9) },
      end: { dateTime: day(6, 10) },
    });
    await expect.poll(titles, poll).toEqual(["Après le 410", "Congé", "Revue trimestrielle (déplacée)"]);
    // The run's counters are written once its events are, so they may come a moment later.
    await expect.poll(async () => (await syncState()).full_syncs, poll).toBe(2);
  });

  it("shows a recurring series' instances, with a moved one and without a cancelled one", async () => {
    calendar.put("acct-alice", {
      id: "hebdo0001",
      summary: "Point hebdo",
      start: { dateTime: day(7, 8), timeZone: "Europe/Paris" },
      end: { dateTime: day(7, 9), timeZone: "Europe/Paris" },
      recurrence: ["RRULE:FREQ=WEEKLY;COUNT=4"],
    });
    await expect
      .poll(async () => (await titles()).filter((title) => title === "Point hebdo").length, poll)
      .toBe(4);
    const second = `hebdo0001_${day(14, 8)
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "")}`;
    const third = `hebdo0001_${day(21, 8)
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "")}`;
    calendar.patch("acct-alice", second, {
      start: { dateTime: day(15, 16) },
      end: { dateTime: day(15, 17) },
    });
    calendar.remove("acct-alice", third);
    await expect
      .poll(
        async () =>
          (await agendaEvents()).filter((event) => event.title === "Point hebdo").map((event) => event.start),
        poll,
      )
      .toEqual([day(7, 8), day(15, 16), day(28, 8)]);
  });

  it("keeps a person's client correction across later syncs", async () => {
    const revue = (await agendaEvents()).find((event) => event.title.startsWith("Revue"))!;
    const corrected = await agenda.call("alice", "PUT", `/events/${revue.id}/client`, { clientId: "martin" });
    expect(corrected.status).toBe(200);
    calendar.patch("acct-alice", "seedrevue01", {
      summary: "Revue trimestrielle (confirmée)",
      attendees: [{ email: "marie@dupont.fr" }, { email: "peter@initech.test" }],
    });
    await expect
      .poll(async () => (await titles()).includes("Revue trimestrielle (confirmée)"), poll)
      .toBe(true);
    const after = (await agendaEvents()).find((event) => event.id === revue.id)!;
    expect(after.clientMatch).toEqual({ clientId: "martin", clientName: "Martin SARL", method: "manual" });
  });

  it("recovers a missed notification by polling, once the interval has passed", async () => {
    calendar.control.dropNotifications = true;
    calendar.put("acct-alice", {
      id: "manque00001",
      summary: "Notification perdue",
      start: { dateTime: day(8, 9) },
      end: { dateTime: day(8, 10) },
    });
    await agenda.agenda.queue.send(jobQueues.calendarPoll, {});
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Not due yet: the last sync was moments ago.
    expect(await titles()).not.toContain("Notification perdue");
    clockOffsetMs += 16 * 60_000;
    await agenda.agenda.queue.send(jobQueues.calendarPoll, {});
    await expect.poll(titles, poll).toContain("Notification perdue");
    calendar.control.dropNotifications = false;
  });
});

describe("Google Calendar push channels", () => {
  it("answers 200 to an unknown channel and refuses a wrong token", async () => {
    const unknown = await fetch(`${agenda.baseUrl}/webhooks/google/calendar`, {
      method: "POST",
      headers: {
        "x-goog-channel-id": "not-ours",
        "x-goog-resource-state": "exists",
        "x-goog-channel-token": "x",
      },
    });
    expect(unknown.status).toBe(200);
    const channel = calendar.channels().find((candidate) => !candidate.stopped)!;
    const forged = await fetch(`${agenda.baseUrl}/webhooks/google/calendar`, {
      method: "POST",
      headers: {
        "x-goog-channel-id": channel.id,
        "x-goog-resource-state": "exists",
        "x-goog-channel-token": "forged",
        "x-goog-message-number": "999",
      },
    });
    expect(forged.status).toBe(401);
    const { rows } = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".deliveries where delivery_key = $1`,
      [`${channel.id}:999`],
    );
    expect(rows[0].count).toBe(0);
  });

  it("replaces a channel before it expires and stops the old one", async () => {
    const old = calendar.channels().find((channel) => !channel.stopped)!;
    clockOffsetMs += 6.5 * 86_400_000;
    await agenda.agenda.queue.send(jobQueues.calendarPoll, {});
    // The new channel is opened before the old one is stopped: wait for both.
    await expect
      .poll(() => {
        const live = calendar.channels().filter((channel) => !channel.stopped);
        return { live: live.length, oldStillLive: live.some((channel) => channel.id === old.id) };
      }, poll)
      .toEqual({ live: 1, oldStillLive: false });
    const live = calendar.channels().filter((channel) => !channel.stopped);
    expect(live).toHaveLength(1);
    expect(calendar.channels().find((channel) => channel.id === old.id)!.stopped).toBe(true);
    // The new channel carries changes.
    calendar.put("acct-alice", {
      id: "nouveaucanal1",
      summary: "Par le nouveau canal",
      start: { dateTime: day(9, 9) },
      end: { dateTime: day(9, 10) },
    });
    await expect.poll(titles, poll).toContain("Par le nouveau canal");
  });
});
