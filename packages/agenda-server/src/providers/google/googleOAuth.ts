import { type OAuthProvider, trimUrl } from "../../connections/OAuthProvider";
import type { GoogleProviderOptions } from "../../options";

/**
 * The Google hosts a transcript is read from: the Meet API's transcript entries
 * (meet.googleapis.com, https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.transcripts.entries),
 * and the Google Docs file a transcript's `docsDestination` names (its `exportUri` on docs.google.com,
 * its `document` through the Docs API on docs.googleapis.com). Not every `*.googleapis.com`: storage
 * and other APIs are no place to send a transcript token.
 */
const googleFileHosts = new Set(["meet.googleapis.com", "docs.googleapis.com", "docs.google.com"]);

/**
 * Google: https://developers.google.com/identity/protocols/oauth2/web-server (offline access with
 * prompt=consent so a refresh token comes back, PKCE, revoke at oauth2.googleapis.com/revoke).
 */
export function googleOAuth(options: GoogleProviderOptions): OAuthProvider {
  const base = options.baseUrl ? trimUrl(options.baseUrl) : null;
  return {
    id: "google",
    label: "Google",
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authorizeUrl: `${base ?? "https://accounts.google.com"}/o/oauth2/v2/auth`,
    tokenUrl: `${base ?? "https://oauth2.googleapis.com"}/token`,
    revokeUrl: `${base ?? "https://oauth2.googleapis.com"}/revoke`,
    profileUrl: `${base ?? "https://openidconnect.googleapis.com"}/v1/userinfo`,
    apiBaseUrl: base ?? "https://www.googleapis.com",
    ownsFileUrl: (url) =>
      base
        ? new URL(base).origin === url.origin
        : url.protocol === "https:" && googleFileHosts.has(url.hostname),
    scopes: [
      "openid",
      "email",
      "https://www.googleapis.com/auth/calendar.events",
      "https://www.googleapis.com/auth/calendar.readonly",
      "https://www.googleapis.com/auth/meetings.space.readonly",
    ],
    authorizeParams: { access_type: "offline", prompt: "consent", include_granted_scopes: "true" },
    acceptsLoginHint: true,
    clientAuthentication: "body",
    revokeWith: "refresh",
    scopesOnRefresh: false,
    syncsCalendar: true,
    readProfile: (body) => ({ accountId: String(body.sub ?? ""), email: String(body.email ?? "") }),
  };
}
