import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from "node:crypto";
import express, { type Express, type Request, type Response } from "express";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";
import { googleApiError } from "./googleApiError";

/** A Google Workspace subscription as the Workspace Events API v1 answers it. */
export interface SandboxSubscription {
  name: string;
  uid: string;
  targetResource: string;
  eventTypes: string[];
  notificationEndpoint: { pubsubTopic: string };
  payloadOptions?: { includeResource?: boolean; fieldMask?: string };
  state: "ACTIVE" | "SUSPENDED" | "DELETED";
  suspensionReason?: string;
  authority: string;
  createTime: string;
  updateTime: string;
  expireTime: string;
  reconciling: boolean;
  etag: string;
}

/** Where Pub/Sub pushes a topic's messages: the push subscription's endpoint and its OIDC token. */
export interface SandboxPushConfig {
  /** The push endpoint, e.g. the agenda's `…/webhooks/google/events`. */
  endpoint: string;
  /** The token's `aud`. @default the endpoint */
  audience?: string;
  /** The token's `email`, the push subscription's service account. */
  serviceAccountEmail: string;
  /** The Pub/Sub subscription's name in the push body. @default `projects/sandbox/subscriptions/agenda-push` */
  subscription?: string;
}

/** Claims to change in a push token, for tests of the receiver's checks. */
export type TokenOverrides = Partial<{
  iss: string;
  aud: string;
  email: string;
  email_verified: boolean;
  iat: number;
  exp: number;
  sub: string;
}>;

const meetEventTypes = new Set([
  "google.workspace.meet.conference.v2.started",
  "google.workspace.meet.conference.v2.ended",
  "google.workspace.meet.participant.v2.joined",
  "google.workspace.meet.participant.v2.left",
  "google.workspace.meet.recording.v2.fileGenerated",
  "google.workspace.meet.transcript.v2.fileGenerated",
]);
/** Meet subscriptions without resource data live at most 7 days. */
const maxTtlSeconds = 7 * 86_400;

/**
 * The Google Workspace Events API v1 and the Pub/Sub push that delivers its events, as documented:
 * - POST /v1/subscriptions (https://developers.google.com/workspace/events/reference/rest/v1/subscriptions/create):
 *   `targetResource` `//cloudidentity.googleapis.com/users/{user}` or `//meet.googleapis.com/spaces/{space}`,
 *   Meet `eventTypes`, `notificationEndpoint.pubsubTopic` `projects/{project}/topics/{topic}`, `ttl`
 *   (`"86400s"`, 7 days at most, `0s` for the most); one subscription per user and target
 *   (409 ALREADY_EXISTS); answers a long-running operation, done, whose `response` is the subscription.
 * - GET/DELETE /v1/subscriptions/{id}; PATCH with `updateMask=ttl` or `expire_time` to renew;
 *   POST /v1/subscriptions/{id}:reactivate; GET /v1/operations/{id}.
 * - Pub/Sub push (https://cloud.google.com/pubsub/docs/push): a POST of
 *   `{ message: { data, attributes, messageId, publishTime }, subscription }`, the CloudEvent in
 *   `data` (base64 JSON) and its `ce-*` attributes, with `Authorization: Bearer` an OIDC token signed
 *   RS256 (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions) whose keys are served
 *   at GET /oauth2/v3/certs (standing for https://www.googleapis.com/oauth2/v3/certs).
 * Test controls: `configurePush(topic, …)` says where a topic's messages go; `pushTranscriptGenerated`
 * and `pushLifecycleEvent` deliver events; `signToken` makes tokens with chosen claims;
 * `rotateSigningKey` starts signing with a new key; `suspend` and `expire` change a subscription.
 */
