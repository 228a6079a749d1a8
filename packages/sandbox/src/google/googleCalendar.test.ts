import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../listen";
import { createGoogleSandbox } from "./createGoogleSandbox";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
let clock = new Date("2026-11-25T09:00:00Z");
const google = createGoogleSandbox({ accounts: [alice], client, autoApprove: true, now: () => clock });
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

const list = async (query: Record<string, string>) => {
  const response = await fetch(
    `${sandbox.url}/calendar/v3/calendars/primary/events?${new URLSearchParams(query)}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const event = (id: string) => ({
  id,
  summary: id,
  start: { dateTime: "2026-11-26T10:00:00+01:00" },
  end: { dateTime: "2026-11-26T11:00:00+01:00" },
});

describe("Google Calendar sandbox", () => {
  it("pages by nextPageToken and gives nextSyncToken on the last page only", async () => {
    for (const id of ["pagea", "pageb", "pagec"]) google.calendar.put(alice.id, event(id));
    const first = await list({ maxResults: "2" });
    expect(first.body).toMatchObject({ nextPageToken: expect.any(String) });
    expect(first.body.nextSyncToken).toBeUndefined();
    const last = await list({ maxResults: "2", pageToken: String(first.body.nextPageToken) });
    expect(last.body).toMatchObject({ nextSyncToken: expect.any(String) });
    expect(last.body.nextPageToken).toBeUndefined();
  });

  it("answers a forgotten sync token 410 fullSyncRequired in the Calendar API's error body", async () => {
    const { body } = await list({});
    google.calendar.expireSyncTokens();
    const gone = await list({ syncToken: String(body.nextSyncToken) });
    expect(gone).toEqual({
      status: 410,
      body: {
        error: {
          code: 410,
          message: "Sync token is no longer valid, a full sync is required.",
          errors: [
            {
              domain: "global",
              reason: "fullSyncRequired",
              message: "Sync token is no longer valid, a full sync is required.",
            },
          ],
        },
      },
    });
  });

  it("keeps the events changed since updatedMin, deleted ones too, and refuses one too far back with 410", async () => {
    google.calendar.put(alice.id, event("before"));
    clock = new Date("2026-11-25T09:40:00Z");
    google.calendar.put(alice.id, event("after"));
    google.calendar.remove(alice.id, "pagea");
    const since = await list({ updatedMin: "2026-11-25T09:20:00Z" });
    const items = since.body.items as { id: string; status: string }[];
    expect(items.map((item) => [item.id, item.status]).sort()).toEqual([
      ["after", "confirmed"],
      ["pagea", "cancelled"],
    ]);
    const tooOld = await list({ updatedMin: "2026-09-01T00:00:00Z" });
    expect(tooOld.status).toBe(410);
    expect(tooOld.body.error).toMatchObject({
      code: 410,
      errors: [{ domain: "global", reason: "updatedMinTooLongAgo" }],
    });
  });
});
