import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createReminderLinks } from "./reminderLinks";

const older = { id: "k1", key: randomBytes(32).toString("base64") };
const newer = { id: "k2", key: randomBytes(32).toString("base64") };
const claims = {
  eventId: "7d6f1b0e-3c1f-4a53-9a57-7e3f4f7b2c10",
  action: "confirm" as const,
  start: new Date("2026-12-01T09:00:00Z"),
  expiresAt: new Date("2026-12-01T10:00:00Z"),
};
const before = new Date("2026-12-01T08:00:00Z");

describe("createReminderLinks", () => {
  it("reads back what it signed, to the second", () => {
    const links = createReminderLinks([older]);
    expect(links.verify(links.sign(claims), "confirm", before)).toEqual(claims);
  });

  it("keeps links of an older key valid while that key is listed, and only then", () => {
    const token = createReminderLinks([older]).sign(claims);
    expect(createReminderLinks([newer, older]).verify(token, "confirm", before).eventId).toBe(claims.eventId);
    expect(() => createReminderLinks([newer]).verify(token, "confirm", before)).toThrow(/not valid/);
  });

  it("refuses a token whose claims were changed, even with its signature kept", () => {
    const links = createReminderLinks([older]);
    const [eventId, , start, expiry, keyId, signature] = links.sign(claims).split(".");
    const later = (Number.parseInt(expiry!, 36) + 86_400).toString(36);
    expect(() =>
      links.verify([eventId, "c", start, later, keyId, signature].join("."), "confirm", before),
    ).toThrow(/not valid/);
    expect(() =>
      links.verify([eventId, "x", start, expiry, keyId, signature].join("."), "cancel", before),
    ).toThrow(/not valid/);
  });

  it("refuses a signature written with other spare bits in its last character", () => {
    const links = createReminderLinks([older]);
    const token = links.sign(claims);
    const last = token.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // 16 bytes take 22 characters, the last one carrying 2 bits: the next character decodes the same.
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(() => links.verify(`${token.slice(0, -1)}${sibling}`, "confirm", before)).toThrow(/not valid/);
  });

  it("refuses a link once the appointment has ended", () => {
    const links = createReminderLinks([older]);
    expect(() => links.verify(links.sign(claims), "confirm", claims.expiresAt)).toThrow(/expired/);
  });
});
