import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleAccessToken } from "../../../test/googleAccessToken";
import {
  createTranscriptSubscription,
  deleteSubscription,
  getSubscription,
  meetTranscriptEventType,
  reactivateSubscription,
  renewSubscription,
  userTargetResource,
  WorkspaceEventsError,
} from "./workspaceEventsClient";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const carol = { id: "acct-carol", email: "carol@acme.test", name: "Carol Petit" };
const topic = "projects/crm-project/topics/meet-events";
let clock = new Date("2026-11-25T10:00:00Z");
const google = createGoogleSandbox({ accounts: [alice, carol], client, autoApprove: true, now: () => clock });
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await google.start();
});
afterAll(() => sandbox.stop());

describe("Workspace Events subscriptions", () => {
  it("subscribes a user to their Meet transcripts, renews, reactivates and deletes the subscription", async () => {
    let token = await googleAccessToken(sandbox.url, client, alice);

    const created = await createTranscriptSubscription(sandbox.url, token, {
      targetResource: userTargetResource(alice.id),
      pubsubTopic: topic,
      ttlSeconds: 86_400,
    });
    expect(created).toMatchObject({
      targetResource: "//cloudidentity.googleapis.com/users/acct-alice",
      eventTypes: [meetTranscriptEventType],
      notificationEndpoint: { pubsubTopic: topic },
      state: "ACTIVE",
      expireTime: "2026-11-26T10:00:00.000Z",
    });
    expect(created.name).toMatch(/^subscriptions\/[A-Za-z0-9_-]+$/);
    expect(created).not.toHaveProperty("@type");

    const again = await createTranscriptSubscription(sandbox.url, token, {
      targetResource: userTargetResource(alice.id),
      pubsubTopic: topic,
    }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(WorkspaceEventsError);
    expect(again).toMatchObject({ httpStatus: 409, status: "ALREADY_EXISTS" });

    clock = new Date("2026-11-26T09:00:00Z");
    // The first access token has expired by then; the connection would have refreshed it.
    token = await googleAccessToken(sandbox.url, client, alice);
    const renewed = await renewSubscription(sandbox.url, token, created.name, { ttlSeconds: 3 * 86_400 });
    expect(renewed.expireTime).toBe("2026-11-29T09:00:00.000Z");

    google.workspaceEvents.suspend(created.name);
    expect((await getSubscription(sandbox.url, token, created.name)).state).toBe("SUSPENDED");
    expect((await reactivateSubscription(sandbox.url, token, created.name)).state).toBe("ACTIVE");

    await deleteSubscription(sandbox.url, token, created.name);
    expect(google.workspaceEvents.subscriptions()).toEqual([]);
    // Already gone counts as deleted.
    await expect(deleteSubscription(sandbox.url, token, created.name)).resolves.toBeUndefined();
  });

  it("asks for the longest life Meet allows by default", async () => {
    const token = await googleAccessToken(sandbox.url, client, carol);
    const created = await createTranscriptSubscription(sandbox.url, token, {
      targetResource: userTargetResource(carol.id),
      pubsubTopic: topic,
    });
    expect(Date.parse(created.expireTime) - clock.getTime()).toBe(7 * 86_400_000);
  });

  it("reports what Google refuses, with its status", async () => {
    const token = await googleAccessToken(sandbox.url, client, alice);
    await expect(
      createTranscriptSubscription(sandbox.url, token, {
        targetResource: "//drive.googleapis.com/files/1",
        pubsubTopic: topic,
      }),
    ).rejects.toMatchObject({ name: "WorkspaceEventsError", httpStatus: 400, status: "INVALID_ARGUMENT" });
    await expect(getSubscription(sandbox.url, "not-a-token", "subscriptions/abc")).rejects.toMatchObject({
      httpStatus: 401,
      status: "UNAUTHENTICATED",
    });
    await expect(
      createTranscriptSubscription("http://127.0.0.1:9", token, {
        targetResource: userTargetResource(alice.id),
        pubsubTopic: topic,
      }),
    ).rejects.toMatchObject({ name: "ProviderUnavailableError" });
  });

  it("refuses a subscription name that is not one before sending anything", async () => {
    await expect(getSubscription(sandbox.url, "token", "subscriptions/../operations/x")).rejects.toThrow(
      TypeError,
    );
  });
});
