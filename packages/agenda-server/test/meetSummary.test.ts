import { createAiService, createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const topic = "projects/crm-agenda-test/topics/meet-transcripts";
const serviceAccountEmail = "meet-push@crm-agenda-test.iam.gserviceaccount.com";
const google = createGoogleSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const ai = createAiService();
let googleServer: RunningSandbox;
let aiServer: { url: string; stop(): Promise<void> };
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  googleServer = await google.start();
  aiServer = await ai.start({ port: 0 });
  agenda = await startTestAgenda({
    providers: {
      google: { ...sandboxClient, baseUrl: googleServer.url, pubsub: { topic, serviceAccountEmail } },
    },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ai: { baseUrl: aiServer.url },
    polling: false,
    calendarSync: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
  });
  google.workspaceEvents.configurePush(topic, {
    endpoint: `${agenda.baseUrl}/webhooks/google/events`,
    serviceAccountEmail,
  });
  await connectAccount(agenda.baseUrl, "google", "alice", "acct-alice");
}, 60_000);
afterAll(async () => {
  await agenda.stop();
  await googleServer.stop();
  await aiServer.stop();
});

async function subscription() {
  await expect.poll(() => google.workspaceEvents.subscriptions().length, { timeout: 15_000 }).toBe(1);
  return google.workspaceEvents.subscriptions()[0]!;
}

function meetCall(meetingCode: string, start: Date) {
  return google.meet.addMeetCall({
    account: sandboxAccounts[0]!,
    title: "Revue de contrat",
    start,
    end: new Date(start.getTime() + 20 * 60_000),
    meetingCode,
    entries: [
      {
        speaker: "Sophie Leroy",
        text: "Bonjour Alice, on a relu le contrat ensemble hier soir.",
        offsetMs: 5_000,
      },
      {
        speaker: "Alice Martin",
        text: "Très bien. Vous êtes d'accord sur la durée de trois ans ?",
        offsetMs: 15_000,
      },
      {
        speaker: "Sophie Leroy",
        text: "Oui, c'est validé. On signe la version définitive la semaine prochaine.",
        offsetMs: 30_000,
      },
      {
        speaker: "Alice Martin",
        text: "Je vais vous envoyer l'avenant corrigé demain matin.",
        offsetMs: 45_000,
      },
    ],
    participants: [{ name: "Alice Martin", email: "alice@acme.test" }, { name: "Sophie Leroy" }],
  });
}

describe("a Google Meet call, from Workspace event to summary", () => {
  it("subscribes the connected user to their Meet transcripts", async () => {
    const subscribed = await subscription();
    expect(subscribed).toMatchObject({
      targetResource: "//cloudidentity.googleapis.com/users/acct-alice",
      state: "ACTIVE",
    });
    expect(subscribed.notificationEndpoint.pubsubTopic).toBe(topic);
  });

  it("summarizes the transcript onto the event with the same meeting code, once whatever Pub/Sub redelivers", async () => {
    const subscribed = await subscription();
    const start = new Date(Date.now() - 3 * 3600_000);
    const event = await agenda.call("alice", "POST", "/events", {
      title: "Revue de contrat — Boulangerie Leroy",
      start: start.toISOString(),
      end: new Date(start.getTime() + 1800_000).toISOString(),
      timeZone: "Europe/Paris",
      conference: {
        provider: "meet",
        joinUrl: "https://meet.google.com/abc-defg-hij",
        meetingId: "abc-defg-hij",
      },
    });
    const call = meetCall("abc-defg-hij", new Date(start.getTime() + 60_000));
    const pushed = await google.workspaceEvents.pushTranscriptGenerated(subscribed.name, call.transcript);
    expect(pushed.status).toBe(204);
    expect((await google.workspaceEvents.redeliver(pushed.messageId)).status).toBe(204);

    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${event.body.id}/summary`)).body.status, {
        timeout: 30_000,
        interval: 200,
      })
      .toBe("ready");
    const summary = (await agenda.call("alice", "GET", `/events/${event.body.id}/summary`)).body;
    expect(summary.transcriptUrl).toBe(call.exportUri);
    expect(summary.participants.map((person: { name: string }) => person.name)).toEqual(
      expect.arrayContaining(["Sophie Leroy", "Alice Martin"]),
    );
    expect(JSON.stringify(summary.summary)).toMatch(/validé|avenant|contrat/);
    const { rows } = await agenda.pool.query(
      `select (select count(*)::int from "${agenda.schema}".deliveries where source = 'google-events') as deliveries,
              (select count(*)::int from "${agenda.schema}".summaries where provider = 'meet') as summaries`,
    );
    expect(rows[0]).toEqual({ deliveries: 1, summaries: 1 });
  });

  it("finds a Meet call whose event never came, on the next poll", async () => {
    const start = new Date(Date.now() - 2 * 3600_000);
    const call = meetCall("pol-lcal-lme", start);
    await agenda.agenda.queue.send(jobQueues.callPoll, {});
    let eventId = "";
    await expect
      .poll(
        async () => {
          const { rows } = await agenda.pool.query(
            `select event_id from "${agenda.schema}".summaries where source_key = $1`,
            [call.transcript],
          );
          eventId = rows[0]?.event_id ?? "";
          return eventId;
        },
        { timeout: 20_000 },
      )
      .not.toBe("");
    await expect
      .poll(async () => (await agenda.call("alice", "GET", `/events/${eventId}/summary`)).body.status, {
        timeout: 30_000,
        interval: 200,
      })
      .toBe("ready");
    const event = (await agenda.call("alice", "GET", `/events/${eventId}`)).body;
    expect(event).toMatchObject({
      source: "meet",
      conference: { provider: "meet", meetingId: "pol-lcal-lme" },
    });
  });

  it("refuses a push whose token is not from the push subscription's service account or audience", async () => {
    const subscribed = await subscription();
    const call = meetCall("xyz-abcd-efg", new Date(Date.now() - 3600_000));
    const otherAccount = await google.workspaceEvents.pushTranscriptGenerated(
      subscribed.name,
      call.transcript,
      {
        email: "someone-else@evil.example",
      },
    );
    expect(otherAccount.status).toBe(403);
    const otherAudience = await google.workspaceEvents.pushTranscriptGenerated(
      subscribed.name,
      call.transcript,
      {
        aud: "https://elsewhere.example/push",
      },
    );
    expect(otherAudience.status).toBe(401);
    expect(JSON.parse(otherAudience.body).error.message).toMatch(/^Google push refused/);
  });

  it("renews the subscription when Google reminds us it will expire", async () => {
    const subscribed = await subscription();
    const before = Date.parse(subscribed.expireTime);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(
      (await google.workspaceEvents.pushLifecycleEvent(subscribed.name, "expirationReminder")).status,
    ).toBe(204);
    await expect
      .poll(() => Date.parse(google.workspaceEvents.subscriptions()[0]!.expireTime), { timeout: 15_000 })
      .toBeGreaterThan(before);
  });

  it("deletes the subscription when the user disconnects Google", async () => {
    await subscription();
    const connection = (await agenda.call("alice", "GET", "/connections")).body.connections[0];
    expect((await agenda.call("alice", "DELETE", `/connections/${connection.id}`)).status).toBe(204);
    expect(google.workspaceEvents.subscriptions()).toEqual([]);
  });
});
