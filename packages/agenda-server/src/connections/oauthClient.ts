import {
  answerJson,
  isBusyStatus,
  isSuccess,
  type ProviderAnswer,
  ProviderUnavailableError,
  providerFetch,
} from "../providers/providerFetch";
import type { OAuthProvider } from "./OAuthProvider";

/** What a token endpoint answers (RFC 6749 §5.1). */
export interface TokenSet {
  accessToken: string;
  /** Absent when the provider kept the old one (Google on refresh). */
  refreshToken?: string;
  expiresAt: Date | null;
  scopes: string[];
}

/**
 * A provider call that failed. `kind` says what to do: `invalid_grant` → the user must reconnect;
 * `misconfigured` → the host's OAuth app settings are wrong; `unavailable` → try again later (429,
 * 5xx, network); `refused` → any other refusal. Messages never hold a token.
 */
export class ProviderRequestError extends Error {
  override readonly name = "ProviderRequestError";
  constructor(
    readonly kind: "invalid_grant" | "misconfigured" | "unavailable" | "refused",
    message: string,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

const timeoutMs = 10_000;

/**
 * One OAuth request (a token, revoke or profile endpoint), never redirected: an authorization server
 * that redirects is misconfigured, and a redirect could carry the client secret elsewhere. A provider
 * that cannot be reached is an `unavailable` {@link ProviderRequestError}, like a 429 or 5xx answer.
 */
async function send(
  provider: OAuthProvider,
  url: string,
  request: {
    method?: "POST";
    headers?: Record<string, string>;
    body?: URLSearchParams;
    accessToken?: string;
  },
  what: string,
): Promise<ProviderAnswer> {
  try {
    return await providerFetch(provider.label, {
      url,
      accessToken: request.accessToken ?? null,
      method: request.method,
      headers: request.headers,
      redirect: "error",
      timeoutMs,
      purpose: `the ${what}`,
      body: request.body,
    });
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    throw new ProviderRequestError("unavailable", error.message);
  }
}

function readError(provider: OAuthProvider, response: ProviderAnswer, what: string): ProviderRequestError {
  let code = "";
  try {
    const body = JSON.parse(response.text) as { error?: unknown; reason?: unknown };
    code = typeof body.error === "string" ? body.error : "";
  } catch {}
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  if (isBusyStatus(response.status)) {
    return new ProviderRequestError(
      "unavailable",
      `${provider.label} answered ${response.status} (${what}); will retry`,
      response.status,
      retryAfterSeconds,
    );
  }
  if (code === "invalid_grant") {
    return new ProviderRequestError(
      "invalid_grant",
      `${provider.label} no longer accepts this account's authorization; reconnect it`,
      response.status,
    );
  }
  if (code === "invalid_client" || code === "unauthorized_client") {
    return new ProviderRequestError(
      "misconfigured",
      `${provider.label} refused the OAuth app's client id or secret; check the ${provider.label} settings`,
      response.status,
    );
  }
  return new ProviderRequestError(
    "refused",
    `${provider.label} refused the request (${what}): ${response.status}${code ? ` ${code}` : ""}`,
    response.status,
  );
}

async function tokenRequest(
  provider: OAuthProvider,
  params: Record<string, string>,
  now: Date,
  what: string,
): Promise<TokenSet> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {};
  if (provider.clientAuthentication === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString("base64")}`;
  } else {
    body.set("client_id", provider.clientId);
    body.set("client_secret", provider.clientSecret);
  }
  const response = await send(provider, provider.tokenUrl, { method: "POST", headers, body }, what);
  if (!isSuccess(response)) throw readError(provider, response, what);
  const json = answerJson<Record<string, unknown> | null>(response, null);
  if (!json || typeof json.access_token !== "string") {
    throw new ProviderRequestError(
      "refused",
      `${provider.label} answered without an access token (${what})`,
      response.status,
    );
  }
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    ...(typeof json.refresh_token === "string" && json.refresh_token && { refreshToken: json.refresh_token }),
    expiresAt:
      Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: typeof json.scope === "string" ? json.scope.split(/[\s,]+/).filter(Boolean) : [],
  };
}

export function exchangeCode(
  provider: OAuthProvider,
  input: { code: string; codeVerifier: string; redirectUri: string },
  now: Date,
): Promise<TokenSet> {
  return tokenRequest(
    provider,
    {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    },
    now,
    "code exchange",
  );
}

export function refreshTokens(provider: OAuthProvider, refreshToken: string, now: Date): Promise<TokenSet> {
  return tokenRequest(
    provider,
    {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      ...(provider.id === "microsoft" && { scope: provider.scopes.join(" ") }),
    },
    now,
    "token refresh",
  );
}

export async function fetchProfile(
  provider: OAuthProvider,
  accessToken: string,
): Promise<{ accountId: string; email: string }> {
  const response = await send(provider, provider.profileUrl, { accessToken }, "profile");
  if (!isSuccess(response)) throw readError(provider, response, "profile");
  const profile = provider.readProfile(answerJson<Record<string, unknown>>(response, {}));
  if (!profile.accountId)
    throw new ProviderRequestError("refused", `${provider.label} answered a profile without an account id`);
  return profile;
}

/** Revokes a grant where the provider allows it (RFC 7009 for Google; Zoom's /oauth/revoke). */
export async function revokeToken(provider: OAuthProvider, token: string): Promise<void> {
  if (!provider.revokeUrl) return;
  const headers: Record<string, string> = {};
  if (provider.clientAuthentication === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString("base64")}`;
  }
  const response = await send(
    provider,
    provider.revokeUrl,
    { method: "POST", headers, body: new URLSearchParams({ token }) },
    "revoke",
  );
  // An already invalid token is as good as revoked.
  if (!isSuccess(response) && response.status !== 400) throw readError(provider, response, "revoke");
}
