import type { Request } from "express";
import { AgendaError } from "../errors";
import { isJsonContentType } from "./readBody";

/** Throws `csrf_rejected` (403) for a state-changing request that may come from another site's page. */
export type OriginCheck = (req: Request) => void;

/**
 * The cross-site request forgery check of every state-changing route but the signed webhooks.
 *
 * A request passes when both hold:
 * - it is JSON by its `Content-Type` header. A page of another site can only send a form or text
 *   (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) without a CORS
 *   preflight, so this alone stops a forged form even when the host already parsed its body;
 * - it is not cross-site: an `Origin` header must be the origin of `publicUrl` or one of
 *   `allowedOrigins` (`null`, sent by sandboxed frames and some redirects, never is), and a
 *   `Sec-Fetch-Site: cross-site` is refused unless its `Origin` is one of `allowedOrigins`.
 *
 * A request with neither `Origin` nor `Sec-Fetch-Site` comes from no browser (curl, a server, a
 * test): every current browser sends `Origin` on a POST, PUT, PATCH or DELETE, so such a request
 * cannot carry a victim's cookies, and it passes on its JSON type alone, as in Rails and better-auth.
 * With neither `publicUrl` nor `allowedOrigins`, the `Origin` must name the request's own `Host`.
 */
export function createOriginCheck(options: {
  publicUrl: string | null;
  allowedOrigins: readonly string[];
}): OriginCheck {
  const allowed = new Set(options.allowedOrigins.map((origin) => toOrigin(origin, "allowedOrigins")));
  const trusted = new Set(allowed);
  if (options.publicUrl) trusted.add(toOrigin(options.publicUrl, "publicUrl"));

  return (req) => {
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    const expected =
      trusted.size > 0 ? [...trusted] : req.headers.host ? [`the host ${req.headers.host}`] : [];
    const originOk =
      origin === undefined ||
      (origin !== "null" &&
        (trusted.size > 0 ? trusted.has(origin) : hostOf(origin) === req.headers.host?.toLowerCase()));
    if (!originOk) {
      throw new AgendaError(
        "csrf_rejected",
        `refused a ${req.method} from the origin ${origin}: state-changing requests must come from ${expected.join(" or ")}; add the CRM's own origin to the allowedOrigins option if it is served from another one`,
      );
    }
    if (site === "cross-site" && !(origin !== undefined && allowed.has(origin))) {
      throw new AgendaError(
        "csrf_rejected",
        `refused a cross-site ${req.method} (Sec-Fetch-Site: cross-site): state-changing requests must come from the CRM's own pages`,
      );
    }
    if (!isJsonContentType(req.headers["content-type"])) {
      throw new AgendaError(
        "csrf_rejected",
        `refused a ${req.method} sent as ${req.headers["content-type"] || "no content type"}: state-changing requests must have the header Content-Type: application/json, even without a body (a form can be posted by any site)`,
      );
    }
  };
}

function toOrigin(url: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`createAgenda: ${option} has "${url}", which is not an absolute URL`);
  }
  if (parsed.origin === "null") throw new Error(`createAgenda: ${option} has "${url}", which has no origin`);
  return parsed.origin;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
