import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleAccessToken } from "../../../test/googleAccessToken";
import { TranscriptFormatError } from "../../calls/callErrors";
import { ProviderUnavailableError } from "../providerFetch";
import { fetchMeetTranscript, getMeetCall, listMeetCalls, meetCallSource } from "./meetCalls";
import { parseMeetEntries } from "./parseMeetEntries";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const carol = { id: "acct-carol", email: "carol@acme.test", name: "Carol Petit" };
const google = createGoogleSandbox({ accounts: [alice, carol], client, autoApprove: true });
let sandbox: RunningSandbox;
let aliceToken: string;

beforeAll(async () => {
  sandbox = await google.start();
  aliceToken = await googleAccessToken(sandbox.url, client, alice);
});
afterAll(() => sandbox.stop());

function longCall(entryCount: number, start: Date) {
  return google.meet.addMeetCall({
    account: alice,
    title: "Revue trimestrielle — Dupont SA",
    start,
    end: new Date(start.getTime() + 45 * 60_000),
    participants: [{ name: "Alice Martin", email: "alice@acme.test" }, { name: "Jean Dupont" }],
    entries: Array.from({ length: entryCount }, (_, index) => ({
      speaker: index % 3 === 2 ? "Jean Dupont" : "Alice Martin",
      text: `Phrase numéro ${index + 1}.`,
      offsetMs: index * 5_000,
    })),
  });
}

describe("listMeetCalls", () => {
  it("lists the calls ended since a time, each generated transcript with its document link and meeting code", async () => {
    const old = longCall(3, new Date("2026-11-20T09:00:00Z"));
    const recent = longCall(3, new Date("2026-11-24T14:00:00Z"));
    google.meet.addMeetCall({
      account: carol,
      title: "Someone else's call",
      start: new Date("2026-11-24T15:00:00Z"),
      end: new Date("2026-11-24T15:30:00Z"),
      participants: [],
      entries: [{ speaker: "Carol Petit", text: "Bonjour.", offsetMs: 0 }],
    });

    const calls = await listMeetCalls(sandbox.url, aliceToken, "connection-1", {
      since: new Date("2026-11-22T00:00:00Z"),
    });

    expect(calls).toEqual([
      {
        provider: "meet",
        connectionId: "connection-1",
        key: recent.transcript,
        meetingId: recent.meetingCode,
        topic: "Google Meet",
        startTime: "2026-11-24T14:00:00.000Z",
        endTime: "2026-11-24T14:45:00.000Z",
        transcriptFileId: recent.document,
        transcriptUrl: recent.exportUri,
      },
    ]);
    expect(calls.map((call) => call.key)).not.toContain(old.transcript);
    expect(recent.transcript).toMatch(/^conferenceRecords\/[^/]+\/transcripts\/[^/]+$/);
  });

  it("follows the pages of conference records", async () => {
    const starts = Array.from({ length: 105 }, (_, index) => new Date(Date.UTC(2027, 0, 1, 8, index)));
    const added = starts.map((start) => longCall(1, start));

    const calls = await listMeetCalls(sandbox.url, aliceToken, "connection-1", {
      since: new Date("2027-01-01T00:00:00Z"),
    });

    expect(new Set(calls.map((call) => call.key))).toEqual(new Set(added.map((call) => call.transcript)));
  });

  it("says Meet is unavailable on a 503 and on a 429, to be retried", async () => {
    google.meet.failNext(503);
    await expect(listMeetCalls(sandbox.url, aliceToken, "c", { since: new Date() })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    google.meet.failNext(429);
    await expect(listMeetCalls(sandbox.url, aliceToken, "c", { since: new Date() })).rejects.toMatchObject({
      name: "ProviderUnavailableError",
      status: 429,
    });
  });

  it("says Meet refused when the token is not valid, which retrying will not change", async () => {
    await expect(listMeetCalls(sandbox.url, "not-a-token", "c", { since: new Date() })).rejects.toThrow(
      new TranscriptFormatError("Google Meet refused /v2/conferenceRecords: 401 UNAUTHENTICATED"),
    );
  });

  it("says Meet is unavailable when nothing answers", async () => {
    await expect(
      listMeetCalls("http://127.0.0.1:9", aliceToken, "c", { since: new Date() }),
    ).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe("getMeetCall", () => {
  it("finds the call of a transcript named by a Workspace event", async () => {
    const call = longCall(2, new Date("2026-11-25T10:00:00Z"));
    expect(await getMeetCall(sandbox.url, aliceToken, "connection-2", call.transcript)).toMatchObject({
      provider: "meet",
      key: call.transcript,
      meetingId: call.meetingCode,
      transcriptUrl: call.exportUri,
    });
  });

  it("refuses a name that is not a transcript's, without asking Meet", async () => {
    const before = google.meet.stats.requests;
    await expect(
      getMeetCall(sandbox.url, aliceToken, "c", "conferenceRecords/x/transcripts/y/../../../spaces/z"),
    ).rejects.toBeInstanceOf(TranscriptFormatError);
    expect(google.meet.stats.requests).toBe(before);
  });
});

describe("fetchMeetTranscript", () => {
  it("follows every page of entries and reads them into turns named after the participants", async () => {
    const call = longCall(230, new Date("2026-11-26T09:00:00Z"));
    const before = google.meet.stats.requests;

    const { entries, participants } = await fetchMeetTranscript(sandbox.url, aliceToken, call.transcript);

    expect(entries).toHaveLength(230);
    expect(entries[229]?.text).toBe("Phrase numéro 230.");
    // 3 pages of entries at 100 a page, 1 of participants.
    expect(google.meet.stats.requests - before).toBe(4);
    expect(
      participants.map(
        (participant) => participant.signedinUser?.displayName ?? participant.anonymousUser?.displayName,
      ),
    ).toEqual(["Alice Martin", "Jean Dupont"]);
    const turns = parseMeetEntries(entries, participants);
    expect(turns[0]?.speaker).toBe("Alice Martin");
    expect(turns.some((turn) => turn.speaker === "Jean Dupont")).toBe(true);
  });

  it("says the transcript cannot be read when Meet does not know it", async () => {
    await expect(
      fetchMeetTranscript(sandbox.url, aliceToken, "conferenceRecords/nope/transcripts/nope"),
    ).rejects.toThrow(/404 NOT_FOUND/);
  });
});

describe("meetCallSource", () => {
  const record = {
    name: "conferenceRecords/r1",
    startTime: "2026-11-23T09:30:00Z",
    endTime: "2026-11-23T10:15:00Z",
  };

  it("is null until the transcript file is generated", () => {
    expect(
      meetCallSource(record, { name: "conferenceRecords/r1/transcripts/t1", state: "ENDED" }, "c"),
    ).toBeNull();
  });

  it("falls back on the conference's times and leaves out what Meet did not give", () => {
    expect(
      meetCallSource(record, { name: "conferenceRecords/r1/transcripts/t1", state: "FILE_GENERATED" }, "c"),
    ).toEqual({
      provider: "meet",
      connectionId: "c",
      key: "conferenceRecords/r1/transcripts/t1",
      topic: "Google Meet",
      startTime: "2026-11-23T09:30:00.000Z",
      endTime: "2026-11-23T10:15:00.000Z",
    });
  });
});
