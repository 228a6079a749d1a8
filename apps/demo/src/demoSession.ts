import { createHmac, timingSafeEqual } from "node:crypto";
import type { AgendaSession } from "@crm-agenda/server";
import type { Request, Response } from "express";

/** The demo's people; a real host has its own users and sessions. */
export const demoPeople = {
  alice: { userId: "alice", tenantId: "acme", email: "alice@acme.example", name: "Alice Martin" },
  carol: { userId: "carol", tenantId: "acme", email: "carol@acme.example", name: "Carol Petit" },
  bob: { userId: "bob", tenantId: "globex", email: "bob@globex.example", name: "Bob Smith" },
} as const;
export type DemoPerson = keyof typeof demoPeople;

const cookieName = "demo_session";

/** A demo-only sign-in: a cookie holding the person's name, signed so it cannot be edited by hand. */
export function createDemoSessions(secret: string) {
  const sign = (value: string) => createHmac("sha256", secret).update(value).digest("base64url");

  function person(req: Request): DemoPerson | null {
    const raw = (req.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${cookieName}=`))
      ?.slice(cookieName.length + 1);
    if (!raw) return null;
    const [name, signature] = decodeURIComponent(raw).split(".");
    if (!name || !signature || !(name in demoPeople)) return null;
    const expected = Buffer.from(sign(name));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? (name as DemoPerson) : null;
  }

  return {
    person,
    auth(req: Request): AgendaSession | null {
      const name = person(req);
      if (!name) return null;
      const { userId, tenantId, email } = demoPeople[name];
      return { userId, tenantId, email };
    },
    signIn(res: Response, name: DemoPerson) {
      res.cookie(cookieName, `${name}.${sign(name)}`, { httpOnly: true, sameSite: "lax", path: "/" });
    },
    /** The Cookie header a signed-in browser sends, for the demo's own seeding requests. */
    cookieHeader(name: DemoPerson): string {
      return `${cookieName}=${encodeURIComponent(`${name}.${sign(name)}`)}`;
    },
    signOut(res: Response) {
      res.clearCookie(cookieName, { path: "/" });
    },
  };
}
