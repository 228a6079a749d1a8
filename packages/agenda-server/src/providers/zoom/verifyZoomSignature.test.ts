import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { answerZoomUrlValidation, verifyZoomSignature } from "./verifyZoomSignature";

const secretToken = "zoom-secret-token";
const rawBody = Buffer.from(
  '{"event":"recording.transcript_completed","payload":{"object":{"topic":"Réunion"}}}',
);
const now = new Date("2026-11-25T10:00:00Z");
const timestamp = String(now.getTime() / 1000);
const sign = (body: Buffer, at: string, key = secretToken) =>
  `v0=${createHmac("sha256", key)
    .update(`v0:${at}:${body.toString("utf8")}`)
    .digest("hex")}`;

describe("verifyZoomSignature", () => {
  it("accepts a genuine delivery, accents included", () => {
    expect(
      verifyZoomSignature({ secretToken, signature: sign(rawBody, timestamp), timestamp, rawBody, now }),
    ).toBeNull();
  });

  it("refuses a tampered body", () => {
    const tampered = Buffer.from(rawBody.toString().replace("Réunion", "Reunion"));
    expect(
      verifyZoomSignature({
        secretToken,
        signature: sign(rawBody, timestamp),
        timestamp,
        rawBody: tampered,
        now,
      }),
    ).toBe("the signature does not match");
  });

  it("refuses another secret", () => {
    const signature = sign(rawBody, timestamp, "another-secret");
    expect(verifyZoomSignature({ secretToken, signature, timestamp, rawBody, now })).toBe(
      "the signature does not match",
    );
  });

  it("refuses a stale and a future timestamp, each signed correctly", () => {
    const stale = String(now.getTime() / 1000 - 301);
    const future = String(now.getTime() / 1000 + 301);
    expect(
      verifyZoomSignature({ secretToken, signature: sign(rawBody, stale), timestamp: stale, rawBody, now }),
    ).toMatch(/5 minutes/);
    expect(
      verifyZoomSignature({ secretToken, signature: sign(rawBody, future), timestamp: future, rawBody, now }),
    ).toMatch(/5 minutes/);
  });

  it("refuses missing headers", () => {
    expect(verifyZoomSignature({ secretToken, signature: undefined, timestamp, rawBody, now })).toMatch(
      /missing/,
    );
  });
});

describe("answerZoomUrlValidation", () => {
  it("answers Zoom's documented challenge body with the hex HMAC of plainToken", () => {
    // The request body is Zoom's own example (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint);
    // the expected digest is an independent implementation's vector for the secret "secretValueTest".
    expect(answerZoomUrlValidation("secretValueTest", "qgg8vlvZRS6UYooatFL8Aw")).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff",
    });
  });
});
