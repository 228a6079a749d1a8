import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { googleAccessToken } from "../../../test/googleAccessToken";
import {
  type CalendarAccess,
  type ChangePage,
  ExternalEventGoneError,
  SyncConflictError,
  SyncCursorExpiredError,
} from "../../sync/CalendarProvider";
import { createOAuthProviders } from "../oauthProviders";
import { ProviderUnavailableError } from "../providerFetch";
import { createGoogleCalendar } from "./googleCalendar";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const google = createGoogleSandbox({ accounts: [alice], client, autoApprove: true });
let sandbox: RunningSandbox;
let access: CalendarAccess;
let calendar: ReturnType<typeof createGoogleCalendar>;

const window = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-31T00:00:00Z") };

async function pages(iterable: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of iterable) all.push(page);
  return all;
}

const outbound = {
  crmEventId: "6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c",
  title: "Call with Acme",
  description: null,
  start: new Date("2026-11-26T09:00:00Z"),
  end: new Date("2026-11-26T10:00:00Z"),
  allDay: false,
  timeZone: "Europe/Paris",
  location: null,
  attendees: [],
  addMeetLink: false,
  conference: null,
};

beforeAll(async () => {
  sandbox = await google.start();
  const provider = createOAuthProviders({
    google: { clientId: client.clientId, clientSecret: client.clientSecret, baseUrl: sandbox.url },
  }).google!;
  calendar = createGoogleCalendar(provider);
  access = {
    connectionId: "c",
    accessToken: await googleAccessToken(sandbox.url, client, alice),
    calendarId: "primary",
  };
});
beforeEach(() => {
  google.calendar.reset();
});
afterAll(async () => {
  await sandbox.stop();
});

describe("Google Calendar through the generated client", () => {
  it("gives a 429 back to the job queue at once, without retrying it itself", async () => {
    google.calendar.control.failNextList.push(429);
    const failure = await pages(calendar.fullSync(access, window)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure).toMatchObject({ status: 429, message: expect.stringMatching(/429 rateLimitExceeded/) });
    expect(google.calendar.stats.listRequests).toBe(0);
  });

  it("asks for a full resync when Google forgot the sync token (410)", async () => {
    const [first] = await pages(calendar.fullSync(access, window));
    google.calendar.expireSyncTokens();
    await expect(pages(calendar.incrementalSync(access, first!.nextCursor!))).rejects.toBeInstanceOf(
      SyncCursorExpiredError,
    );
  });

  it("reports a conflict when the copy changed since the etag we hold (412), and a deleted copy as gone", async () => {
    const written = await calendar.insert(access, outbound);
    await calendar.update(access, written.externalId, { ...outbound, title: "Moved" }, written.etag);
    await expect(
      calendar.update(access, written.externalId, { ...outbound, title: "Late" }, written.etag),
    ).rejects.toBeInstanceOf(SyncConflictError);
    await calendar.delete(access, written.externalId);
    await expect(calendar.get(access, written.externalId)).resolves.toBeNull();
    await expect(calendar.update(access, written.externalId, outbound, null)).rejects.toBeInstanceOf(
      ExternalEventGoneError,
    );
  });
});
