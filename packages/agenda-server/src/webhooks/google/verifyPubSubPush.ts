import { createPublicKey, type JsonWebKey, type KeyObject, verify } from "node:crypto";

/**
 * Checks a Pub/Sub push request before anything in it is trusted, as Google describes for push
 * subscriptions with authentication (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions):
 * the `Authorization: Bearer` OIDC token is signed RS256 by Google with a key from the JWKS at
 * https://www.googleapis.com/oauth2/v3/certs, issued by `accounts.google.com` or
 * `https://accounts.google.com`, for the audience configured on the push subscription, to the push
 * subscription's service account (`email`, with `email_verified`). Only then is the body read
 * (https://cloud.google.com/pubsub/docs/push#receive_push): `{ message: { data, attributes, messageId,
 * publishTime }, subscription }`, `data` being the base64 JSON of the Workspace event's CloudEvent
 * payload and `attributes` its `ce-*` headers (https://developers.google.com/workspace/events/guides#structure-events).
 */

/** Why a push was refused; all but `certs_unavailable` mean the request is not from our push subscription. */
export type PubSubPushErrorCode =
  | "missing_token"
  | "malformed_token"
  | "unsupported_algorithm"
  | "unknown_key"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"
  | "wrong_service_account"
  | "email_not_verified"
  | "malformed_body"
  | "certs_unavailable";

/**
 * A refused push. Answer 401 (403 for `wrong_service_account`), or 503 for `certs_unavailable`, which
 * passes: Pub/Sub redelivers what is not acknowledged with a 2xx.
 */
