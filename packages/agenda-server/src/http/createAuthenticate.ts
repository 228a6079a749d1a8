import type { Request } from "express";
import { z } from "zod";
import { AgendaError } from "../errors";
import type { AgendaSession } from "../options";

const sessionSchema = z.object({
  userId: z.string().trim().min(1),
  tenantId: z.string().trim().min(1),
  email: z.email(),
});

/**
 * The host's `auth`, checked: a session missing its user, its tenant or a valid e-mail would file
 * events and summaries under the wrong owner, so it is answered 401 and reported to the host, whose
 * adapter needs fixing. Only the three fields are kept.
 */
export function createAuthenticate(
  auth: (req: Request) => AgendaSession | null | Promise<AgendaSession | null>,
  reportError: (error: unknown, req: Request) => void,
): (req: Request) => Promise<AgendaSession | null> {
  return async (req) => {
    const session: unknown = await auth(req);
    if (session === null || session === undefined) return null;
    const parsed = sessionSchema.safeParse(session);
    if (parsed.success) return parsed.data;
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(session)"))];
    reportError(
      new Error(
        `the auth option returned a session the agenda cannot use (${fields.join(", ")}): it must return null or { userId, tenantId, email } with non-empty userId and tenantId and a valid e-mail address`,
      ),
      req,
    );
    throw new AgendaError("unauthorized", "your session could not be read by the agenda; sign in again");
  };
}
