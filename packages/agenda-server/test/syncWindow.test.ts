import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

// The README's promise: "Connecting a Google or Microsoft account starts a full sync of its calendar
// (90 days back, 365 ahead by default)". Checked with the default `calendarSync`.
const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

const day = (offset: number, hour = 9) => {
  const at = new Date();
  at.setUTCHours(hour, 0, 0, 0);
  return new Date(at.getTime() + offset * 86_400_000).toISOString();
};

/** Alice's agenda from 100 days back to 400 ahead, in two reads (one spans at most 400 days). */
async function titles() {
  const read = async (from: number, to: number) => {
    const answer = await agenda.call("alice", "GET", `/events?from=${day(from, 0)}&to=${day(to, 0)}`);
    expect(answer.status).toBe(200);
    return (answer.body.events as { title: string }[]).map((event) => event.title);
  };
  return [...(await read(-100, 200)), ...(await read(200, 400))].sort();
}

beforeAll(async () => {
  googleServer = await google.start();
  for (const [id, offset] of [
    ["seedpast89", -89],
    ["seedpast91", -91],
    ["seedahead364", 364],
    ["seedahead366", 366],
  ] as const) {
    google.calendar.put("acct-alice", {
      id,
      summary: `${offset > 0 ? "dans" : "il y a"} ${Math.abs(offset)} jours`,
      start: { dateTime: day(offset, 9) },
      end: { dateTime: day(offset, 10) },
    });
  }
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false,
  });
  await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

describe("the calendar sync's default window", () => {
  it("brings a connected calendar's events from 90 days back to 365 ahead, and none beyond", async () => {
    const synced = async () =>
      (await agenda.pool.query(`select last_success_at from "${agenda.schema}".calendar_syncs`)).rows[0]
        ?.last_success_at;
    await expect.poll(synced, { timeout: 15_000, interval: 100 }).toBeTruthy();
    expect(await titles()).toEqual(["dans 364 jours", "il y a 89 jours"]);
  });
});
