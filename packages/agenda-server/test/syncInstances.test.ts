import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const calendar = google.calendar;
let googleServer: RunningSandbox;
let first: Awaited<ReturnType<typeof startTestAgenda>>;
let second: Awaited<ReturnType<typeof startTestAgenda>>;
const poll = { timeout: 20_000, interval: 100 };
const at = (offsetDays: number, hour: number) => {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString();
};

beforeAll(async () => {
  googleServer = await google.start();
  const options = {
    providers: { google: { ...sandboxClient, baseUrl: googleServer.url } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    polling: false as const,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  };
  first = await startTestAgenda(options);
  second = await startTestAgenda({ ...options, schema: first.schema });
});
afterAll(async () => {
  await second.stop();
  await first.stop();
  await googleServer.stop();
});

describe("two server instances on one database", () => {
  it("sync the same connections without running two syncs of one connection at once, and converge", async () => {
    const alice = await connectAccount(first.baseUrl, "google", "alice", "acct-alice");
    const carol = await connectAccount(second.baseUrl, "google", "carol", "acct-carol");
    for (let index = 0; index < 30; index++) {
      calendar.put(index % 2 ? "acct-alice" : "acct-carol", {
        id: `rafale${String(index).padStart(4, "0")}`,
        summary: `Rafale ${index}`,
        start: { dateTime: at(1 + (index % 10), 9) },
        end: { dateTime: at(1 + (index % 10), 10) },
      });
    }
    // Both instances receive notifications for both connections (a load balancer spreads them).
    const channels = calendar.channels();
    await Promise.all(
      channels.flatMap((channel) =>
        [first, second].map((instance, index) =>
          fetch(`${instance.baseUrl}/webhooks/google/calendar`, {
            method: "POST",
            headers: {
              "x-goog-channel-id": channel.id,
              "x-goog-channel-token": channel.token ?? "",
              "x-goog-resource-state": "exists",
              "x-goog-message-number": String(1000 + index),
            },
          }),
        ),
      ),
    );
    const count = async (person: "alice" | "carol") => {
      const from = new Date(Date.now() - 86_400_000).toISOString();
      const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
      return (await first.call(person, "GET", `/events?from=${from}&to=${to}`)).body.events.length as number;
    };
    await expect.poll(() => count("alice"), poll).toBe(15);
    await expect.poll(() => count("carol"), poll).toBe(15);
    // One list at a time per calendar, whichever instance ran it.
    expect(calendar.stats.maxListsInFlight).toBe(1);
    const { rows } = await first.pool.query(
      `select count(*)::int as events, count(distinct (connection_id, external_id))::int as distinct_ids
         from "${first.schema}".events where connection_id in ($1, $2)`,
      [alice.id, carol.id],
    );
    expect(rows[0]).toEqual({ events: 30, distinct_ids: 30 });
  });
});
