import express from "express";
import { listen } from "../listen";
import { createOAuthAuthority, type SandboxAccount, type SandboxClient } from "../oauth/createOAuthAuthority";
import { createZoomMeetings } from "./zoomMeetings";
import { createZoomRecordings } from "./zoomRecordings";

export interface ZoomSandboxOptions {
  accounts: SandboxAccount[];
  client: SandboxClient;
  /** Consent at once for an account named by login_hint (the demo's one-click connect). */
  autoApprove?: boolean;
  now?: () => Date;
}

/**
 * Zoom, as its docs describe it:
 * - OAuth: https://developers.zoom.us/docs/integrations/oauth/ — /oauth/authorize, /oauth/token with
 *   HTTP Basic client credentials, rotating refresh tokens, /oauth/revoke; token errors as
 *   `{ "reason": "...", "error": "invalid_grant" }` (https://developers.zoom.us/docs/integrations/oauth-error-messages/).
 * - API: https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId} — GET /v2/users/me;
 *   an invalid token answers 401 `{ "code": 124, "message": "Invalid access token." }`.
 * - Meetings: POST /v2/users/{userId}/meetings, PATCH and DELETE /v2/meetings/{meetingId} (see
 *   zoomMeetings.ts).
 * Zoom's two hosts (zoom.us and api.zoom.us) are served under one base URL at their real paths.
 */
export function createZoomSandbox(options: ZoomSandboxOptions) {
  const oauth = createOAuthAuthority({
    label: "Zoom",
    accounts: options.accounts,
    clients: [options.client],
    clientAuthentication: "basic",
    rotateRefreshTokens: true,
    tokenError: (error, reason) => ({ reason, error }),
    ...(options.now && { now: options.now }),
    ...(options.autoApprove && { autoApprove: true }),
  });
  const app = express();
  app.get("/oauth/authorize", oauth.authorizePage);
  app.post("/oauth/authorize", oauth.form, oauth.authorizeDecision);
  app.post("/oauth/token", oauth.form, oauth.token);
  app.post("/oauth/revoke", oauth.form, (req, res) => {
    // Zoom's revoke also takes the client's Basic credentials.
    if (!(req.header("authorization") ?? "").startsWith("Basic ")) {
      res.status(401).json({ reason: "Invalid client_id or client_secret", error: "invalid_client" });
      return;
    }
    oauth.revoke(req, res);
  });
  app.get("/v2/users/me", (req, res) => {
    const account = oauth.bearer(req);
    if (!account) {
      res.status(401).json({ code: 124, message: "Invalid access token." });
      return;
    }
    const [firstName, ...rest] = account.name.split(" ");
    res.json({
      id: account.id,
      email: account.email,
      first_name: firstName,
      last_name: rest.join(" "),
      display_name: account.name,
      type: 1,
      status: "active",
    });
  });
  let baseUrl = "http://127.0.0.1";
  const recordings = createZoomRecordings(app, oauth, () => baseUrl);
  const meetings = createZoomMeetings(app, oauth, options.now);
  return {
    app,
    oauth,
    recordings,
    meetings,
    async start(port?: number) {
      const running = await listen(app, port);
      baseUrl = running.url;
      return running;
    },
  };
}
