import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { type Person, startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
let googleServer: RunningSandbox;
const poll = { timeout: 15_000, interval: 100 };
const started: Awaited<ReturnType<typeof startTestAgenda>>[] = [];

const day = (offset: number, hour = 9) => {
  const at = new Date();
  at.setUTCHours(hour, 0, 0, 0);
  return new Date(at.getTime() + offset * 86_400_000).toISOString();
};

beforeAll(async () => {
  googleServer = await google.start();
  for (const [account, prefix] of [
    ["acct-alice", "alice"],
    ["acct-carol", "carol"],
  ] as const) {
    calendar.put(account, {
      id: `${prefix}revue01`,
      summary: "Revue trimestrielle",
      start: { dateTime: day(1, 9) },
      end: { dateTime: day(1, 10) },
    });
    calendar.put(account, {
      id: `${prefix}dejeuner01`,
      summary: "Déjeuner équipe",
      start: { dateTime: day(2, 12) },
      end: { dateTime: day(2, 13) },
    });
  }
});
afterAll(async () => {
  for (const agenda of started) await agenda.stop();
  await googleServer.stop();
});

async function agendaWith(keepEventsOnDisconnect: boolean) {
  const agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
    calendarSync: { keepEventsOnDisconnect },
  });
  started.push(agenda);
  const titles = async (person: Person) => {
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 300 * 86_400_000).toISOString();
    const response = await agenda.call(person, "GET", `/events?from=${from}&to=${to}`);
    return (response.body.events as { title: string }[]).map((event) => event.title).sort();
  };
  return { agenda, titles };
}

describe("disconnecting a calendar account", () => {
  it("takes its events out of the agenda by default", async () => {
    const { agenda, titles } = await agendaWith(false);
    const connection = await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
    await expect.poll(() => titles("alice"), poll).toEqual(["Déjeuner équipe", "Revue trimestrielle"]);
    expect((await agenda.call("alice", "DELETE", `/connections/${connection.id}`)).status).toBe(204);
    expect(await titles("alice")).toEqual([]);
  });

  it("keeps them with keepEventsOnDisconnect, and a reconnection takes them back instead of copying them", async () => {
    const { agenda, titles } = await agendaWith(true);
    const first = await connectAccount(agenda.baseUrl, "google", "carol", "acct-carol");
    await expect.poll(() => titles("carol"), poll).toEqual(["Déjeuner équipe", "Revue trimestrielle"]);
    expect((await agenda.call("carol", "DELETE", `/connections/${first.id}`)).status).toBe(204);
    expect(await titles("carol")).toEqual(["Déjeuner équipe", "Revue trimestrielle"]);

    // While the account is away, the lunch moves in Google.
    calendar.put("acct-carol", {
      id: "caroldejeuner01",
      summary: "Déjeuner équipe (décalé)",
      start: { dateTime: day(2, 13) },
      end: { dateTime: day(2, 14) },
    });
    const again = await connectAccount(agenda.baseUrl, "google", "carol", "acct-carol");
    await expect
      .poll(() => titles("carol"), poll)
      .toEqual(["Déjeuner équipe (décalé)", "Revue trimestrielle"]);
    const { rows } = await agenda.pool.query(
      `select title, connection_id from "${agenda.schema}".events where user_id = 'carol' order by title`,
    );
    expect(rows).toEqual([
      { title: "Déjeuner équipe (décalé)", connection_id: again.id },
      { title: "Revue trimestrielle", connection_id: again.id },
    ]);
  });
});
