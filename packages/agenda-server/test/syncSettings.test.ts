import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
let googleServer: RunningSandbox;
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
let connectionId: string;
const poll = { timeout: 15_000, interval: 100 };

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
});
