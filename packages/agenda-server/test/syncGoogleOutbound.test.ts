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
const poll = { timeout: 15_000, interval: 100 };

const at = (offsetDays: number, hour: number) => {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString();
};
const googleId = (eventId: string) => eventId.replaceAll("-", "");

async function agendaTitles(): Promise<string[]> {
  const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 60 * 86_400_000).toISOString();
  const response = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
  return response.body.events.map((event: { title: string }) => event.title).sort();
}
const googleTitles = () =>
  calendar
    .list("acct-alice")
    .map((event) => event.summary)
    .sort();
async function row(eventId: string) {
  const { rows } = await agenda.pool.query(
    `select connection_id, external_id, external_etag, crm_made, conference from "${agenda.schema}".events where id = $1`,
    [eventId],
  );
  return rows[0];
}

beforeAll(async () => {
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  });
  connectionId = (await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice")).id;
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

describe("Google Calendar sync, outbound", () => {
  it("writes an event created in the agenda with our id and marker, and its echo does not duplicate it", async () => {
    await expect.poll(() => calendar.channels().length, poll).toBe(1);
    const runs = async () =>
      (await agenda.pool.query(`select runs from "${agenda.schema}".calendar_syncs`)).rows[0].runs as number;
    const runsBefore = await runs();
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Démo produit",
      start: at(2, 9),
      end: at(2, 10),
      timeZone: "Europe/Paris",
      attendees: [{ email: "marie@dupont.fr" }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await expect.poll(googleTitles, poll).toEqual(["Démo produit"]);
    const copy = calendar.list("acct-alice")[0]!;
    expect(copy.id).toBe(googleId(id));
    expect(copy.extendedProperties?.private).toEqual({ crmAgendaEventId: id });
    expect(copy.attendees?.map((attendee) => attendee.email)).toEqual(["marie@dupont.fr"]);
    await expect.poll(async () => (await row(id)).external_etag, poll).toBe(copy.etag);
    // The push notification of our own insert comes back: the sync sees the same etag and changes nothing.
    await expect.poll(runs, poll).toBeGreaterThan(runsBefore);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await agendaTitles()).toEqual(["Démo produit"]);
    expect((await agenda.call("alice", "GET", `/events/${id}`)).body).toMatchObject({
      source: "crm",
      clientMatch: { clientId: "dupont" },
    });
    expect((await row(id)).crm_made).toBe(true);
  });

  it("moves and deletes the Google copy when the agenda's event is moved and deleted", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Atelier",
      start: at(3, 13),
      end: at(3, 14),
      timeZone: "Europe/Paris",
    });
    const id = created.body.id as string;
    await expect.poll(googleTitles, poll).toContain("Atelier");
    expect(
      (await agenda.call("alice", "PATCH", `/events/${id}`, { start: at(4, 15), end: at(4, 16) })).status,
    ).toBe(200);
    await expect
      .poll(
        () => calendar.list("acct-alice").find((event) => event.id === googleId(id))?.start?.dateTime,
        poll,
      )
      .toBe(at(4, 15));
    expect((await agenda.call("alice", "DELETE", `/events/${id}`)).status).toBe(204);
    await expect.poll(googleTitles, poll).not.toContain("Atelier");
    // The echo of the move, arriving after the delete, does not bring it back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await agendaTitles()).not.toContain("Atelier");
  });

  it("moves a Google event in Google when it is moved in the agenda", async () => {
    calendar.put("acct-alice", {
      id: "venudegoogle1",
      summary: "Venu de Google",
      start: { dateTime: at(5, 9) },
      end: { dateTime: at(5, 10) },
    });
    await expect.poll(agendaTitles, poll).toContain("Venu de Google");
    const listed = await agenda.call("alice", "GET", `/events?from=${at(5, 0)}&to=${at(6, 0)}`);
    const id = listed.body.events.find((event: { title: string }) => event.title === "Venu de Google").id;
    await agenda.call("alice", "PATCH", `/events/${id}`, { start: at(5, 11), end: at(5, 12) });
    await expect
      .poll(
        () => calendar.list("acct-alice").find((event) => event.id === "venudegoogle1")?.start?.dateTime,
        poll,
      )
      .toBe(at(5, 11));
    expect(calendar.list("acct-alice").filter((event) => event.summary === "Venu de Google")).toHaveLength(1);
  });

  it("never duplicates when an insert is retried after Google already made the event", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Relance",
      start: at(6, 9),
      end: at(6, 10),
      timeZone: "Europe/Paris",
    });
    const id = created.body.id as string;
    await expect.poll(googleTitles, poll).toContain("Relance");
    const inserts = calendar.stats.inserts;
    // As if the worker died after Google answered but before the agenda recorded it, then retried.
    await agenda.pool.query(
      `update "${agenda.schema}".events set external_id = null, external_etag = null, synced_at = null,
          connection_id = null, title = 'Relance (bis)', updated_at = now() where id = $1`,
      [id],
    );
    await agenda.agenda.queue.send(jobQueues.calendarPush, { action: "upsert", eventId: id });
    await agenda.agenda.queue.send(jobQueues.calendarPush, { action: "upsert", eventId: id });
    await expect.poll(googleTitles, poll).toContain("Relance (bis)");
    expect(googleTitles().filter((title) => title?.startsWith("Relance"))).toEqual(["Relance (bis)"]);
    expect(calendar.stats.inserts).toBe(inserts);
    await expect.poll(async () => (await row(id)).external_id, poll).toBe(googleId(id));
    expect((await agendaTitles()).filter((title) => title.startsWith("Relance"))).toEqual(["Relance (bis)"]);
  });

  it("adds a Google Meet link when the event asks for one", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Visio client",
      start: at(7, 9),
      end: at(7, 10),
      timeZone: "Europe/Paris",
      conference: { provider: "meet" },
    });
    const id = created.body.id as string;
    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${id}`)).body.conference?.joinUrl, poll)
      .toMatch(/^https:\/\/meet\.google\.com\//);
    const copy = calendar.list("acct-alice").find((event) => event.id === googleId(id))!;
    expect(copy.hangoutLink).toBe(
      (await agenda.call("alice", "GET", `/events/${id}`)).body.conference.joinUrl,
    );
  });

  it("gives a conflict to the last writer and records it", async () => {
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Négociation",
      start: at(8, 9),
      end: at(8, 10),
      timeZone: "Europe/Paris",
    });
    const id = created.body.id as string;
    await expect.poll(async () => (await row(id)).external_etag, poll).toBeTruthy();
    // Google's change arrives late (no notification); the agenda's change comes after it.
    calendar.control.dropNotifications = true;
    calendar.patch("acct-alice", googleId(id), { summary: "Négociation (Google)" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await agenda.call("alice", "PATCH", `/events/${id}`, { title: "Négociation (agenda)" });
    await expect
      .poll(() => calendar.list("acct-alice").find((event) => event.id === googleId(id))?.summary, poll)
      .toBe("Négociation (agenda)");
    calendar.control.dropNotifications = false;
    const { rows } = await agenda.pool.query(
      `select winner, external_id from "${agenda.schema}".sync_conflicts where event_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ winner: "agenda", external_id: googleId(id) }]);
  });

  it("stops the channel and removes Google's events on disconnect, keeping the agenda's own", async () => {
    const channel = calendar.channels().find((candidate) => !candidate.stopped)!;
    expect((await agenda.call("alice", "DELETE", `/connections/${connectionId}`)).status).toBe(204);
    expect(calendar.channels().find((candidate) => candidate.id === channel.id)!.stopped).toBe(true);
    const titles = await agendaTitles();
    expect(titles).not.toContain("Venu de Google");
    expect(titles).toContain("Démo produit");
    const { rows } = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".events where connection_id is not null`,
    );
    expect(rows[0].count).toBe(0);
  });
});
