import { createAiService, createZoomSandbox, type RunningSandbox, sampleMeetings } from "@crm-agenda/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobQueues } from "../src/jobs/agendaJobs";
import type { HookSubject } from "../src/options";
import { connectAccount, sandboxAccounts, sandboxClient } from "./oauthFlow";
import { startTestAgenda } from "./startTestAgenda";

const secretToken = "zoom-webhook-secret-for-call-tests";
const zoom = createZoomSandbox({ accounts: sandboxAccounts, client: sandboxClient });
const ai = createAiService();
let zoomServer: RunningSandbox;
let aiServer: { url: string; stop(): Promise<void> };
let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
const told: { summaryReady: HookSubject[]; actionItems: HookSubject[] } = {
  summaryReady: [],
  actionItems: [],
};
let meetingNumber = 85746352000;

function frenchCall(extra = ""): string {
  const cues = [
    [
      "Marie Dupont",
      "Bonjour Alice, merci d'avoir pris le temps. On voulait faire le point sur le déploiement à Lyon.",
    ],
    [
      "Alice Martin",
      "Avec plaisir. Le pilote s'est bien passé, l'équipe commerciale a adopté l'outil très vite.",
    ],
    [
      "Marie Dupont",
      "Très bien. Côté budget, on a validé l'enveloppe de quarante mille euros pour l'année prochaine.",
    ],
    ["Alice Martin", "Parfait. Du coup on part sur l'offre premium avec la formation incluse, c'est décidé."],
    ["Marie Dupont", "Oui. Je vais envoyer le bon de commande signé vendredi."],
    ["Alice Martin", "Et je m'occupe de planifier la formation des équipes de Marseille et de Besançon."],
    [
      "Marie Dupont",
      `Il faudra aussi prévoir un point sur la sécurité des données, c'est un sujet sensible chez nous.${extra}`,
    ],
    ["Alice Martin", "Bien noté, je préparerai une note sur le chiffrement et l'hébergement en France."],
  ];
  return toVtt(cues);
}