export class PubSubPushError extends Error {
  override readonly name = "PubSubPushError";
  readonly code: PubSubPushErrorCode;
  constructor(code: PubSubPushErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/** A push whose token checked out: the message, its attributes and its decoded data. */
export interface VerifiedPubSubPush {
  /** Pub/Sub's id of the message; the same on every redelivery, so record deliveries under it. */
  messageId: string;
  publishTime: string;
  /** The message's attributes: for Workspace events `ce-type`, `ce-source`, `ce-id`, `ce-subject`, `ce-time`… */
  attributes: Record<string, string>;
  /** `message.data` decoded from base64 and parsed as JSON (the CloudEvent's data); null when absent. */
  data: unknown;
  /** The Pub/Sub subscription that pushed, `projects/{project}/subscriptions/{subscription}`. */
  subscription: string;
}

/** The Google keys a verifier reads tokens with, cached by `kid`; made by {@link createGoogleCertsCache}. */
export interface GoogleCertsCache {
  /** The key of `kid`, fetching the JWKS when the cache is stale or does not know it. */
  get(kid: string): Promise<KeyObject | undefined>;
}

/** Options of {@link createGoogleCertsCache}. */
export interface GoogleCertsCacheOptions {
  /**
   * Where Google's JWKS is; the sandbox serves it at the same path under its base URL.
   * @default "https://www.googleapis.com/oauth2/v3/certs"
   */
  certsUrl?: string;
  /** @default () => new Date() */
  now?: () => Date;
  /**
   * Least time between two fetches caused by an unknown `kid`, so forged tokens cannot make us hammer
   * Google; a stale cache is refetched whatever this says.
   * @default 5
   */
  refreshCooldownSeconds?: number;
  /** How long keys are kept when the answer has no `Cache-Control: max-age`. @default 3600 */
  defaultMaxAgeSeconds?: number;
}

/**
 * Google's signing keys, fetched from `certsUrl` and kept for the answer's `max-age`; a token signed
 * by a key the cache does not know (Google rotates them) refetches once, at most every
 * `refreshCooldownSeconds`. Concurrent requests share one fetch.
 */
export function createGoogleCertsCache(options: GoogleCertsCacheOptions = {}): GoogleCertsCache {
  const certsUrl = options.certsUrl ?? "https://www.googleapis.com/oauth2/v3/certs";
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const cooldownMs = (options.refreshCooldownSeconds ?? 5) * 1000;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let expiresAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    let response: Response;
    try {
      response = await fetch(certsUrl, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new PubSubPushError(
        "certs_unavailable",
        `Google's signing keys could not be fetched from ${certsUrl}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) {
      throw new PubSubPushError("certs_unavailable", `${certsUrl} answered ${response.status}`);
    }
    const body = (await response.json().catch(() => null)) as {
      keys?: (JsonWebKey & { kid?: string })[];
    } | null;
    const next = new Map<string, KeyObject>();
    for (const jwk of body?.keys ?? []) {
      if (typeof jwk.kid !== "string" || jwk.kty !== "RSA") continue;
      try {
        next.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
      } catch {
        // A key we cannot read cannot have signed anything we accept.
      }
    }
    if (next.size === 0)
      throw new PubSubPushError("certs_unavailable", `${certsUrl} listed no usable RSA key`);
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get("cache-control") ?? "");
    keys = next;
    fetchedAt = now();
    expiresAt = fetchedAt + (maxAge ? Number(maxAge[1]) : (options.defaultMaxAgeSeconds ?? 3600)) * 1000;
  }

  function refreshOnce(): Promise<void> {
    inFlight ??= refresh().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async get(kid) {
      if (now() >= expiresAt) await refreshOnce();
      const known = keys.get(kid);
      if (known !== undefined || now() - fetchedAt < cooldownMs) return known;
      await refreshOnce();
      return keys.get(kid);
    },
  };
}

/** Options of {@link verifyPubSubPush}. */
export interface VerifyPubSubPushOptions {
  /** The audience set on the push subscription (by default Pub/Sub uses the push endpoint's URL). */
  audience: string;
  /** The push subscription's service account, the token's `email`. */
  serviceAccountEmail: string;
  /** Google's keys, shared by every push: one cache per process. */
  certs: GoogleCertsCache;
  /** @default () => new Date() */
  now?: () => Date;
  /** Leeway for clocks that disagree, on `exp` and `iat`. @default 60 */
  clockSkewSeconds?: number;
}

const googleIssuers = new Set(["accounts.google.com", "https://accounts.google.com"]);

/**
 * Verifies a Pub/Sub push request (its `Authorization` header and raw body) and returns the message.
 * The token is checked first (signature, issuer, audience, expiry, service account); the body is read
 * only once the token holds.
 *
 * @throws {PubSubPushError} saying what did not hold.
 */
export async function verifyPubSubPush(
  request: { authorization: string | undefined; body: Buffer | string },
  options: VerifyPubSubPushOptions,
): Promise<VerifiedPubSubPush> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.authorization?.trim() ?? "")?.[1];
  if (!token) throw new PubSubPushError("missing_token", "the push has no Authorization: Bearer token");
  const parts = token.split(".");
  if (parts.length !== 3) throw new PubSubPushError("malformed_token", "the push token is not a JWT");
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader) as { alg?: unknown; kid?: unknown } | null;
  const claims = decodeJson(encodedClaims) as Record<string, unknown> | null;
  if (header === null || claims === null || typeof header !== "object" || typeof claims !== "object") {
    throw new PubSubPushError("malformed_token", "the push token's header or claims are not JSON objects");
  }
  // Only RS256: a token naming another algorithm (none, HS256…) is refused before any key is looked at.
  if (header.alg !== "RS256") {
    throw new PubSubPushError(
      "unsupported_algorithm",
      `the push token is signed ${String(header.alg)}, not RS256`,
    );
  }
  if (typeof header.kid !== "string")
    throw new PubSubPushError("malformed_token", "the push token names no key");
  const key = await options.certs.get(header.kid);
  if (key === undefined) {
    throw new PubSubPushError(
      "unknown_key",
      `the push token is signed with a key Google does not list (${header.kid})`,
    );
  }
  const signature = Buffer.from(encodedSignature, "base64url");
  if (!verify("RSA-SHA256", Buffer.from(`${encodedHeader}.${encodedClaims}`), key, signature)) {
    throw new PubSubPushError("bad_signature", "the push token's signature does not match Google's key");
  }

  if (typeof claims.iss !== "string" || !googleIssuers.has(claims.iss)) {
    throw new PubSubPushError(
      "wrong_issuer",
      `the push token was issued by ${String(claims.iss)}, not Google`,
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.audience)) {
    throw new PubSubPushError(
      "wrong_audience",
      `the push token is for ${String(claims.aud)}, not ${options.audience}`,
    );
  }
  const nowSeconds = (options.now ?? (() => new Date()))().getTime() / 1000;
  const skew = options.clockSkewSeconds ?? 60;
  if (typeof claims.exp !== "number" || nowSeconds > claims.exp + skew) {
    throw new PubSubPushError("expired", "the push token has expired");
  }
  if (typeof claims.iat !== "number" || claims.iat > nowSeconds + skew) {
    throw new PubSubPushError("not_yet_valid", "the push token was issued in the future");
  }
  if (
    typeof claims.email !== "string" ||
    claims.email.toLowerCase() !== options.serviceAccountEmail.toLowerCase()
  ) {
    throw new PubSubPushError(
      "wrong_service_account",
      `the push token belongs to ${String(claims.email)}, not the push subscription's service account`,
    );
  }
  if (claims.email_verified !== true && claims.email_verified !== "true") {
    throw new PubSubPushError("email_not_verified", "the push token's e-mail is not verified");
  }

  return readPushBody(request.body);
}

function readPushBody(raw: Buffer | string): VerifiedPubSubPush {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
  } catch (error) {
    throw new PubSubPushError("malformed_body", "the push body is not JSON", { cause: error });
  }
  const message = (body as { message?: Record<string, unknown> } | null)?.message;
  if (typeof message !== "object" || message === null) {
    throw new PubSubPushError("malformed_body", "the push body has no message");
  }
  // The push format carries both spellings (messageId and message_id).
  const messageId = message.messageId ?? message.message_id;
  const publishTime = message.publishTime ?? message.publish_time;
  if (typeof messageId !== "string" || messageId === "") {
    throw new PubSubPushError("malformed_body", "the push message has no messageId");
  }
  const attributes: Record<string, string> = {};
  if (typeof message.attributes === "object" && message.attributes !== null) {
    for (const [name, value] of Object.entries(message.attributes)) {
      if (typeof value === "string") attributes[name] = value;
    }
  }
  let data: unknown = null;
  if (typeof message.data === "string" && message.data !== "") {
    try {
      data = JSON.parse(Buffer.from(message.data, "base64").toString("utf8"));
    } catch (error) {
      throw new PubSubPushError("malformed_body", "the push message's data is not base64 JSON", {
        cause: error,
      });
    }
  }
  const subscription = (body as { subscription?: unknown }).subscription;
  return {
    messageId,
    publishTime: typeof publishTime === "string" ? publishTime : "",
    attributes,
    data,
    subscription: typeof subscription === "string" ? subscription : "",
  };
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}
