import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTokenCipher, parseEncryptionKeys, TokenCipherError } from "./tokenCipher";

const keyA = { id: "2026-a", key: randomBytes(32).toString("base64") };
const keyB = { id: "2026-b", key: randomBytes(32).toString("base64") };

describe("createTokenCipher", () => {
  it("round-trips a token and never shows it in the sealed text", () => {
    const cipher = createTokenCipher([keyA]);
    const sealed = cipher.seal("ya29.secret-access-token", "connection:1:access");
    expect(sealed).not.toContain("secret");
    expect(sealed.startsWith("v1.2026-a.")).toBe(true);
    expect(cipher.open(sealed, "connection:1:access")).toEqual({
      plaintext: "ya29.secret-access-token",
      stale: false,
    });
  });

  it("uses a fresh nonce each time", () => {
    const cipher = createTokenCipher([keyA]);
    expect(cipher.seal("same", "aad")).not.toBe(cipher.seal("same", "aad"));
  });

  it("refuses a ciphertext moved to another row", () => {
    const cipher = createTokenCipher([keyA]);
    const sealed = cipher.seal("token", "connection:1:access");
    expect(() => cipher.open(sealed, "connection:2:access")).toThrow(TokenCipherError);
  });

  it("refuses a tampered ciphertext", () => {
    const cipher = createTokenCipher([keyA]);
    const parts = cipher.seal("token", "aad").split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => cipher.open(parts.join("."), "aad")).toThrow(/integrity/);
  });

  it("refuses a shortened tag, which GCM would otherwise check only in part", () => {
    const cipher = createTokenCipher([keyA]);
    const parts = cipher.seal("token", "aad").split(".");
    for (const bytes of [4, 8, 12, 15]) {
      const tag = Buffer.from(parts[4]!, "base64url").subarray(0, bytes).toString("base64url");
      expect(() => cipher.open([...parts.slice(0, 4), tag].join("."), "aad")).toThrow(TokenCipherError);
    }
  });

  it("reads rows sealed with an older key and says they are stale", () => {
    const old = createTokenCipher([keyA]).seal("token", "aad");
    const rotated = createTokenCipher([keyB, keyA]);
    expect(rotated.open(old, "aad")).toEqual({ plaintext: "token", stale: true });
    expect(rotated.seal("token", "aad").startsWith("v1.2026-b.")).toBe(true);
  });

  it("names a key that is no longer configured", () => {
    const old = createTokenCipher([keyA]).seal("token", "aad");
    expect(() => createTokenCipher([keyB]).open(old, "aad")).toThrow(/key "2026-a", which is not configured/);
  });

  it("refuses keys of the wrong size", () => {
    expect(() => createTokenCipher([{ id: "short", key: randomBytes(16).toString("base64") }])).toThrow(
      /32 bytes/,
    );
  });
});

describe("parseEncryptionKeys", () => {
  it("reads id:key pairs, newest first", () => {
    expect(parseEncryptionKeys(`${keyB.id}:${keyB.key}, ${keyA.id}:${keyA.key}`)).toEqual([keyB, keyA]);
  });
});
