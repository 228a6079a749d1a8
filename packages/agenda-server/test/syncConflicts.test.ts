import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

// Both sides change an event before either has seen the other's change (Google's notification is
// held back): the later writer wins, a deletion on either side wins, and each conflict is recorded.
const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
/** How far the agenda's clock is behind the real one (Google's), when a test sets it. */
let agendaBehindMs = 0;
const poll = { timeout: 15_000, interval: 100 };

const at = (offsetDays: number, hour: number) => {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString();
};
const googleId = (eventId: string) => eventId.replaceAll("-", "");

beforeAll(async () => {
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    now: () => new Date(Date.now() - agendaBehindMs),
  });
  await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
});
afterEach(() => {
  agendaBehindMs = 0;
  calendar.control.dropNotifications = false;
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

/** An agenda event already written to Google, and the Google copy's id. */
async function syncedEvent(title: string, day: number) {
  const created = await agenda.call("alice", "POST", "/events", {
    title,
    start: at(day, 9),
    end: at(day, 10),
    timeZone: "Europe/Paris",
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await expect
    .poll(async () => {
      const { rows } = await agenda.pool.query(
        `select external_etag from "${agenda.schema}".events where id = $1`,
        [id],
      );
      return rows[0]?.external_etag;
    }, poll)
    .toBeTruthy();
  return { id, external: googleId(id) };
}

async function conflictsOf(id: string) {
  const { rows } = await agenda.pool.query(
    `select winner, detail from "${agenda.schema}".sync_conflicts where event_id = $1`,
    [id],
  );
  return rows;
}

describe("sync conflicts", () => {
  it("gives the event to Google's change when it is the later one, and records it", async () => {
    // The agenda's clock runs an hour behind Google's: its change, made after Google's, is the older.
    agendaBehindMs = 3_600_000;
    const { id, external } = await syncedEvent("Négociation", 9);
    calendar.control.dropNotifications = true;
    calendar.patch("acct-alice", external, { summary: "Négociation (Google)" });
    expect(
      (await agenda.call("alice", "PATCH", `/events/${id}`, { title: "Négociation (agenda)" })).status,
    ).toBe(200);

    await expect
      .poll(async () => (await conflictsOf(id)).map((row) => row.winner), poll)
      .toEqual(["provider"]);
    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${id}`)).body.title, poll)
      .toBe("Négociation (Google)");
    expect(calendar.get("acct-alice", external)?.summary).toBe("Négociation (Google)");
    // One event on each side: the winner replaces the loser, neither side gains a copy.
    const { rows } = await agenda.pool.query(
      `select id from "${agenda.schema}".events where user_id = 'alice' and title like 'Négociation%'`,
    );
    expect(rows).toEqual([{ id }]);
    expect(
      calendar.list("acct-alice").filter((event) => event.summary?.startsWith("Négociation")),
    ).toHaveLength(1);
  });

  it("lets a deletion in Google stand over a later change in the agenda, and records it", async () => {
    const { id, external } = await syncedEvent("Visite usine", 10);
    calendar.control.dropNotifications = true;
    calendar.remove("acct-alice", external);
    expect(
      (await agenda.call("alice", "PATCH", `/events/${id}`, { title: "Visite usine (agenda)" })).status,
    ).toBe(200);

    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${id}`)).status, poll)
      .toBe(404);
    expect(await conflictsOf(id)).toEqual([
      { winner: "provider", detail: "changed in the agenda, deleted at the provider" },
    ]);
    expect(calendar.list("acct-alice").some((event) => event.id === external)).toBe(false);
  });

  it("lets a deletion in the agenda stand over a change in Google", async () => {
    const { id, external } = await syncedEvent("Salon Batimat", 11);
    calendar.control.dropNotifications = true;
    calendar.patch("acct-alice", external, { summary: "Salon Batimat (Google)" });
    expect((await agenda.call("alice", "DELETE", `/events/${id}`)).status).toBe(204);

    await expect
      .poll(() => calendar.get("acct-alice", external)?.status ?? "gone", poll)
      .toMatch(/cancelled|gone/);
    expect(calendar.list("acct-alice").some((event) => event.id === external)).toBe(false);
    expect((await agenda.call("alice", "GET", `/events/${id}`)).status).toBe(404);
  });
});
