import { timingSafeEqual } from "node:crypto";

/** Compares a secret given by a caller with ours in constant time; a missing one never matches. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
