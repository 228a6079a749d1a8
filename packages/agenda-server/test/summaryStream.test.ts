import { createAiService, createZoomSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followSummaryStream } from "./followSummaryStream";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { type Person, startTestAgenda } from "./startTestAgenda";

const secretToken = "zoom-webhook-secret-for-stream-tests";
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
// Each answer of the model in one token: a long summary's final token is far over NOTIFY's 8,000 bytes.
const ai = createAiService({ tokenLength: 1_000_000 });
let zoomServer: RunningSandbox;
let aiServer: { url: string; stop(): Promise<void> };
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;

beforeAll(async () => {
  zoomServer = await zoom.start();
  aiServer = await ai.start({ port: 0 });
  agenda = await startTestAgenda({
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ai: { baseUrl: aiServer.url },
    polling: false,
    summaryStreams: { maxPerUser: 2, maxOpen: 3 },
  });
  await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
});
afterAll(async () => {
  await agenda.stop();
  await zoomServer.stop();
  await aiServer.stop();
});

/** An event whose summary is being written, so its stream stays open until the row says otherwise. */
async function pendingSummary(person: Person = "alice"): Promise<string> {
  const start = new Date(Date.now() - 3600_000);
  const created = await agenda.call(person, "POST", "/events", {
    title: "Point hebdomadaire",
    start: start.toISOString(),
    end: new Date(start.getTime() + 1800_000).toISOString(),
    timeZone: "Europe/Paris",
  });
  expect(created.status).toBe(201);
  await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'pending' where id = $1`, [
    created.body.id,
  ]);
  return created.body.id;
}

async function settle(eventId: string) {
  await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'failed' where id = $1`, [
    eventId,
  ]);
  await agenda.pool.query("select pg_notify($1, $2)", [
    `${agenda.schema}_summary_feed`,
    JSON.stringify({ eventId, message: { type: "changed" } }),
  ]);
}

describe("summary stream limits", () => {
  it("refuses a user's stream past the per-user cap with a 429 saying what to do, and frees the slot", async () => {
    const [first, second, third] = [await pendingSummary(), await pendingSummary(), await pendingSummary()];
    const streams = [followSummaryStream(agenda.baseUrl, first), followSummaryStream(agenda.baseUrl, second)];
    await expect.poll(() => streams.every((stream) => stream.events.length === 1)).toBe(true);

    const refused = await agenda.call("alice", "GET", `/events/${third}/summary/stream`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.body.error.message).toMatch(/close another event's summary/);
    expect(refused.body.error.details).toEqual({ limit: 2 });

    await settle(first);
    await streams[0]!.reading;
    const third$ = followSummaryStream(agenda.baseUrl, third);
    await expect.poll(() => third$.events.length).toBe(1);
    await settle(second);
    await settle(third);
    await Promise.all([streams[1]!.reading, third$.reading]);
  });

  it("refuses any stream past the instance's cap, whoever asks", async () => {
    const mine = [await pendingSummary("alice"), await pendingSummary("alice")];
    const carols = await pendingSummary("carol");
    const bobs = await pendingSummary("bob");
    const streams = [
      followSummaryStream(agenda.baseUrl, mine[0]!, "alice"),
      followSummaryStream(agenda.baseUrl, mine[1]!, "alice"),
      followSummaryStream(agenda.baseUrl, carols, "carol"),
    ];
    await expect.poll(() => streams.every((stream) => stream.events.length === 1)).toBe(true);

    const refused = await agenda.call("bob", "GET", `/events/${bobs}/summary/stream`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.body.error.message).toMatch(/try again in a little while/);
    expect(refused.headers.get("retry-after")).toBe("30");

    for (const eventId of [...mine, carols]) await settle(eventId);
    await Promise.all(streams.map((stream) => stream.reading));
  });

  it("ends a stream cleanly once it has lived its maximum lifetime", async () => {
    const shortLived = await startTestAgenda({ summaryStreams: { maxLifetimeSeconds: 1 } });
    try {
      const created = await shortLived.call("alice", "POST", "/events", {
        title: "Point hebdomadaire",
        start: new Date(Date.now() - 3600_000).toISOString(),
        end: new Date(Date.now() - 1800_000).toISOString(),
        timeZone: "Europe/Paris",
      });
      await shortLived.pool.query(
        `update "${shortLived.schema}".events set summary_status = 'pending' where id = $1`,
        [created.body.id],
      );
      const stream = followSummaryStream(shortLived.baseUrl, created.body.id);
      await stream.reading;
      // Ended by the server with the summary still pending: the client opens it again.
      expect(stream.events.map((event) => event.data.summary?.status)).toEqual(["pending"]);
    } finally {
      await shortLived.stop();
    }
  });
});

describe("resuming a summary stream", () => {
  it("gives each stored state an id and a retry delay, and does not send a reconnecting client the state it has", async () => {
    const eventId = await pendingSummary();
    const first = await fetch(`${agenda.baseUrl}/events/${eventId}/summary/stream`, {
      headers: { "x-test-user": "alice" },
    });
    const reader = first.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/\n\n(.|\n)*data: /.test(text))
      text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    expect(text).toMatch(/^retry: 1000$/m);
    const id = /^id: (.+)$/m.exec(text)?.[1];
    expect(id).toMatch(/-pending$/);

    const resumed = await fetch(`${agenda.baseUrl}/events/${eventId}/summary/stream`, {
      headers: { "x-test-user": "alice", "last-event-id": id! },
    });
    await settle(eventId);
    const rest = await resumed.text();
    const statuses = Array.from(rest.matchAll(/"status":"([a-z_]+)"/g), (match) => match[1]);
    expect(statuses).toEqual(["failed"]);
  });
});

