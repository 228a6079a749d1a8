import { createHash, randomBytes } from "node:crypto";
import express, { type Request, type Response } from "express";

/** A person who can sign in at a sandbox provider. */
export interface SandboxAccount {
  id: string;
  email: string;
  name: string;
}

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthAuthorityOptions {
  label: string;
  accounts: SandboxAccount[];
  clients: SandboxClient[];
  /** Where the provider expects client credentials on the token and revoke endpoints. */
  clientAuthentication: "basic" | "body";
  /** Zoom and Microsoft hand out a new refresh token on every refresh and void the old one; Google keeps it. */
  rotateRefreshTokens: boolean;
  /**
   * Microsoft's v2 token endpoint wants `scope` on a refresh too
   * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token);
   * Google and Zoom reuse the grant's scopes.
   */
  requireScopeOnRefresh?: boolean;
  /** The provider's own error body for a token endpoint refusal. */
  tokenError(code: string, description: string): Record<string, unknown>;
  accessTokenLifetimeSeconds?: number;
  /**
   * For the demo: when the authorize request names a known account in `login_hint`, consent is
   * given at once, so connecting is one click. Tests leave it off and answer the consent page.
   */
  autoApprove?: boolean;
  now?: () => Date;
}

interface Grant {
  account: SandboxAccount;
  clientId: string;
  scope: string;
}
interface PendingCode extends Grant {
  redirectUri: string;
  codeChallenge: string | null;
  expiresAt: number;
  used: boolean;
}

/**
 * The authorization-code side of a sandbox provider (RFC 6749 with RFC 7636 PKCE): a consent page,
 * single-use codes, a token endpoint with refresh, revocation, and bearer checks for API routes.
 * Test controls count token requests and inject the failures the real services produce.
 */
