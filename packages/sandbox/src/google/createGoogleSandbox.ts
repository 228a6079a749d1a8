import express from "express";
import { listen } from "../listen";
import { createOAuthAuthority, type SandboxAccount, type SandboxClient } from "../oauth/createOAuthAuthority";
import { googleApiError } from "./googleApiError";
import { createGoogleCalendarApi } from "./googleCalendar";
import { createMeetApi } from "./meetApi";
import { createWorkspaceEvents } from "./workspaceEvents";

export interface GoogleSandboxOptions {
  accounts: SandboxAccount[];
  client: SandboxClient;
  /** Consent at once for an account named by login_hint (the demo's one-click connect). */
  autoApprove?: boolean;
  now?: () => Date;
}

/**
 * Google, as its docs describe it:
 * - OAuth for web servers: https://developers.google.com/identity/protocols/oauth2/web-server —
 *   /o/oauth2/v2/auth (accounts.google.com), /token and /revoke (oauth2.googleapis.com), client
 *   credentials in the form body, errors as `{ "error": "invalid_grant", "error_description": "..." }`;
 *   a refresh answers no new refresh_token (the old one stays valid).
 * - OpenID Connect userinfo: https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation
 *   — GET /v1/userinfo (openidconnect.googleapis.com) → `{ sub, email, email_verified, name }`.
 * Every Google host is served under one base URL at its real paths.
 */
export function createGoogleSandbox(options: GoogleSandboxOptions) {
  const oauth = createOAuthAuthority({
    label: "Google",
    accounts: options.accounts,
    clients: [options.client],
    clientAuthentication: "body",
    rotateRefreshTokens: false,
    tokenError: (error, description) => ({ error, error_description: description }),
    ...(options.now && { now: options.now }),
    ...(options.autoApprove && { autoApprove: true }),
  });
  const app = express();
  app.get("/o/oauth2/v2/auth", oauth.authorizePage);
  app.post("/o/oauth2/v2/auth", oauth.form, oauth.authorizeDecision);
  app.post("/token", oauth.form, oauth.token);
  app.post("/revoke", oauth.form, oauth.revoke);
  app.get("/v1/userinfo", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      res
        .status(401)
        .json(googleApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
      return;
    }
    res.json({ sub: account.id, email: account.email, email_verified: true, name: account.name });
  });
  const meet = createMeetApi(app, oauth);
  const workspaceEvents = createWorkspaceEvents(app, oauth, { ...(options.now && { now: options.now }) });
  const calendar = createGoogleCalendarApi(app, oauth, {
    accounts: options.accounts,
    ...(options.now && { now: options.now }),
  });
  return { app, oauth, meet, workspaceEvents, calendar, start: (port?: number) => listen(app, port) };
}