describe("the summary feed", () => {
  it("ignores and reports notifications the agenda did not send, and goes on relaying", async () => {
    const eventId = await pendingSummary();
    const stream = followSummaryStream(agenda.baseUrl, eventId);
    await expect.poll(() => stream.events.length).toBe(1);
    const channel = `${agenda.schema}_summary_feed`;
    const errorsBefore = agenda.errors.length;
    await agenda.pool.query("select pg_notify($1, 'not json')", [channel]);
    // Any role may NOTIFY: a forged summary must never reach a user's stream.
    await agenda.pool.query("select pg_notify($1, $2)", [
      channel,
      JSON.stringify({ eventId, message: { type: "summary", summary: { status: "ready" } } }),
    ]);
    await agenda.pool.query("select pg_notify($1, $2)", [
      channel,
      JSON.stringify({ eventId, message: { type: "token", token: "Bonjour" } }),
    ]);
    await expect.poll(() => stream.events.length).toBe(2);
    expect(stream.events[1]).toEqual({ event: "token", data: { type: "token", token: "Bonjour" } });
    const reported = agenda.errors.slice(errorsBefore).map((error) => String(error));
    expect(reported).toHaveLength(2);
    for (const report of reported) expect(report).toMatch(/that the agenda did not send was ignored/);
    await settle(eventId);
    await stream.reading;
  });

  it("keeps streams told while its connection is dropped again and again, then listens again", async () => {
    const eventId = await pendingSummary();
    const stream = followSummaryStream(agenda.baseUrl, eventId);
    await expect.poll(() => stream.events.length).toBe(1);
    const listenQuery = `listen "${agenda.schema}_summary_feed"`;
    const killFeed = () =>
      agenda.pool.query("select pg_terminate_backend(pid) from pg_stat_activity where query = $1", [
        listenQuery,
      ]);
    await killFeed();
    let dropping = true;
    const dropper = (async () => {
      while (dropping) {
        await killFeed();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // The summary finishes while nobody can notify the stream's instance: it reads the row.
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'failed' where id = $1`, [
      eventId,
    ]);
    await stream.reading;
    dropping = false;
    await dropper;
    expect(stream.events.at(-1)?.data.summary?.status).toBe("failed");
    expect(
      agenda.errors.some((error) => /summary feed lost its database connection/.test(String(error))),
    ).toBe(true);
    await expect
      .poll(
        async () =>
          (await agenda.pool.query("select 1 from pg_stat_activity where query = $1", [listenQuery]))
            .rowCount,
        { timeout: 20_000 },
      )
      .toBe(1);
  });
});

describe("a summary whose final answer is far over NOTIFY's 8,000 bytes", () => {
  it("is written and streamed whole, in pieces that fit", async () => {
    const meetingId = 86000000001;
    const start = new Date(Date.now() - 2 * 3600_000);
    const created = await agenda.call("alice", "POST", "/events", {
      title: "Rollout committee",
      start: start.toISOString(),
      end: new Date(start.getTime() + 3600_000).toISOString(),
      timeZone: "Europe/Paris",
      conference: { provider: "zoom", meetingId: String(meetingId) },
    });
    const eventId: string = created.body.id;
    // Many decisions, each kept by the model: its final JSON is well over 8,000 bytes.
    const time = (seconds: number) =>
      `00:${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.000`;
    const cues = Array.from(
      { length: 60 },
      (_, index) =>
        `${index + 1}\n${time(index * 10)} --> ${time(index * 10 + 9)}\nMarie Dupont: We decided to go with option ${index + 1} for the regional rollout in Lyon, Nantes and Lille, with a dedicated team.`,
    );
    const meeting = zoom.recordings.addRecording({
      account: sandboxAccounts[0]!,
      meetingId,
      topic: "Rollout committee",
      startTime: new Date(start.getTime() + 60_000),
      durationMinutes: 10,
      vtt: `WEBVTT\n\n${cues.join("\n\n")}\n`,
      participants: [{ name: "Marie Dupont", email: "marie@dupont.fr" }],
    });
    // The stream is open before the call is summarized, so it hears every token.
    await agenda.pool.query(`update "${agenda.schema}".events set summary_status = 'pending' where id = $1`, [
      eventId,
    ]);
    const stream = followSummaryStream(agenda.baseUrl, eventId);
    await expect.poll(() => stream.events.length).toBe(1);
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    await stream.reading;
    const last = stream.events.at(-1)!;
    expect(last.data.summary?.status).toBe("ready");
    const finalText = stream.events
      .filter((event) => event.event === "token")
      .map((event) => event.data.token)
      .join("");
    console.log(
      "FINAL",
      Buffer.byteLength(finalText),
      stream.events.filter((e) => e.event === "token").length,
    );
    expect(Buffer.byteLength(finalText)).toBeGreaterThan(8_000);
    expect(JSON.parse(finalText).decisions.length).toBeGreaterThan(40);
    expect(agenda.errors.filter((error) => /payload string too long/.test(String(error)))).toEqual([]);
  }, 60_000);
});