export function createOAuthAuthority(options: OAuthAuthorityOptions) {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, Grant & { expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  const injected: { status: number; body: Record<string, unknown> }[] = [];
  let held: { arrived: () => void; released: Promise<void> } | null = null;
  const stats = { tokenRequests: 0, refreshRequests: 0, revocations: [] as string[] };

  function clientFrom(req: Request): SandboxClient | null {
    let clientId: string | undefined;
    let clientSecret: string | undefined;
    if (options.clientAuthentication === "basic") {
      const header = req.header("authorization") ?? "";
      if (!header.startsWith("Basic ")) return null;
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      [clientId, clientSecret] = [
        decoded.slice(0, decoded.indexOf(":")),
        decoded.slice(decoded.indexOf(":") + 1),
      ];
    } else {
      clientId = req.body?.client_id;
      clientSecret = req.body?.client_secret;
    }
    return (
      options.clients.find(
        (client) => client.clientId === clientId && client.clientSecret === clientSecret,
      ) ?? null
    );
  }

  function issue(grant: Grant, refreshToken?: string) {
    const accessToken = `sbx-at-${randomBytes(18).toString("base64url")}`;
    accessTokens.set(accessToken, { ...grant, expiresAt: now() + lifetime * 1000 });
    const nextRefresh = refreshToken ?? `sbx-rt-${randomBytes(18).toString("base64url")}`;
    refreshTokens.set(nextRefresh, grant);
    return { accessToken, refreshToken: nextRefresh };
  }

  const form = express.urlencoded({ extended: false });

  /** GET: the consent page a person sees. */
  function authorizePage(req: Request, res: Response) {
    const query = req.query as Record<string, string | undefined>;
    const client = options.clients.find((candidate) => candidate.clientId === query.client_id);
    if (!client) {
      res.status(400).type("text/html").send(`<h1>${options.label}</h1><p>Invalid client_id.</p>`);
      return;
    }
    if (query.response_type !== "code" || !query.redirect_uri) {
      res
        .status(400)
        .type("text/html")
        .send(`<h1>${options.label}</h1><p>response_type=code and redirect_uri are required.</p>`);
      return;
    }
    if (query.code_challenge && query.code_challenge_method !== "S256") {
      res
        .status(400)
        .type("text/html")
        .send(`<h1>${options.label}</h1><p>Only code_challenge_method=S256 is accepted.</p>`);
      return;
    }
    const hinted = options.accounts.find((account) => account.email === query.login_hint);
    if (options.autoApprove && hinted) {
      grantCode(res, { ...query, account: hinted.id, decision: "allow" } as Record<
        string,
        string | undefined
      >);
      return;
    }
    const hidden = ["client_id", "redirect_uri", "state", "scope", "code_challenge"]
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query[name] ?? "")}">`)
      .join("");
    const choices = options.accounts
      .map(
        (account, index) =>
          `<label><input type="radio" name="account" value="${escapeHtml(account.id)}"${(hinted ? account === hinted : index === 0) ? " checked" : ""}> ${escapeHtml(account.name)} &lt;${escapeHtml(account.email)}&gt;</label><br>`,
      )
      .join("");
    res
      .type("text/html")
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${options.label} (sandbox) — sign in</title>
<style>body{font-family:system-ui;max-width:480px;margin:60px auto}button{margin-right:8px;padding:8px 16px}</style></head>
<body><h1>${options.label} <small>(sandbox)</small></h1><p>crm-agenda wants to access your ${options.label} account.</p>
<form method="post">${hidden}<fieldset><legend>Sign in as</legend>${choices}</fieldset>
<p>Scopes: <code>${escapeHtml(query.scope ?? "(set on the app)")}</code></p>
<button name="decision" value="allow" type="submit">Allow</button><button name="decision" value="deny" type="submit">Deny</button></form></body></html>`);
  }

  /** POST: the person's answer on the consent page. */
  function authorizeDecision(req: Request, res: Response) {
    grantCode(res, req.body as Record<string, string | undefined>);
  }

  function grantCode(res: Response, body: Record<string, string | undefined>) {
    const redirect = new URL(body.redirect_uri ?? "");
    if (body.state) redirect.searchParams.set("state", body.state);
    if (body.decision !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      res.redirect(302, redirect.toString());
      return;
    }
    const account =
      options.accounts.find((candidate) => candidate.id === body.account) ?? options.accounts[0]!;
    const code = randomBytes(16).toString("base64url");
    codes.set(code, {
      account,
      clientId: body.client_id ?? "",
      scope: body.scope ?? "",
      redirectUri: body.redirect_uri ?? "",
      codeChallenge: body.code_challenge || null,
      expiresAt: now() + 5 * 60_000,
      used: false,
    });
    redirect.searchParams.set("code", code);
    res.redirect(302, redirect.toString());
  }

  async function token(req: Request, res: Response) {
    stats.tokenRequests++;
    if (req.body?.grant_type === "refresh_token") stats.refreshRequests++;
    if (held) {
      const hold = held;
      hold.arrived();
      await hold.released;
    }
    const failure = injected.shift();
    if (failure) {
      res.status(failure.status).json(failure.body);
      return;
    }
    const client = clientFrom(req);
    if (!client) {
      res.status(401).json(options.tokenError("invalid_client", "Invalid client_id or client_secret"));
      return;
    }
    const body = req.body as Record<string, string | undefined>;
    if (body.grant_type === "authorization_code") {
      const pending = codes.get(body.code ?? "");
      if (!pending || pending.used || pending.expiresAt < now() || pending.clientId !== client.clientId) {
        res.status(400).json(options.tokenError("invalid_grant", "Invalid authorization code"));
        return;
      }
      pending.used = true;
      if (pending.redirectUri !== body.redirect_uri) {
        res.status(400).json(options.tokenError("invalid_grant", "Redirect URI mismatch"));
        return;
      }
      if (pending.codeChallenge) {
        const computed = createHash("sha256")
          .update(body.code_verifier ?? "")
          .digest("base64url");
        if (computed !== pending.codeChallenge) {
          res.status(400).json(options.tokenError("invalid_grant", "Invalid code verifier"));
          return;
        }
      }
      const issued = issue(pending);
      res.json({
        access_token: issued.accessToken,
        token_type: "bearer",
        refresh_token: issued.refreshToken,
        expires_in: lifetime,
        scope: pending.scope,
      });
      return;
    }
    if (body.grant_type === "refresh_token") {
      const grant = refreshTokens.get(body.refresh_token ?? "");
      if (!grant || grant.clientId !== client.clientId) {
        res.status(400).json(options.tokenError("invalid_grant", "Invalid Token!"));
        return;
      }
      if (options.requireScopeOnRefresh && !body.scope) {
        res
          .status(400)
          .json(
            options.tokenError(
              "invalid_request",
              "The request body must contain the following parameter: 'scope'.",
            ),
          );
        return;
      }
      if (options.rotateRefreshTokens) refreshTokens.delete(body.refresh_token!);
      const issued = issue(grant, options.rotateRefreshTokens ? undefined : body.refresh_token);
      res.json({
        access_token: issued.accessToken,
        token_type: "bearer",
        expires_in: lifetime,
        scope: grant.scope,
        ...(options.rotateRefreshTokens && { refresh_token: issued.refreshToken }),
      });
      return;
    }
    res.status(400).json(options.tokenError("unsupported_grant_type", "Unsupported grant type"));
  }

  /** Revokes an access or refresh token and everything granted with it (RFC 7009). */
  function revoke(req: Request, res: Response) {
    const value = String(req.body?.token ?? req.query.token ?? "");
    const grant = accessTokens.get(value) ?? refreshTokens.get(value);
    if (!grant) {
      res.status(400).json(options.tokenError("invalid_token", "Token is invalid or already revoked"));
      return;
    }
    stats.revocations.push(grant.account.id);
    for (const [key, other] of accessTokens)
      if (other.account.id === grant.account.id && other.clientId === grant.clientId)
        accessTokens.delete(key);
    for (const [key, other] of refreshTokens)
      if (other.account.id === grant.account.id && other.clientId === grant.clientId)
        refreshTokens.delete(key);
    res.status(200).json({ status: "success" });
  }

  /** The account behind a request's bearer token, or null when the token is unknown or expired. */
  function bearer(req: Request): SandboxAccount | null {
    const header = req.header("authorization") ?? "";
    const grant = accessTokens.get(header.replace(/^Bearer\s+/i, ""));
    return grant && grant.expiresAt > now() ? grant.account : null;
  }

  return {
    form,
    authorizePage,
    authorizeDecision,
    token,
    revoke,
    bearer,
    stats,
    /** The next token request answers this instead (e.g. 503, or 400 invalid_grant). */
    failNextTokenRequest(status: number, body: Record<string, unknown>) {
      injected.push({ status, body });
    },
    /**
     * Token requests wait until `release()`; `arrived` resolves when the first one comes in, so a test
     * can look at what the client holds open while the provider is slow to answer.
     */
    holdTokenRequests() {
      let arrived!: () => void;
      let release!: () => void;
      const arrival = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      held = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      return {
        arrived: arrival,
        release() {
          held = null;
          release();
        },
      };
    },
    /** Every access token expires now, so the next API call needs a refresh. */
    expireAccessTokens() {
      for (const grant of accessTokens.values()) grant.expiresAt = 0;
    },
    /** The account's grants are voided, as when the user removes the app at the provider. */
    revokeAccount(accountId: string) {
      for (const [key, grant] of refreshTokens) if (grant.account.id === accountId) refreshTokens.delete(key);
      for (const [key, grant] of accessTokens) if (grant.account.id === accountId) accessTokens.delete(key);
    },
    hasLiveGrant(accountId: string): boolean {
      return [...refreshTokens.values()].some((grant) => grant.account.id === accountId);
    },
  };
}

export type OAuthAuthority = ReturnType<typeof createOAuthAuthority>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
