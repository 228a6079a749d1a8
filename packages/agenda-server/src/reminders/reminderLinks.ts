import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { ReminderAction } from "@crm-agenda/shared";
import { AgendaError } from "../errors";
import type { EncryptionKey } from "../options";

/** What a reminder link's token says, under the agenda's signature. */
export interface ReminderLinkClaims {
  eventId: string;
  action: ReminderAction;
  /** The start the reminder told the client of: an answer holds for that time only. */
  start: Date;
  /** After this, the link is refused. */
  expiresAt: Date;
}

const actionLetters = { confirm: "c", cancel: "x" } as const satisfies Record<ReminderAction, string>;
const macBytes = 16;

/**
 * Signs and checks the client's confirm and cancel links: `eventId.action.start.expiry.keyId.mac`,
 * an HMAC-SHA256 (cut to 128 bits) under a key derived with HKDF from each encryption key, so the
 * keys sealing tokens at rest are never used as they are for another purpose, and a key rotated in
 * keeps the links of the older key valid while it is listed.
 */
export function createReminderLinks(keys: readonly EncryptionKey[]) {
  if (keys.length === 0) throw new Error("reminder links need at least one encryption key");
  const byId = new Map(
    keys.map(({ id, key }) => [
      id,
      Buffer.from(hkdfSync("sha256", Buffer.from(key, "base64"), "", "crm-agenda reminder links v1", 32)),
    ]),
  );
  const currentId = keys[0]!.id;
  const mac = (key: Buffer, text: string) =>
    createHmac("sha256", key).update(text).digest().subarray(0, macBytes);

  function isSigned(token: string): boolean {
    const parts = token.split(".");
    const [keyId, signature] = parts.slice(4);
    const key = keyId === undefined ? undefined : byId.get(keyId);
    const given = Buffer.from(signature ?? "", "base64url");
    const expected = key && mac(key, parts.slice(0, 5).join("."));
    // The signature's text must be the one encoding of its bytes: its last character has spare bits.
    const canonical = given.toString("base64url") === signature;
    return (
      parts.length === 6 &&
      !!expected &&
      canonical &&
      given.length === macBytes &&
      timingSafeEqual(given, expected)
    );
  }

  return {
    sign(claims: ReminderLinkClaims): string {
      const text = [
        claims.eventId,
        actionLetters[claims.action],
        Math.floor(claims.start.getTime() / 1000).toString(36),
        Math.ceil(claims.expiresAt.getTime() / 1000).toString(36),
        currentId,
      ].join(".");
      return `${text}.${mac(byId.get(currentId)!, text).toString("base64url")}`;
    },

    /** Whether the token carries the agenda's signature under a key still configured, whatever it says. */
    isSigned,

    /** The claims of a genuine, unexpired token for `action`; an AgendaError saying what is wrong otherwise. */
    verify(token: string, action: ReminderAction, now: Date): ReminderLinkClaims {
      if (!isSigned(token)) {
        throw new AgendaError(
          "forbidden",
          "this reminder link is not valid: it was changed or cut short, or its key is no longer configured; use the link from the reminder as it was sent",
        );
      }
      const [eventId, letter, start, expiry] = token.split(".");
      if (letter !== actionLetters[action]) {
        throw new AgendaError(
          "forbidden",
          `this reminder link is not for "${action}"; use the ${action} link from the reminder`,
        );
      }
      const expiresAt = new Date(Number.parseInt(expiry!, 36) * 1000);
      if (now >= expiresAt) {
        throw new AgendaError(
          "forbidden",
          `this reminder link expired on ${expiresAt.toISOString()}, when the appointment ended; contact the organiser instead`,
        );
      }
      return { eventId: eventId!, action, start: new Date(Number.parseInt(start!, 36) * 1000), expiresAt };
    },
  };
}

export type ReminderLinks = ReturnType<typeof createReminderLinks>;
