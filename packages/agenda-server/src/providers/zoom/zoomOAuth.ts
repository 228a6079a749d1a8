import { type OAuthProvider, trimUrl } from "../../connections/OAuthProvider";
import type { ZoomProviderOptions } from "../../options";

/**
 * Zoom: https://developers.zoom.us/docs/integrations/oauth/ (authorize and token at zoom.us, Basic
 * client authentication, refresh tokens rotate on every refresh, revoke at /oauth/revoke).
 * Scopes are chosen on the app's page in the Zoom Marketplace, not in the authorize URL.
 */
export function zoomOAuth(options: ZoomProviderOptions): OAuthProvider {
  const oauth = trimUrl(options.baseUrl ?? options.oauthBaseUrl ?? "https://zoom.us");
  const api = trimUrl(options.baseUrl ?? options.apiBaseUrl ?? "https://api.zoom.us");
  return {
    id: "zoom",
    label: "Zoom",
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authorizeUrl: `${oauth}/oauth/authorize`,
    tokenUrl: `${oauth}/oauth/token`,
    revokeUrl: `${oauth}/oauth/revoke`,
    profileUrl: `${api}/v2/users/me`,
    apiBaseUrl: `${api}/v2`,
    ownsFileUrl: (url) =>
      options.baseUrl || options.oauthBaseUrl || options.apiBaseUrl
        ? [oauth, api].some((origin) => new URL(origin).origin === url.origin)
        : url.protocol === "https:" && (url.hostname === "zoom.us" || url.hostname.endsWith(".zoom.us")),
    scopes: [],
    authorizeParams: {},
    acceptsLoginHint: false,
    clientAuthentication: "basic",
    revokeWith: "access",
    scopesOnRefresh: false,
    syncsCalendar: false,
    readProfile: (body) => ({ accountId: String(body.id ?? ""), email: String(body.email ?? "") }),
  };
}