/** A Zoom WebVTT of one cue per `[speaker, text]`, 40 seconds apart. */
function toVtt(cues: string[][]): string {
  return `WEBVTT\n\n${cues
    .map(([speaker, text], index) => {
      const start = index * 40;
      const time = (seconds: number) =>
        `00:${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.000`;
      return `${index + 1}\n${time(start)} --> ${time(start + 38)}\n${speaker}: ${text}`;
    })
    .join("\n\n")}\n`;
}

beforeAll(async () => {
  zoomServer = await zoom.start();
  aiServer = await ai.start({ port: 0 });
  agenda = await startTestAgenda({
    providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
    encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ai: { baseUrl: aiServer.url, idleTimeoutMs: 5_000 },
    polling: false,
    jobs: { retryLimit: 3, retryDelaySeconds: 1 },
    hooks: {
      onSummaryReady: (subject) => void told.summaryReady.push(subject),
      onActionItems: (subject) => void told.actionItems.push(subject),
    },
  });
  await connectAccount(agenda.baseUrl, "zoom", "alice", "acct-alice");
});
afterAll(async () => {
  await agenda.stop();
  await zoomServer.stop();
  await aiServer.stop();
});
afterEach(async () => {
  await ai.reset();
  told.summaryReady.length = 0;
  told.actionItems.length = 0;
});

/** A CRM appointment with a Zoom link, as the user planned it before the call. */
async function plannedCall(meetingId: number, start = new Date(Date.now() - 2 * 3600_000)) {
  const created = await agenda.call("alice", "POST", "/events", {
    title: "Point déploiement — Dupont SA",
    start: start.toISOString(),
    end: new Date(start.getTime() + 3600_000).toISOString(),
    timeZone: "Europe/Paris",
    conference: { provider: "zoom", joinUrl: `https://zoom.us/j/${meetingId}`, meetingId: String(meetingId) },
    attendees: [{ email: "alice@acme.test" }],
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; start: string };
}

function recordCall(meetingId: number, start: Date, vtt = frenchCall()) {
  return zoom.recordings.addRecording({
    account: sandboxAccounts[0]!,
    meetingId,
    topic: "Point déploiement",
    startTime: new Date(start.getTime() + 60_000),
    durationMinutes: 6,
    vtt,
    participants: [
      { name: "Alice Martin", email: "alice@acme.test" },
      { name: "Marie Dupont", email: "marie@dupont.fr" },
    ],
  });
}

/**
 * What the host was told about one event. Hooks fire after the summary is stored, so a test that waits
 * only for `ready` may end before its own hook runs; counting per event keeps that late call out of the
 * next test's count.
 */
function toldAbout(eventId: string) {
  return {
    summaryReady: told.summaryReady.filter((subject) => subject.eventId === eventId),
    actionItems: told.actionItems.filter((subject) => subject.eventId === eventId),
  };
}

/** Hooks run after the summary is stored; on a loaded machine they can trail it by seconds. */
const hookWait = { timeout: 15_000 };

async function summaryOf(eventId: string) {
  return (await agenda.call("alice", "GET", `/events/${eventId}/summary`)).body;
}

async function settled(eventId: string, timeout = 30_000) {
  await expect
    .poll(async () => (await summaryOf(eventId)).status, { timeout, interval: 200 })
    .toMatch(/^(ready|failed)$/);
  return summaryOf(eventId);
}

describe("a Zoom call, from webhook to summary", () => {
  it("keeps none of the webhook's passcodes, share link or download token in deliveries, jobs, archive or summary", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    const body = zoom.recordings.transcriptCompletedEvent(meeting);
    const secrets = [
      body.payload.object.password,
      body.payload.object.recording_play_passcode,
      body.payload.object.share_url,
      body.download_token,
    ];
    expect((await zoom.recordings.deliver(`${agenda.baseUrl}/webhooks/zoom`, secretToken, body)).status).toBe(
      204,
    );
    expect((await settled(event.id)).status).toBe("ready");
    const s = `"${agenda.schema}"`;
    const jobs = `"${agenda.schema}_jobs"`;
    const { rows } = await agenda.pool.query(
      `select coalesce(string_agg(row::text, ' '), '') as stored from (
         select row_to_json(d)::text as row from ${s}.deliveries d
         union all select row_to_json(o)::text from ${s}.delivery_jobs o
         union all select data::text from ${jobs}.job
         union all select data::text from ${jobs}.archive
         union all select row_to_json(m)::text from ${s}.summaries m
         union all select row_to_json(e)::text from ${s}.events e
       ) stored`,
    );
    expect(rows[0].stored).toContain(meeting.uuid);
    for (const secret of secrets) expect(rows[0].stored).not.toContain(secret);
  });

  it("writes the summary of a call held in Spanish in Spanish, and stores its language", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const spanish = sampleMeetings.es;
    const meeting = recordCall(
      meetingId,
      new Date(event.start),
      toVtt(spanish.turns.map((turn) => [turn.speaker, turn.text])),
    );
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );

    const summary = await settled(event.id);
    expect(summary.status).toBe("ready");
    expect(summary.language).toBe("es");
    expect(summary.summary.executiveSummary).toMatch(/^Puntos clave de la llamada: /);
    expect(summary.summary.decisions.map((item: { text: string }) => item.text)).toContain(spanish.decision);
    const prompts = ai.requests.map((request) => request.q ?? "");
    expect(prompts.length).toBeGreaterThan(0);
    for (const prompt of prompts) expect(prompt).toContain("Responde en español.");
  });

  it("summarizes the transcript onto the planned event, matches the client and tells the host once", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    const delivered = await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    expect(delivered.status).toBe(204);

    const summary = await settled(event.id);
    expect(summary.status).toBe("ready");
    expect(summary.error).toBeNull();
    expect(summary.language).toBe("fr");
    expect(summary.durationSeconds).toBe(360);
    expect(summary.transcriptUrl).toBe(meeting.recording_files[0]!.play_url);
    expect(summary.participants).toContainEqual({ name: "Marie Dupont", email: "marie@dupont.fr" });
    expect(summary.summary.executiveSummary.length).toBeGreaterThan(20);
    const text = JSON.stringify(summary.summary);
    expect(text).toMatch(/déploiement|sécurité|décidé|Besançon/);
    expect(text).not.toMatch(/Ã|�/);
    expect(summary.summary.actionItems.length).toBeGreaterThan(0);
    for (const item of [...summary.summary.keyPoints, ...summary.summary.actionItems]) {
      if (item.at) expect(item.at).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    }

    const updated = (await agenda.call("alice", "GET", `/events/${event.id}`)).body;
    expect(updated.summaryStatus).toBe("ready");
    expect(updated.clientMatch).toEqual({ clientId: "dupont", clientName: "Dupont SA", method: "auto" });
    await expect.poll(() => toldAbout(event.id).summaryReady.length, hookWait).toBe(1);
    expect(toldAbout(event.id).summaryReady[0]).toMatchObject({
      tenantId: "acme",
      userId: "alice",
      eventId: event.id,
      clientId: "dupont",
      regenerated: false,
    });
    expect(toldAbout(event.id).actionItems.length).toBeLessThanOrEqual(1);
  });

  it("makes one summary, one download and one set of AI calls from 50 concurrent copies of a delivery", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    const body = zoom.recordings.transcriptCompletedEvent(meeting);
    const downloadsBefore = zoom.recordings.stats.downloads;
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        zoom.recordings.deliver(`${agenda.baseUrl}/webhooks/zoom`, secretToken, body).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(50).fill(204));
    expect((await settled(event.id)).status).toBe("ready");
    const aiCalls = ai.generateCount();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(ai.generateCount()).toBe(aiCalls);
    expect(zoom.recordings.stats.downloads - downloadsBefore).toBe(1);
    const { rows } = await agenda.pool.query(
      `select count(*)::int as count from "${agenda.schema}".summaries where source_key = $1`,
      [meeting.uuid],
    );
    expect(rows[0].count).toBe(1);
    await expect.poll(() => toldAbout(event.id).summaryReady.length, hookWait).toBe(1);
    expect(toldAbout(event.id).summaryReady).toHaveLength(1);
  });

  it("waits for the AI service when it dies mid-stream, then writes one summary", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    ai.dieMidStream(2, 1);
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    await expect
      .poll(async () => (await summaryOf(event.id)).status, { timeout: 20_000, interval: 50 })
      .toBe("waiting_for_ai");
    const waiting = await summaryOf(event.id);
    expect(waiting.summary).toBeNull();
    const summary = await settled(event.id);
    expect(summary.status).toBe("ready");
    await expect.poll(() => toldAbout(event.id).summaryReady.length, hookWait).toBe(1);
  });

  it("ends a malformed transcript as a failed summary that says why", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start), "this is not a transcript");
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    const summary = await settled(event.id);
    expect(summary).toMatchObject({ status: "failed", summary: null });
    expect(summary.error).toMatch(/WEBVTT/);
    expect(toldAbout(event.id).summaryReady).toHaveLength(0);
    const still = await agenda.call("alice", "GET", `/events/${event.id}`);
    expect(still.body.title).toBe("Point déploiement — Dupont SA");
  });

  it("puts a call with no planned event on the agenda from the recording's own times", async () => {
    const meetingId = meetingNumber++;
    const start = new Date(Date.now() - 5 * 3600_000);
    const meeting = recordCall(meetingId, start);
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    let eventId = "";
    await expect
      .poll(
        async () => {
          const { rows } = await agenda.pool.query(
            `select event_id from "${agenda.schema}".summaries where source_key = $1`,
            [meeting.uuid],
          );
          eventId = rows[0]?.event_id ?? "";
          return eventId;
        },
        { timeout: 15_000 },
      )
      .not.toBe("");
    const event = (await agenda.call("alice", "GET", `/events/${eventId}`)).body;
    expect(event).toMatchObject({
      title: "Point déploiement",
      source: "zoom",
      timeZone: "Europe/Paris",
      start: meeting.recording_files[0]!.recording_start.replace("Z", ".000Z"),
    });
    expect((await settled(eventId)).status).toBe("ready");
  });

  it("finds a call whose webhook was lost, on the next poll", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    recordCall(meetingId, new Date(event.start));
    expect((await summaryOf(event.id)).status).toBe("none");
    await agenda.agenda.queue.send(jobQueues.callPoll, {});
    expect((await settled(event.id)).status).toBe("ready");
    expect(agenda.errors).toEqual([]);
  });

  it("writes the summary again on demand, telling the host it was regenerated", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    await settled(event.id);
    await expect.poll(() => toldAbout(event.id).summaryReady.length, hookWait).toBe(1);
    const again = await agenda.call("alice", "POST", `/events/${event.id}/summary/regenerate`);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe("pending");
    expect((await settled(event.id)).status).toBe("ready");
    await expect.poll(() => toldAbout(event.id).summaryReady.length, hookWait).toBe(2);
    expect(toldAbout(event.id).summaryReady.map((subject) => subject.regenerated)).toEqual([false, true]);

    const notACall = await agenda.call("alice", "POST", "/events", {
      title: "Déjeuner",
      start: "2026-11-24T12:00:00Z",
      end: "2026-11-24T13:00:00Z",
      timeZone: "Europe/Paris",
    });
    const refused = await agenda.call("alice", "POST", `/events/${notACall.body.id}/summary/regenerate`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/no call transcript/);
    expect((await agenda.call("bob", "GET", `/events/${event.id}/summary`)).status).toBe(404);
  });

  it("streams progress and tokens while the summary is written, then the summary", async () => {
    const meetingId = meetingNumber++;
    const event = await plannedCall(meetingId);
    const meeting = recordCall(meetingId, new Date(event.start));
    ai.respondSlowly({ firstTokenMs: 200, tokenMs: 5 });
    await zoom.recordings.deliver(
      `${agenda.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    await expect
      .poll(async () => (await summaryOf(event.id)).status, { timeout: 15_000, interval: 50 })
      .not.toBe("none");

    const response = await fetch(`${agenda.baseUrl}/events/${event.id}/summary/stream`, {
      headers: { "x-test-user": "alice" },
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const messages = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((match) => ({
      event: match[1],
      data: JSON.parse(match[2]!),
    }));
    expect(messages[0]!.event).toBe("summary");
    expect(messages.some((message) => message.event === "progress")).toBe(true);
    expect(messages.some((message) => message.event === "token")).toBe(true);
    const last = messages.at(-1)!;
    expect(last.event).toBe("summary");
    expect(last.data.summary.status).toBe("ready");
    expect(last.data.summary.summary.executiveSummary.length).toBeGreaterThan(0);
  });
});

describe("a transcript over maxTranscriptBytes", () => {
  let small: Awaited<ReturnType<typeof startTestAgenda>>;
  beforeAll(async () => {
    small = await startTestAgenda({
      providers: { zoom: { ...sandboxClient, baseUrl: zoomServer.url, webhookSecretToken: secretToken } },
      encryptionKeys: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      ai: { baseUrl: aiServer.url, idleTimeoutMs: 5_000 },
      polling: false,
      maxTranscriptBytes: 4_096,
    });
    await connectAccount(small.baseUrl, "zoom", "alice", "acct-alice");
  });
  afterAll(async () => {
    await small.stop();
  });

  it("ends as a failed summary naming the limit, and asks the AI service nothing", async () => {
    const meetingId = meetingNumber++;
    const start = new Date(Date.now() - 2 * 3600_000);
    const created = await small.call("alice", "POST", "/events", {
      title: "Revue annuelle — Dupont SA",
      start: start.toISOString(),
      end: new Date(start.getTime() + 3600_000).toISOString(),
      timeZone: "Europe/Paris",
      conference: {
        provider: "zoom",
        joinUrl: `https://zoom.us/j/${meetingId}`,
        meetingId: String(meetingId),
      },
    });
    expect(created.status).toBe(201);
    const meeting = recordCall(meetingId, start, frenchCall(" Et encore un détail.".repeat(250)));
    await zoom.recordings.deliver(
      `${small.baseUrl}/webhooks/zoom`,
      secretToken,
      zoom.recordings.transcriptCompletedEvent(meeting),
    );
    const summaryOfSmall = async () =>
      (await small.call("alice", "GET", `/events/${created.body.id}/summary`)).body;
    await expect
      .poll(async () => (await summaryOfSmall()).status, { timeout: 30_000, interval: 200 })
      .toBe("failed");
    expect((await summaryOfSmall()).error).toMatch(/larger than 4 kB.*maxTranscriptBytes/);
    expect(ai.generateCount()).toBe(0);
  });
});
