import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

/**
 * Checks a Pub/Sub push request before anything in it is trusted, as Google describes for push
 * subscriptions with authentication (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions):
 * the `Authorization: Bearer` OIDC token is signed RS256 by Google with a key from the JWKS at
 * https://www.googleapis.com/oauth2/v3/certs, issued by `accounts.google.com` or
 * `https://accounts.google.com`, for the audience configured on the push subscription, to the push
 * subscription's service account (`email`, with `email_verified`). The token is read by `jose`
 * (`createRemoteJWKSet` + `jwtVerify`). Only then is the body read
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

/** Google's signing keys as a verifier reads them; made by {@link createGoogleCertsCache}, one per process. */
export type GoogleCertsCache = ReturnType<typeof createRemoteJWKSet>;

/** Options of {@link createGoogleCertsCache}. */
export interface GoogleCertsCacheOptions {
  /**
   * Where Google's JWKS is; the sandbox serves it at the same path under its base URL.
   * @default "https://www.googleapis.com/oauth2/v3/certs"
   */
  certsUrl?: string;
  /**
   * Least time between two fetches caused by an unknown `kid`, so forged tokens cannot make us hammer
   * Google; a stale cache is refetched whatever this says.
   * @default 5
   */
  refreshCooldownSeconds?: number;
  /** How long fetched keys are kept before they are fetched again. @default 3600 */
  maxAgeSeconds?: number;
}

/**
 * Google's signing keys, fetched from `certsUrl` and kept `maxAgeSeconds`; a token signed by a key
 * the cache does not know (Google rotates them) refetches once, at most every `refreshCooldownSeconds`.
 * Concurrent requests share one fetch. The cache's age is measured on the system clock (jose's).
 */
export function createGoogleCertsCache(options: GoogleCertsCacheOptions = {}): GoogleCertsCache {
  return createRemoteJWKSet(new URL(options.certsUrl ?? "https://www.googleapis.com/oauth2/v3/certs"), {
    cooldownDuration: (options.refreshCooldownSeconds ?? 5) * 1000,
    cacheMaxAge: (options.maxAgeSeconds ?? 3600) * 1000,
    timeoutDuration: 10_000,
  });
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

/** Google's ID tokens live an hour (https://cloud.google.com/docs/authentication/token-types#identity-tokens). */
const tokenLifetimeSeconds = 3600;

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
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, options.certs, {
      // Only RS256: a token naming another algorithm (none, HS256…) is refused before any key is looked at.
      algorithms: ["RS256"],
      issuer: ["accounts.google.com", "https://accounts.google.com"],
      audience: options.audience,
      requiredClaims: ["exp", "iat"],
      maxTokenAge: tokenLifetimeSeconds,
      clockTolerance: options.clockSkewSeconds ?? 60,
      currentDate: (options.now ?? (() => new Date()))(),
    }));
  } catch (error) {
    throw refusalOf(error, options.audience);
  }
  const email = claims.email;
  if (typeof email !== "string" || email.toLowerCase() !== options.serviceAccountEmail.toLowerCase()) {
    throw new PubSubPushError(
      "wrong_service_account",
      `the push token belongs to ${String(email)}, not the push subscription's service account`,
    );
  }
  if (claims.email_verified !== true && claims.email_verified !== "true") {
    throw new PubSubPushError("email_not_verified", "the push token's e-mail is not verified");
  }

  return readPushBody(request.body);
}

/** jose's reason for refusing a token, in our codes; anything else came from fetching the keys. */
function refusalOf(error: unknown, audience: string): PubSubPushError {
  const refuse = (code: PubSubPushErrorCode, message: string) =>
    new PubSubPushError(code, message, { cause: error });
  if (error instanceof errors.JOSEAlgNotAllowed)
    return refuse("unsupported_algorithm", "the push token is not signed RS256");
  if (error instanceof errors.JWKSNoMatchingKey)
    return refuse("unknown_key", "the push token is signed with a key Google does not list");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return refuse("bad_signature", "the push token's signature does not match Google's key");
  if (error instanceof errors.JWTExpired) return refuse("expired", "the push token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return refuse("wrong_issuer", "the push token was not issued by Google");
    if (error.claim === "aud") return refuse("wrong_audience", `the push token is not for ${audience}`);
    if (error.claim === "iat" || error.claim === "nbf")
      return refuse("not_yet_valid", "the push token was issued in the future");
    return refuse("malformed_token", `the push token's ${error.claim} claim is missing or malformed`);
  }
  // Fetching the keys failed (network, timeout, not 200, not a key set): Pub/Sub will push again.
  const fetching =
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === "ERR_JOSE_GENERIC";
  return fetching
    ? refuse("certs_unavailable", "Google's signing keys could not be fetched")
    : refuse("malformed_token", "the push token is not a JWT signed by Google");
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
