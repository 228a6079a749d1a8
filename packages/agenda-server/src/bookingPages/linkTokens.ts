import { createHash, randomBytes } from "node:crypto";

/** A new link secret: 32 random bytes (256 bits), base64url, 43 characters. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What is stored of a guest's manage token. The token itself is random and long, so one SHA-256 is
 * enough (no salt or stretching needed): a copy of the table gives no working link, and a tampered
 * token finds no row.
 */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}
