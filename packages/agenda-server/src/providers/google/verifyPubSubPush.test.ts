import { generateKeyPairSync, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGoogleSandbox, type RunningSandbox } from "@crm-agenda/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { googleAccessToken } from "../../../test/googleAccessToken";
import { createGoogleCertsCache, PubSubPushError, verifyPubSubPush } from "./verifyPubSubPush";
import { createTranscriptSubscription, userTargetResource } from "./workspaceEventsClient";

const client = { clientId: "crm-agenda-test", clientSecret: "test-secret-not-real" };
const alice = { id: "acct-alice", email: "alice@acme.test", name: "Alice Martin" };
const serviceAccountEmail = "agenda-push@crm-project.iam.gserviceaccount.com";
const topic = "projects/crm-project/topics/meet-events";
let clock = new Date("2026-11-25T10:00:00Z");
const google = createGoogleSandbox({ accounts: [alice], client, autoApprove: true, now: () => clock });

/** The agenda's webhook as Pub/Sub reaches it: here it only keeps each request to check. */
const received: { authorization: string | undefined; body: Buffer }[] = [];
let receiver: Server;
let sandbox: RunningSandbox;
let audience: string;
let subscriptionName: string;

beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ authorization: req.headers.authorization, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  audience = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/agenda/webhooks/google/events`;
  sandbox = await google.start();
  google.workspaceEvents.configurePush(topic, { endpoint: audience, serviceAccountEmail });
  const token = await googleAccessToken(sandbox.url, client, alice);
  subscriptionName = (
    await createTranscriptSubscription(sandbox.url, token, {
      targetResource: userTargetResource(alice.id),
      pubsubTopic: topic,
    })
  ).name;
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await sandbox.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Delivers one transcript event through the sandbox's Pub/Sub and answers the request our webhook got. */
async function deliver(overrides?: Parameters<typeof google.workspaceEvents.pushTranscriptGenerated>[2]) {
  const result = await google.workspaceEvents.pushTranscriptGenerated(
    subscriptionName,
    "conferenceRecords/abc/transcripts/def",
    overrides,
  );
  expect(result.status).toBe(204);
  return received.at(-1)!;
}

function newCache() {
  return createGoogleCertsCache({ certsUrl: `${sandbox.url}/oauth2/v3/certs` });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PubSubPushError);
  return (error as PubSubPushError).code;
}

describe("verifyPubSubPush", () => {
  it("accepts a push signed by Google for our audience and service account, and decodes the event", async () => {
    const push = await deliver();

    const verified = await verifyPubSubPush(push, {
      audience,
      serviceAccountEmail,
      certs: newCache(),
      now: () => clock,
    });

    expect(verified.data).toEqual({ transcript: { name: "conferenceRecords/abc/transcripts/def" } });
    expect(verified.attributes).toMatchObject({
      "ce-type": "google.workspace.meet.transcript.v2.fileGenerated",
      "ce-source": `//workspaceevents.googleapis.com/${subscriptionName}`,
      "ce-specversion": "1.0",
    });
    expect(verified.attributes["ce-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(verified.messageId).toMatch(/^\d+$/);
    expect(verified.publishTime).toBe(clock.toISOString());
    expect(verified.subscription).toBe("projects/sandbox/subscriptions/agenda-push");
  });

  it("refuses a token for another audience", async () => {
    const push = await deliver({ aud: "https://attacker.example/webhook" });
    expect(
      await refusal(
        verifyPubSubPush(push, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("wrong_audience");
  });

  it("refuses a token from another issuer", async () => {
    const push = await deliver({ iss: "https://evil.example" });
    expect(
      await refusal(
        verifyPubSubPush(push, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("wrong_issuer");
  });

  it("accepts the issuer written without its scheme", async () => {
    const push = await deliver({ iss: "accounts.google.com" });
    await expect(
      verifyPubSubPush(push, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
    ).resolves.toMatchObject({ data: { transcript: { name: "conferenceRecords/abc/transcripts/def" } } });
  });

  it("refuses another service account, and an e-mail that is not verified", async () => {
    const other = await deliver({ email: "someone@other-project.iam.gserviceaccount.com" });
    expect(
      await refusal(
        verifyPubSubPush(other, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("wrong_service_account");
    const unverified = await deliver({ email_verified: false });
    expect(
      await refusal(
        verifyPubSubPush(unverified, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("email_not_verified");
  });

  it("refuses an expired token, past the allowed clock skew only", async () => {
    const push = await deliver();
    const certs = newCache();
    const hourLater = (extraSeconds: number) => () =>
      new Date(clock.getTime() + (3600 + extraSeconds) * 1000);
    await expect(
      verifyPubSubPush(push, { audience, serviceAccountEmail, certs, now: hourLater(30) }),
    ).resolves.toBeTruthy();
    expect(
      await refusal(verifyPubSubPush(push, { audience, serviceAccountEmail, certs, now: hourLater(61) })),
    ).toBe("expired");
  });

  it("refuses a token issued in the future", async () => {
    const push = await deliver({ iat: Math.floor(clock.getTime() / 1000) + 600 });
    expect(
      await refusal(
        verifyPubSubPush(push, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("not_yet_valid");
  });

  it("refuses a token whose signature was changed", async () => {
    const push = await deliver();
    const [header, claims, signature] = push.authorization!.slice("Bearer ".length).split(".");
    const flipped = `${signature!.slice(0, 10)}${signature![10] === "A" ? "B" : "A"}${signature!.slice(11)}`;
    const tampered = { ...push, authorization: `Bearer ${header}.${claims}.${flipped}` };
    expect(
      await refusal(
        verifyPubSubPush(tampered, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("bad_signature");
  });

  it("refuses a token whose claims were changed after signing", async () => {
    const push = await deliver({ aud: "https://someone-else.example" });
    const [header, claims, signature] = push.authorization!.slice("Bearer ".length).split(".");
    const decoded = JSON.parse(Buffer.from(claims!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...decoded, aud: audience })).toString("base64url");
    const tampered = { ...push, authorization: `Bearer ${header}.${forged}.${signature}` };
    expect(
      await refusal(
        verifyPubSubPush(tampered, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("bad_signature");
  });

  it("refuses a token signed with a key Google does not list, and one naming another algorithm", async () => {
    const push = await deliver();
    const [, claims] = push.authorization!.slice("Bearer ".length).split(".");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "not-google", typ: "JWT" })).toString(
      "base64url",
    );
    const signature = sign("RSA-SHA256", Buffer.from(`${header}.${claims}`), privateKey).toString(
      "base64url",
    );
    const stranger = { ...push, authorization: `Bearer ${header}.${claims}.${signature}` };
    expect(
      await refusal(
        verifyPubSubPush(stranger, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("unknown_key");

    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const unsigned = { ...push, authorization: `Bearer ${none}.${claims}.` };
    expect(
      await refusal(
        verifyPubSubPush(unsigned, { audience, serviceAccountEmail, certs: newCache(), now: () => clock }),
      ),
    ).toBe("unsupported_algorithm");
  });

  it("refetches Google's keys for a kid it does not know yet, once the cooldown has passed, and keeps them cached", async () => {
    // The key cache ages on the system clock, moved here with the sandbox's.
    vi.useFakeTimers({ toFake: ["Date"], now: clock });
    const certs = newCache();
    await verifyPubSubPush(await deliver(), { audience, serviceAccountEmail, certs, now: () => clock });
    const fetchesBefore = google.workspaceEvents.stats.certsRequests;
    await verifyPubSubPush(await deliver(), { audience, serviceAccountEmail, certs, now: () => clock });
    expect(google.workspaceEvents.stats.certsRequests).toBe(fetchesBefore);

    google.workspaceEvents.rotateSigningKey();
    const signedWithNewKey = await deliver();
    // Within the cooldown an unknown kid does not make us fetch again.
    expect(
      await refusal(
        verifyPubSubPush(signedWithNewKey, { audience, serviceAccountEmail, certs, now: () => clock }),
      ),
    ).toBe("unknown_key");
    expect(google.workspaceEvents.stats.certsRequests).toBe(fetchesBefore);

    clock = new Date(clock.getTime() + 6_000);
    vi.setSystemTime(clock);
    const later = await deliver();
    await expect(
      verifyPubSubPush(later, { audience, serviceAccountEmail, certs, now: () => clock }),
    ).resolves.toMatchObject({
      data: { transcript: { name: "conferenceRecords/abc/transcripts/def" } },
    });
    expect(google.workspaceEvents.stats.certsRequests).toBe(fetchesBefore + 1);
  });

  it("fetches the keys again once their max-age has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: clock });
    const certs = newCache();
    await verifyPubSubPush(await deliver(), { audience, serviceAccountEmail, certs, now: () => clock });
    const fetchesBefore = google.workspaceEvents.stats.certsRequests;
    clock = new Date(clock.getTime() + 3_601_000);
    vi.setSystemTime(clock);
    await verifyPubSubPush(await deliver(), { audience, serviceAccountEmail, certs, now: () => clock });
    expect(google.workspaceEvents.stats.certsRequests).toBe(fetchesBefore + 1);
  });

  it("refuses a push without a token before reading its body, and a body that is not a push", async () => {
    expect(
      await refusal(
        verifyPubSubPush(
          { authorization: undefined, body: "{}" },
          { audience, serviceAccountEmail, certs: newCache() },
        ),
      ),
    ).toBe("missing_token");
    const push = await deliver();
    expect(
      await refusal(
        verifyPubSubPush(
          { ...push, body: Buffer.from('{"nope":true}') },
          { audience, serviceAccountEmail, certs: newCache(), now: () => clock },
        ),
      ),
    ).toBe("malformed_body");
  });

  it("says the keys are unavailable when Google's certs cannot be fetched", async () => {
    const push = await deliver();
    const certs = createGoogleCertsCache({ certsUrl: "http://127.0.0.1:9/oauth2/v3/certs" });
    expect(
      await refusal(verifyPubSubPush(push, { audience, serviceAccountEmail, certs, now: () => clock })),
    ).toBe("certs_unavailable");
  });
});
