import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "../options";

/**
 * Reads `AGENDA_ENCRYPTION_KEYS`-style text, `id:base64key,id2:base64key`, newest first. The first key
 * encrypts; every key listed decrypts, so a key can be rotated in without losing older rows.
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const separator = entry.indexOf(":");
      if (separator <= 0) throw new Error("each encryption key must be written id:base64key");
      return { id: entry.slice(0, separator), key: entry.slice(separator + 1) };
    });
}

const version = "v1";

/**
 * AES-256-GCM for OAuth tokens at rest: a random 96-bit nonce per encryption, the key id in the
 * sealed text, and additional data binding each ciphertext to its row and column, so a ciphertext
 * copied onto another row does not decrypt.
 */
export function createTokenCipher(keys: readonly EncryptionKey[]) {
  if (keys.length === 0) throw new Error("encryptionKeys: give at least one key");
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new Error(`encryptionKeys: key id "${id}" must be 1-32 letters, digits, _ or -`);
    }
    const bytes = Buffer.from(key, "base64");
    if (bytes.length !== 32)
      throw new Error(`encryptionKeys: key "${id}" must be 32 bytes encoded in base64`);
    if (byId.has(id)) throw new Error(`encryptionKeys: key id "${id}" is listed twice`);
    byId.set(id, bytes);
  }
  const current = keys[0]!.id;

  return {
    /** The id of the key new ciphertexts are sealed with. */
    currentKeyId: current,

    seal(plaintext: string, associatedData: string): string {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", byId.get(current)!, nonce);
      cipher.setAAD(Buffer.from(associatedData, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [
        version,
        current,
        nonce.toString("base64url"),
        ciphertext.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
      ].join(".");
    },

    /** The plaintext, and whether it was sealed with an older key and should be sealed again. */
    open(sealed: string, associatedData: string): { plaintext: string; stale: boolean } {
      const [sealedVersion, keyId, nonce, ciphertext, tag, extra] = sealed.split(".");
      if (sealedVersion !== version || !keyId || !nonce || !ciphertext || !tag || extra !== undefined) {
        throw new TokenCipherError("the stored token is not in a format this version can read");
      }
      const key = byId.get(keyId);
      if (!key)
        throw new TokenCipherError(
          `the stored token was sealed with key "${keyId}", which is not configured`,
        );
      try {
        // The full 16-byte tag, always: a shorter one given here would be checked only as far as it goes.
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"), {
          authTagLength: 16,
        });
        decipher.setAAD(Buffer.from(associatedData, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        const plaintext = Buffer.concat([
          decipher.update(Buffer.from(ciphertext, "base64url")),
          decipher.final(),
        ]);
        return { plaintext: plaintext.toString("utf8"), stale: keyId !== current };
      } catch (error) {
        throw new TokenCipherError(
          "the stored token failed its integrity check (tampered, or bound to another row)",
          error,
        );
      }
    },
  };
}

export type TokenCipher = ReturnType<typeof createTokenCipher>;

export class TokenCipherError extends Error {
  override readonly name = "TokenCipherError";
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
