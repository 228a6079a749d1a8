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

/** Own names only: `constructor` or `__proto__` are in every object, but are nobody. */
export function isDemoPerson(name: unknown): name is DemoPerson {
  return typeof name === "string" && Object.hasOwn(demoPeople, name);
}

const cookieName = "demo_session";
/** A demo session lasts a working day; the expiry is signed with the name, so it holds server-side too. */
const sessionMs = 12 * 3600_000;

/** A demo-only sign-in: a cookie holding the person's name and its expiry, signed so it cannot be edited by hand. */
export function createDemoSessions(secret: string, now: () => Date = () => new Date()) {
  const sign = (value: string) => createHmac("sha256", secret).update(value).digest("base64url");
  const sealed = (name: DemoPerson) => {
    const value = `${name}.${now().getTime() + sessionMs}`;
    return `${value}.${sign(value)}`;
  };

  function person(req: Request): DemoPerson | null {
    const raw = (req.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${cookieName}=`))
      ?.slice(cookieName.length + 1);
    if (!raw) return null;
    const [name, expires, signature] = decodeURIComponent(raw).split(".");
    if (!isDemoPerson(name) || !expires || !signature || Number(expires) <= now().getTime()) return null;
    const expected = Buffer.from(sign(`${name}.${expires}`));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? name : null;
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
      res.cookie(cookieName, sealed(name), { httpOnly: true, sameSite: "lax", path: "/", maxAge: sessionMs });
    },
    /** The Cookie header a signed-in browser sends, for the demo's own seeding requests. */
    cookieHeader(name: DemoPerson): string {
      return `${cookieName}=${encodeURIComponent(sealed(name))}`;
    },
    signOut(res: Response) {
      res.clearCookie(cookieName, { path: "/" });
    },
  };
}
