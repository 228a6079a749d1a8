import { randomUUID } from "node:crypto";
import express from "express";
import { listen } from "../listen";
import { createOAuthAuthority, type SandboxAccount, type SandboxClient } from "../oauth/createOAuthAuthority";
import { createGraphCalendarApi } from "./graphCalendar";
import { graphError } from "./graphError";

export interface MicrosoftSandboxOptions {
  accounts: SandboxAccount[];
  client: SandboxClient;
  /** Consent at once for an account named by login_hint (the demo's one-click connect). */
  autoApprove?: boolean;
  now?: () => Date;
}

/**
 * Microsoft, as its docs describe it:
 * - Identity platform auth code flow: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 *   — /{tenant}/oauth2/v2.0/authorize and /token, client credentials in the form body, refresh
 *   tokens replaced on each refresh, errors as `{ error, error_description, error_codes, timestamp,
 *   trace_id, correlation_id }`. There is no endpoint to revoke one grant.
 * - Graph: https://learn.microsoft.com/graph/api/user-get — GET /v1.0/me → `{ id, mail, userPrincipalName, displayName }`.
 * login.microsoftonline.com and graph.microsoft.com are served under one base URL at their real paths.
 */
export function createMicrosoftSandbox(options: MicrosoftSandboxOptions) {
  const oauth = createOAuthAuthority({
    label: "Microsoft",
    accounts: options.accounts,
    clients: [options.client],
    clientAuthentication: "body",
    rotateRefreshTokens: true,
    requireScopeOnRefresh: true,
    tokenError: (error, description) => ({
      error,
      error_description: `AADSTS70000: ${description}`,
      error_codes: [70000],
      timestamp: new Date().toISOString().replace("T", " ").slice(0, 19),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    }),
    ...(options.now && { now: options.now }),
    ...(options.autoApprove && { autoApprove: true }),
  });
  const app = express();
  app.get("/:tenant/oauth2/v2.0/authorize", oauth.authorizePage);
  app.post("/:tenant/oauth2/v2.0/authorize", oauth.form, oauth.authorizeDecision);
  app.post("/:tenant/oauth2/v2.0/token", oauth.form, oauth.token);
  app.get("/v1.0/me", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      res.status(401).json(graphError("InvalidAuthenticationToken", "Access token is empty or invalid."));
      return;
    }
    res.json({
      id: account.id,
      mail: account.email,
      userPrincipalName: account.email,
      displayName: account.name,
    });
  });
  const calendar = createGraphCalendarApi(app, oauth, {
    accounts: options.accounts,
    ...(options.now && { now: options.now }),
  });
  return { app, oauth, calendar, start: (port?: number) => listen(app, port) };
}
