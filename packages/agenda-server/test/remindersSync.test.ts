import { randomBytes } from "node:crypto";
import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reminder } from "../src/index";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const told: Reminder[] = [];
const clock = { now: new Date() };
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  googleServer = await google.start();
  agenda = await startTestAgenda({
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: [{ id: "k1", key: randomBytes(32).toString("base64") }],
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    now: () => clock.now,
    reminders: { offsetsMinutes: [60] },
    hooks: { onReminder: (reminder) => void told.push(reminder) },
  });
  await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
});
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
});

async function syncedStart(title: string): Promise<string | undefined> {
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const { body } = await agenda.call("alice", "GET", `/events?from=${from}&to=${to}`);
  return body.events.find((event: { title: string }) => event.title === title)?.start;
}

async function runRound() {
  const id = await agenda.agenda.queue.send("agenda.reminder-tick", {});
  await expect
    .poll(async () => (await agenda.agenda.queue.getJobById("agenda.reminder-tick", id!))?.state, {
      timeout: 10_000,
      interval: 100,
    })
    .toBe("completed");
}

describe("reminders of events written by calendar sync", () => {
  it("reminds of a Google event with a client, of its new time once Google moves it", async () => {
    const first = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3 * 60 * 60_000);
    google.calendar.put("acct-alice", {
      id: "rappelgoogle1",
      summary: "Revue Dupont",
      start: { dateTime: first.toISOString() },
      end: { dateTime: new Date(first.getTime() + 30 * 60_000).toISOString() },
      attendees: [{ email: "alice@acme.test" }, { email: "marie@dupont.fr" }],
    });
    await expect.poll(() => syncedStart("Revue Dupont"), { timeout: 15_000 }).toBe(first.toISOString());

    // Its reminder is due in a few seconds; Google moves the event before then.
    clock.now = new Date(first.getTime() - 60 * 60_000 - 12_000);
    await runRound();
    const moved = new Date(first.getTime() + 2 * 60 * 60_000);
    google.calendar.patch("acct-alice", "rappelgoogle1", {
      start: { dateTime: moved.toISOString() },
      end: { dateTime: new Date(moved.getTime() + 30 * 60_000).toISOString() },
    });
    await expect.poll(() => syncedStart("Revue Dupont"), { timeout: 15_000 }).toBe(moved.toISOString());
    // The old time's job has run by now and dropped its reminder.
    await expect
      .poll(async () => (await agenda.pool.query(`select 1 from "${agenda.schema}".reminders`)).rowCount, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(0);
    expect(told).toHaveLength(0);

    clock.now = new Date(moved.getTime() - 60 * 60_000);
    await runRound();
    await expect.poll(() => told.length, { timeout: 15_000 }).toBe(1);
    expect(told[0]!.event).toMatchObject({
      title: "Revue Dupont",
      source: "google",
      start: moved.toISOString(),
    });
    expect(told[0]!.client.id).toBe("dupont");
  });
});
