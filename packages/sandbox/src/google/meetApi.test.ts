import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../listen";
import { createGoogleSandbox } from "./createGoogleSandbox";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const google = createGoogleSandbox({ accounts: [alice], client, autoApprove: true });
let sandbox: RunningSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await google.start();
  const consent = await fetch(
    `${sandbox.url}/o/oauth2/v2/auth?client_id=${client.clientId}&redirect_uri=http://127.0.0.1/cb&response_type=code&login_hint=${alice.email}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const answer = await fetch(`${sandbox.url}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://127.0.0.1/cb",
      ...{ client_id: client.clientId, client_secret: client.clientSecret },
    }),
  });
  token = ((await answer.json()) as { access_token: string }).access_token;
});
afterAll(() => sandbox.stop());

const get = (path: string, bearer = token) =>
  fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });

describe("Meet API sandbox", () => {
  it("pages entries 10 at a time by default and names speakers as participants", async () => {
    const call = google.meet.addMeetCall({
      account: alice,
      title: "Point hebdo",
      start: new Date("2026-11-25T09:00:00Z"),
      end: new Date("2026-11-25T09:30:00Z"),
      participants: [{ name: "Alice Martin", email: alice.email }, { name: "Invité" }],
      entries: Array.from({ length: 12 }, (_, index) => ({
        speaker: index % 2 ? "Invité" : "Alice Martin",
        text: `t${index}`,
        offsetMs: index * 1000,
      })),
    });
    const first = (await (await get(`/v2/${call.transcript}/entries`)).json()) as {
      transcriptEntries: { participant: string; startTime: string }[];
      nextPageToken?: string;
    };
    expect(first.transcriptEntries).toHaveLength(10);
    expect(first.transcriptEntries[1]?.startTime).toBe("2026-11-25T09:00:01.000Z");
    const second = (await (
      await get(`/v2/${call.transcript}/entries?pageToken=${first.nextPageToken}`)
    ).json()) as {
      transcriptEntries: unknown[];
      nextPageToken?: string;
    };
    expect(second.transcriptEntries).toHaveLength(2);
    expect(second.nextPageToken).toBeUndefined();
    const participants = (await (await get(`/${"v2"}/${call.conferenceRecord}/participants`)).json()) as {
      participants: {
        name: string;
        signedinUser?: { displayName: string };
        anonymousUser?: { displayName: string };
      }[];
    };
    expect(participants.participants.map((participant) => Object.keys(participant).at(-1))).toEqual([
      "signedinUser",
      "anonymousUser",
    ]);
    expect(first.transcriptEntries[0]?.participant).toBe(participants.participants[0]?.name);
    const space = (await (await get(`/v2/${call.space}`)).json()) as { meetingCode: string };
    expect(space.meetingCode).toBe(call.meetingCode);
  });

  it("answers Google's errors: 401 without a valid token, 400 for a filter it cannot read, injected 503", async () => {
    expect((await get("/v2/conferenceRecords", "nope")).status).toBe(401);
    const bad = await get(`/v2/conferenceRecords?filter=${encodeURIComponent("title = x")}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { status: "INVALID_ARGUMENT" } });
    google.meet.failNext(503);
    expect((await get("/v2/conferenceRecords")).status).toBe(503);
    expect((await get("/v2/conferenceRecords")).status).toBe(200);
  });

  it("serves its signing keys as a JWKS with a max-age, and pushes nowhere before a push endpoint is set", async () => {
    const certs = await fetch(`${sandbox.url}/oauth2/v3/certs`);
    expect(certs.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const { keys } = (await certs.json()) as { keys: { kid: string; alg: string; kty: string }[] };
    expect(keys[0]).toMatchObject({ alg: "RS256", kty: "RSA" });
    google.workspaceEvents.rotateSigningKey();
    const after = (await (await fetch(`${sandbox.url}/oauth2/v3/certs`)).json()) as {
      keys: { kid: string }[];
    };
    expect(after.keys).toHaveLength(2);
    expect(after.keys[1]?.kid).toBe(keys[0]?.kid);
  });
});
