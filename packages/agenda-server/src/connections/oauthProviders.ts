import type { Provider } from "@crm-agenda/shared";
import type {
  GoogleProviderOptions,
  MicrosoftProviderOptions,
  ProvidersOptions,
  ZoomProviderOptions,
} from "../options";

/** Where and how one provider does OAuth; every URL comes from the options, so any host can stand in. */
export interface OAuthProvider {
  id: Provider;
  label: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Absent where the provider has no revocation endpoint for one grant (Microsoft). */
  revokeUrl?: string;
  profileUrl: string;
  /** Base of the provider's REST API (Zoom `/v2`, Graph `/v1.0`, Google per API). */
  apiBaseUrl: string;
  /**
   * Whether a file link (a transcript download, or a redirect from one) may be fetched with this
   * provider's tokens: only its own hosts, so a crafted link cannot send a token elsewhere.
   */
  ownsFileUrl(url: URL): boolean;
  scopes: string[];
  /** Extra authorize parameters. */
  authorizeParams: Record<string, string>;
  /** Whether the authorize endpoint takes `login_hint` (the CRM user's e-mail preselects the account). */
  acceptsLoginHint: boolean;
  /** Zoom wants the client credentials in a Basic header; Google and Microsoft in the form body. */
  clientAuthentication: "basic" | "body";
  /** The account id and e-mail from the profile endpoint's answer. */
  readProfile(body: Record<string, unknown>): { accountId: string; email: string };
}

const trim = (url: string) => url.replace(/\/+$/, "");

/**
 * Zoom: https://developers.zoom.us/docs/integrations/oauth/ (authorize and token at zoom.us, Basic
 * client authentication, refresh tokens rotate on every refresh, revoke at /oauth/revoke).
 * Scopes are chosen on the app's page in the Zoom Marketplace, not in the authorize URL.
 */
function zoom(options: ZoomProviderOptions): OAuthProvider {
  const oauth = trim(options.baseUrl ?? options.oauthBaseUrl ?? "https://zoom.us");
  const api = trim(options.baseUrl ?? options.apiBaseUrl ?? "https://api.zoom.us");
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
    readProfile: (body) => ({ accountId: String(body.id ?? ""), email: String(body.email ?? "") }),
  };
}

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
function google(options: GoogleProviderOptions): OAuthProvider {
  const base = options.baseUrl ? trim(options.baseUrl) : null;
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
    readProfile: (body) => ({ accountId: String(body.sub ?? ""), email: String(body.email ?? "") }),
  };
}

/**
 * Microsoft identity platform: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * (offline_access for a refresh token, which rotates; Graph at graph.microsoft.com/v1.0).
 */
function microsoft(options: MicrosoftProviderOptions): OAuthProvider {
  const login = options.baseUrl ? trim(options.baseUrl) : "https://login.microsoftonline.com";
  const graph = options.baseUrl ? trim(options.baseUrl) : "https://graph.microsoft.com";
  const tenant = encodeURIComponent(options.tenant ?? "common");
  return {
    id: "microsoft",
    label: "Microsoft",
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authorizeUrl: `${login}/${tenant}/oauth2/v2.0/authorize`,
    tokenUrl: `${login}/${tenant}/oauth2/v2.0/token`,
    profileUrl: `${graph}/v1.0/me`,
    apiBaseUrl: `${graph}/v1.0`,
    ownsFileUrl: (url) => new URL(graph).origin === url.origin,
    scopes: ["openid", "email", "offline_access", "User.Read", "Calendars.ReadWrite"],
    authorizeParams: { response_mode: "query" },
    acceptsLoginHint: true,
    clientAuthentication: "body",
    readProfile: (body) => ({
      accountId: String(body.id ?? ""),
      email: String(body.mail ?? body.userPrincipalName ?? ""),
    }),
  };
}

/** The providers the host configured, by id. */
export function createOAuthProviders(
  options: ProvidersOptions = {},
): Partial<Record<Provider, OAuthProvider>> {
  return {
    ...(options.zoom && { zoom: zoom(options.zoom) }),
    ...(options.google && { google: google(options.google) }),
    ...(options.microsoft && { microsoft: microsoft(options.microsoft) }),
  };
}
