import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a delivery's timestamp may be from our clock, either way. */
export const zoomTimestampToleranceMs = 5 * 60_000;

/**
 * Checks Zoom's `x-zm-signature` over the raw bytes, as https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 * describes: `v0=` + hex HMAC-SHA256 of `v0:{x-zm-request-timestamp}:{raw body}` keyed with the app's
 * secret token, compared in constant time; a timestamp more than 5 minutes old or ahead is refused.
 * Returns why a delivery is refused, or null when it is genuine.
 */
export function verifyZoomSignature(input: {
  secretToken: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  now: Date;
}): string | null {
  if (!input.signature || !input.timestamp)
    return "the x-zm-signature or x-zm-request-timestamp header is missing";
  if (!/^\d{1,13}$/.test(input.timestamp)) return "x-zm-request-timestamp is not a Unix time";
  const sentAt = Number(input.timestamp) * 1000;
  if (Math.abs(input.now.getTime() - sentAt) > zoomTimestampToleranceMs) {
    return "x-zm-request-timestamp is more than 5 minutes from now";
  }
  const expected = Buffer.from(
    `v0=${createHmac("sha256", input.secretToken).update(`v0:${input.timestamp}:`).update(input.rawBody).digest("hex")}`,
  );
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return "the signature does not match";
  return null;
}

/** The answer to Zoom's `endpoint.url_validation` challenge: the hex HMAC-SHA256 of plainToken. */
export function answerZoomUrlValidation(secretToken: string, plainToken: string) {
  return { plainToken, encryptedToken: createHmac("sha256", secretToken).update(plainToken).digest("hex") };
}