export function createWorkspaceEvents(
  app: Express,
  oauth: OAuthAuthority,
  options: { now?: () => Date } = {},
) {
  const now = () => (options.now ?? (() => new Date()))();
  const subscriptions = new Map<string, SandboxSubscription & { ownerId: string }>();
  const operations = new Map<string, Record<string, unknown>>();
  const pushConfigs = new Map<string, SandboxPushConfig>();
  const signingKeys: { kid: string; privateKey: KeyObject; publicJwk: Record<string, unknown> }[] = [];
  const stats = { certsRequests: 0, pushes: 0 };
  const certsMaxAgeSeconds = 21_600;

  function addSigningKey() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = randomBytes(20).toString("hex");
    signingKeys.unshift({
      kid,
      privateKey: createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" })),
      publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
    });
    // Google lists the current and the previous key.
    signingKeys.length = Math.min(signingKeys.length, 2);
    return kid;
  }
  addSigningKey();

  const json = express.json();
  const before = (req: Request, res: Response): SandboxAccount | undefined => {
    const account = oauth.bearer(req);
    if (!account)
      res
        .status(401)
        .json(googleApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
    return account ?? undefined;
  };
  const invalid = (res: Response, message: string) =>
    res.status(400).json(googleApiError(400, "INVALID_ARGUMENT", message));
  const publicSubscription = ({
    ownerId: _owner,
    ...subscription
  }: SandboxSubscription & { ownerId: string }) => subscription;
  const operation = (metadataType: string, response: Record<string, unknown>) => {
    const name = `operations/${randomUUID()}`;
    const answer = { name, metadata: { "@type": metadataType }, done: true, response };
    operations.set(name, answer);
    return answer;
  };
  const subscriptionResponse = (subscription: SandboxSubscription & { ownerId: string }) => ({
    "@type": "type.googleapis.com/google.apps.events.subscriptions.v1.Subscription",
    ...publicSubscription(subscription),
  });
  const ownedSubscription = (account: SandboxAccount, id: string, res: Response) => {
    const subscription = subscriptions.get(`subscriptions/${id}`);
    if (!subscription || subscription.ownerId !== account.id) {
      res.status(404).json(googleApiError(404, "NOT_FOUND", `Subscription subscriptions/${id} not found.`));
      return undefined;
    }
    return subscription;
  };
  const readTtl = (value: unknown): number | null => {
    if (value === undefined) return maxTtlSeconds;
    const match = /^(\d+)(?:\.\d+)?s$/.exec(String(value));
    if (!match) return null;
    const seconds = Number(match[1]);
    return seconds === 0 ? maxTtlSeconds : Math.min(seconds, maxTtlSeconds);
  };
  const touch = (subscription: SandboxSubscription) => {
    subscription.updateTime = now().toISOString();
    subscription.etag = randomBytes(8).toString("hex");
  };

  app.post("/v1/subscriptions", json, (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const body = (req.body ?? {}) as Partial<SandboxSubscription> & { ttl?: string };
    const target = String(body.targetResource ?? "");
    if (
      !/^\/\/cloudidentity\.googleapis\.com\/users\/[^/]+$/.test(target) &&
      !/^\/\/meet\.googleapis\.com\/spaces\/[^/]+$/.test(target)
    )
      return invalid(res, `Invalid target resource: ${target || "(empty)"}.`);
    const eventTypes = Array.isArray(body.eventTypes) ? body.eventTypes.map(String) : [];
    if (eventTypes.length === 0 || eventTypes.some((type) => !meetEventTypes.has(type)))
      return invalid(res, "Invalid event types for the target resource.");
    const topic = String(body.notificationEndpoint?.pubsubTopic ?? "");
    if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topic))
      return invalid(res, "Invalid notification endpoint.");
    const ttl = readTtl(body.ttl);
    if (ttl === null) return invalid(res, "Invalid ttl.");
    const taken = [...subscriptions.values()].find(
      (subscription) => subscription.ownerId === account.id && subscription.targetResource === target,
    );
    if (taken) {
      res
        .status(409)
        .json(
          googleApiError(
            409,
            "ALREADY_EXISTS",
            `A subscription for ${target} already exists: ${taken.name}.`,
          ),
        );
      return;
    }
    if (req.query.validateOnly === "true") {
      res.json(
        operation("type.googleapis.com/google.apps.events.subscriptions.v1.CreateSubscriptionMetadata", {}),
      );
      return;
    }
    const created = now();
    const subscription = {
      name: `subscriptions/${randomBytes(12).toString("base64url")}`,
      uid: randomUUID(),
      targetResource: target,
      eventTypes,
      notificationEndpoint: { pubsubTopic: topic },
      ...(body.payloadOptions && { payloadOptions: body.payloadOptions }),
      state: "ACTIVE" as const,
      authority: `users/${account.id}`,
      createTime: created.toISOString(),
      updateTime: created.toISOString(),
      expireTime: new Date(created.getTime() + ttl * 1000).toISOString(),
      reconciling: false,
      etag: randomBytes(8).toString("hex"),
      ownerId: account.id,
    };
    subscriptions.set(subscription.name, subscription);
    res.json(
      operation(
        "type.googleapis.com/google.apps.events.subscriptions.v1.CreateSubscriptionMetadata",
        subscriptionResponse(subscription),
      ),
    );
  });

  app.get("/v1/operations/:id", (req, res) => {
    if (!before(req, res)) return;
    const found = operations.get(`operations/${req.params.id}`);
    if (!found) return res.status(404).json(googleApiError(404, "NOT_FOUND", "Operation not found."));
    res.json(found);
  });

  app.get("/v1/subscriptions/:id", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const subscription = ownedSubscription(account, req.params.id, res);
    if (subscription) res.json(publicSubscription(subscription));
  });

  app.patch("/v1/subscriptions/:id", json, (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const subscription = ownedSubscription(account, req.params.id, res);
    if (!subscription) return;
    const mask = String(req.query.updateMask ?? "")
      .split(",")
      .filter(Boolean);
    const body = (req.body ?? {}) as { ttl?: string; expireTime?: string };
    if (mask.length === 0 || mask.some((field) => !["ttl", "expire_time", "expireTime"].includes(field)))
      return invalid(res, "Only ttl or expire_time can be updated.");
    let expires: number;
    if (mask.includes("ttl")) {
      const ttl = readTtl(body.ttl);
      if (ttl === null) return invalid(res, "Invalid ttl.");
      expires = now().getTime() + ttl * 1000;
    } else {
      expires = Math.min(Date.parse(String(body.expireTime)), now().getTime() + maxTtlSeconds * 1000);
      if (Number.isNaN(expires)) return invalid(res, "Invalid expire_time.");
    }
    subscription.expireTime = new Date(expires).toISOString();
    touch(subscription);
    res.json(
      operation(
        "type.googleapis.com/google.apps.events.subscriptions.v1.UpdateSubscriptionMetadata",
        subscriptionResponse(subscription),
      ),
    );
  });

  // `POST /v1/subscriptions/{id}:reactivate`: Express reads `{id}:reactivate` as one segment.
  app.post("/v1/subscriptions/:idAndVerb", json, (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const [id, verb] = String(req.params.idAndVerb).split(":");
    if (verb !== "reactivate")
      return res.status(404).json(googleApiError(404, "NOT_FOUND", "Unknown method."));
    const subscription = ownedSubscription(account, id ?? "", res);
    if (!subscription) return;
    subscription.state = "ACTIVE";
    delete subscription.suspensionReason;
    touch(subscription);
    res.json(
      operation(
        "type.googleapis.com/google.apps.events.subscriptions.v1.ReactivateSubscriptionMetadata",
        subscriptionResponse(subscription),
      ),
    );
  });

  app.delete("/v1/subscriptions/:id", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const subscription = ownedSubscription(account, req.params.id, res);
    if (!subscription) return;
    subscriptions.delete(subscription.name);
    res.json(
      operation("type.googleapis.com/google.apps.events.subscriptions.v1.DeleteSubscriptionMetadata", {
        "@type": "type.googleapis.com/google.protobuf.Empty",
      }),
    );
  });

  app.get("/oauth2/v3/certs", (_req, res) => {
    stats.certsRequests++;
    res.set("cache-control", `public, max-age=${certsMaxAgeSeconds}, must-revalidate, no-transform`);
    res.json({ keys: signingKeys.map((key) => key.publicJwk) });
  });

  /** A Google-signed OIDC token as Pub/Sub sends with each push, with any claim changed. */
  function signToken(claims: { aud: string; email: string } & TokenOverrides, key = signingKeys[0]!): string {
    const issuedAt = Math.floor(now().getTime() / 1000);
    const header = { alg: "RS256", kid: key.kid, typ: "JWT" };
    const payload = {
      azp: "113774264463038321964",
      email_verified: true,
      exp: issuedAt + 3600,
      iat: issuedAt,
      iss: "https://accounts.google.com",
      sub: "113774264463038321964",
      ...claims,
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = `${encode(header)}.${encode(payload)}`;
    return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), key.privateKey).toString("base64url")}`;
  }

  async function push(
    topic: string,
    event: { type: string; source: string; subject: string; data: unknown },
    overrides: TokenOverrides = {},
  ): Promise<{ status: number; messageId: string; body: string }> {
    const config = pushConfigs.get(topic);
    if (!config) throw new Error(`no push endpoint configured for ${topic}; call configurePush first`);
    const messageId = String(10_000_000_000_000 + Math.floor(Math.random() * 1e12));
    const publishTime = now().toISOString();
    const message = {
      attributes: {
        "ce-datacontenttype": "application/json",
        "ce-id": randomUUID(),
        "ce-source": event.source,
        "ce-specversion": "1.0",
        "ce-subject": event.subject,
        "ce-time": publishTime,
        "ce-type": event.type,
      },
      data: Buffer.from(JSON.stringify(event.data)).toString("base64"),
      messageId,
      message_id: messageId,
      publishTime,
      publish_time: publishTime,
    };
    const token = signToken({
      aud: config.audience ?? config.endpoint,
      email: config.serviceAccountEmail,
      ...overrides,
    });
    sent.set(messageId, { topic, message });
    return deliver(config, message, token);
  }

  /** Pub/Sub delivers at least once: the same message, under the same messageId, with a fresh token. */
  async function deliver(config: SandboxPushConfig, message: { messageId: string }, token: string) {
    stats.pushes++;
    const response = await fetch(config.endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        message,
        subscription: config.subscription ?? "projects/sandbox/subscriptions/agenda-push",
      }),
    });
    return { status: response.status, messageId: message.messageId, body: await response.text() };
  }
  const sent = new Map<string, { topic: string; message: { messageId: string } }>();

  const subscriptionNamed = (name: string) => {
    const subscription = subscriptions.get(name);
    if (!subscription) throw new Error(`no subscription ${name}`);
    return subscription;
  };

  return {
    stats,
    /** The subscriptions as the sandbox holds them now. */
    subscriptions: () => [...subscriptions.values()].map(publicSubscription),
    /** Says where Pub/Sub pushes the messages of `topic` (`projects/{project}/topics/{topic}`). */
    configurePush(topic: string, config: SandboxPushConfig) {
      pushConfigs.set(topic, config);
    },
    signToken,
    /** Starts signing with a new key (the old one stays listed); returns the new key's `kid`. */
    rotateSigningKey: addSigningKey,
    /**
     * Delivers `google.workspace.meet.transcript.v2.fileGenerated` for `transcriptName` through the
     * subscription's topic, as Pub/Sub would; `overrides` change the push token's claims.
     */
    pushTranscriptGenerated(subscriptionName: string, transcriptName: string, overrides?: TokenOverrides) {
      const subscription = subscriptionNamed(subscriptionName);
      if (subscription.state !== "ACTIVE") throw new Error(`${subscriptionName} is ${subscription.state}`);
      const conference = transcriptName.split("/transcripts/")[0] ?? transcriptName;
      return push(
        subscription.notificationEndpoint.pubsubTopic,
        {
          type: "google.workspace.meet.transcript.v2.fileGenerated",
          source: `//workspaceevents.googleapis.com/${subscription.name}`,
          subject: `//meet.googleapis.com/${conference}`,
          data: { transcript: { name: transcriptName } },
        },
        overrides,
      );
    },
    /** Delivers a lifecycle event about the subscription (`expirationReminder`, `suspended`, `expired`). */
    pushLifecycleEvent(subscriptionName: string, kind: "expirationReminder" | "suspended" | "expired") {
      const subscription = subscriptionNamed(subscriptionName);
      return push(subscription.notificationEndpoint.pubsubTopic, {
        type: `google.workspace.events.subscription.v1.${kind}`,
        source: `//workspaceevents.googleapis.com/${subscription.name}`,
        subject: `//workspaceevents.googleapis.com/${subscription.name}`,
        data: { subscription: publicSubscription(subscription) },
      });
    },
    /** Delivers an earlier message again, as Pub/Sub does when it is not sure it was acknowledged. */
    redeliver(messageId: string) {
      const earlier = sent.get(messageId);
      const config = earlier && pushConfigs.get(earlier.topic);
      if (!earlier || !config) throw new Error(`no message ${messageId} was pushed`);
      return deliver(
        config,
        earlier.message,
        signToken({ aud: config.audience ?? config.endpoint, email: config.serviceAccountEmail }),
      );
    },
    /** Suspends a subscription, as Google does when its endpoint fails (e.g. ENDPOINT_PERMISSION_DENIED). */
    suspend(subscriptionName: string, reason = "ENDPOINT_PERMISSION_DENIED") {
      const subscription = subscriptionNamed(subscriptionName);
      subscription.state = "SUSPENDED";
      subscription.suspensionReason = reason;
      touch(subscription);
    },
    /** Expires a subscription now: Google deletes it for good. */
    expire(subscriptionName: string) {
      subscriptions.delete(subscriptionNamed(subscriptionName).name);
    },
  };
}

export type WorkspaceEvents = ReturnType<typeof createWorkspaceEvents>;
