import { type OAuthProvider, trimUrl } from "../../connections/OAuthProvider";
import type { MicrosoftProviderOptions } from "../../options";

/**
 * Microsoft identity platform: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * (offline_access for a refresh token, which rotates; Graph at graph.microsoft.com/v1.0).
 */
export function microsoftOAuth(options: MicrosoftProviderOptions): OAuthProvider {
  const login = options.baseUrl ? trimUrl(options.baseUrl) : "https://login.microsoftonline.com";
  const graph = options.baseUrl ? trimUrl(options.baseUrl) : "https://graph.microsoft.com";
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
    revokeWith: "access",
    scopesOnRefresh: true,
    syncsCalendar: true,
    readProfile: (body) => ({
      accountId: String(body.id ?? ""),
      email: String(body.mail ?? body.userPrincipalName ?? ""),
    }),
  };
}
