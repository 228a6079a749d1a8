import type { Provider } from "@crm-agenda/shared";

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
  /**
   * The token whose revocation ends the whole grant: Google revokes everything through the refresh
   * token (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke), Zoom by
   * the access token (https://developers.zoom.us/docs/integrations/oauth/#revoking-an-access-token).
   */
  revokeWith: "refresh" | "access";
  /**
   * Whether a refresh names the scopes again: Microsoft's v2 token endpoint asks for them on every
   * refresh (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token).
   */
  scopesOnRefresh: boolean;
  /** Whether an account of this provider holds a calendar the agenda syncs (a Zoom account has none). */
  syncsCalendar: boolean;
  /** The account id and e-mail from the profile endpoint's answer. */
  readProfile(body: Record<string, unknown>): { accountId: string; email: string };
}

/** A base URL without its trailing slashes, for joining paths to it. */
export const trimUrl = (url: string) => url.replace(/\/+$/, "");
