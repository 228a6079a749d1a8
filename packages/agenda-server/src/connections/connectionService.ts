import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Connection, Provider } from "@crm-agenda/shared";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
import type { AgendaTables } from "../db/schema";
import { withAdvisoryLock } from "../db/withAdvisoryLock";
import { AgendaError } from "../errors";
import type { AgendaSession, Owner } from "../options";
import type { OAuthProvider } from "./OAuthProvider";
import {
  exchangeCode,
  fetchProfile,
  ProviderRequestError,
  refreshTokens,
  revokeToken,
  type TokenSet,
} from "./oauthClient";
import type { TokenCipher } from "./tokenCipher";

type ConnectionRow = AgendaTables["connections"]["$inferSelect"];

/** How long a `state` stays valid between the start of a flow and the provider's redirect back. */
const stateLifetimeMs = 10 * 60_000;
/** An access token closer than this to its expiry is refreshed before use. */
const refreshMarginMs = 5 * 60_000;

export interface ConnectionServiceOptions {
  /** The agenda's database; its pool also holds the per-connection refresh locks. */
  db: NodePgDatabase & { $client: Pool };
  tables: AgendaTables;
  cipher: TokenCipher | null;
  providers: Partial<Record<Provider, OAuthProvider>>;
  /** The router's public address, for redirect URIs. */
  publicUrl: string | null;
  /** Host page to return to after a flow when the start gave none. */
  defaultReturnTo: string;
  now: () => Date;
  reportError(error: unknown): void;
  /** Told once an account is connected or reconnected (the calendar sync starts there). */
  onConnected?(connection: Owner & { id: string; provider: Provider }): Promise<void>;
  /** Told before an account's tokens are revoked and deleted (its calendar channels stop there). */
  beforeDisconnect?(connection: Owner & { id: string; provider: Provider }): Promise<void>;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return (
    typeof cause === "object" &&
    cause !== null &&
    (cause as { code?: unknown }).code === "23505" &&
    (cause as { constraint?: unknown }).constraint === constraint
  );
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");
const aad = (id: string, field: "access" | "refresh") => `crm-agenda:connection:${id}:${field}`;
const stateAad = (stateHash: string) => `crm-agenda:oauth-state:${stateHash}`;

export function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    provider: row.provider,
    accountEmail: row.accountEmail,
    status: row.status,
    scopes: row.scopes,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    nextSyncAt: null,
    calendarId: null,
    pushCrmEvents: false,
  };
}

/**
 * Connecting, using and disconnecting each user's Zoom, Google and Microsoft accounts: the OAuth
 * authorization-code flow with PKCE and a single-use state bound to the CRM user, tokens sealed at
 * rest, one refresh at a time per connection across every server instance.
 */
export function createConnectionService(options: ConnectionServiceOptions) {
  const { db, tables, providers, now } = options;
  const { connections, oauthStates } = tables;
  const refreshing = new Map<string, Promise<string>>();

  function providerOf(id: Provider): OAuthProvider {
    const provider = providers[id];
    if (!provider)
      throw new AgendaError(
        "not_found",
        `${id} is not configured on this server; ask your administrator to add its OAuth app`,
      );
    return provider;
  }

  function cipher(): TokenCipher {
    if (!options.cipher)
      throw new AgendaError("unavailable", "connections need encryptionKeys in the agenda's options");
    return options.cipher;
  }

  function redirectUri(provider: Provider): string {
    if (!options.publicUrl)
      throw new AgendaError("unavailable", "connections need publicUrl in the agenda's options");
    return `${options.publicUrl.replace(/\/+$/, "")}/oauth/${provider}/callback`;
  }

  /**
   * A host page path, never another site: an open redirect would hand the flow to an attacker. The
   * value is first resolved as a browser would (WHATWG URL against the host's origin: dot segments,
   * percent-encoded dots, tabs, newlines and backslashes all normalised), then must keep that origin
   * and a path a browser cannot read as another host (`//…` or `/\…`). What is stored, and later
   * sent as `Location`, is the normalised path, query and fragment.
   */
  function normalizeReturnTo(returnTo: string): string | null {
    const origin = hostOrigin();
    let url: URL;
    try {
      url = new URL(returnTo, `${origin}/`);
    } catch {
      return null;
    }
    if (url.origin !== origin || url.username || url.password) return null;
    if (url.pathname.startsWith("//") || url.pathname.startsWith("/\\")) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  }

  function hostOrigin(): string {
    try {
      return new URL(options.publicUrl ?? "").origin;
    } catch {
      // Without publicUrl no flow completes (redirectUri refuses); the check still needs an origin.
      return "http://host.invalid";
    }
  }

  function safeReturnTo(returnTo: string | undefined): string {
    if (returnTo === undefined) return options.defaultReturnTo;
    const normalized = normalizeReturnTo(returnTo);
    if (normalized === null) {
      throw new AgendaError(
        "validation_failed",
        "returnTo must be a path on this site, such as /settings/agenda",
        {
          details: [{ path: "returnTo", message: "must be a path on this site, starting with a single /" }],
        },
      );
    }
    return normalized;
  }

  function withFlag(returnTo: string, flags: Record<string, string>): string {
    // A flow stored before returnTo was normalised is checked again; one that fails goes to the default.
    const url = new URL(normalizeReturnTo(returnTo) ?? options.defaultReturnTo, "http://host.invalid");
    for (const [key, value] of Object.entries(flags)) url.searchParams.set(key, value);
    return `${url.pathname}${url.search}${url.hash}`;
  }

  /** Whether another CRM user (of any tenant) holds this provider account. */
  async function heldByAnother(provider: Provider, accountId: string, owner: Owner): Promise<boolean> {
    const [holder] = await db
      .select({ tenantId: connections.tenantId, userId: connections.userId })
      .from(connections)
      .where(and(eq(connections.provider, provider), eq(connections.accountId, accountId)));
    return holder !== undefined && (holder.tenantId !== owner.tenantId || holder.userId !== owner.userId);
  }

  /** Says why, without saying who: the holder may be in another tenant. */
  function heldReason(provider: OAuthProvider): string {
    return `this ${provider.label} account is already connected to the agenda by another CRM user; each account can be connected by one user only (sign in to ${provider.label} with your own account, or ask that user to disconnect it)`;
  }

  function open(
    row: ConnectionRow,
    field: "access" | "refresh",
  ): { plaintext: string; stale: boolean } | null {
    const sealed = field === "access" ? row.accessTokenSealed : row.refreshTokenSealed;
    return sealed ? cipher().open(sealed, aad(row.id, field)) : null;
  }

  async function markNeedsReauth(id: string, message: string) {
    await db
      .update(connections)
      .set({ status: "needs_reauth", lastError: message, updatedAt: now() })
      .where(eq(connections.id, id));
  }

  const lockKey = (connectionId: string) => `crm-agenda:refresh:${connectionId}`;

  /** The row as it is now, or undefined once it is gone. */
  async function read(database: NodePgDatabase, connectionId: string): Promise<ConnectionRow | undefined> {
    const [row] = await database.select().from(connections).where(eq(connections.id, connectionId));
    return row;
  }

  /** The row, only while it holds the very sealed tokens that were read in `seen`. */
  const unchangedSince = (seen: ConnectionRow) =>
    and(
      eq(connections.id, seen.id),
      eq(connections.accessTokenSealed, seen.accessTokenSealed),
      seen.refreshTokenSealed === null
        ? isNull(connections.refreshTokenSealed)
        : eq(connections.refreshTokenSealed, seen.refreshTokenSealed),
    );

  /**
   * Writes tokens over `seen` only if the row still holds the very sealed tokens that were read, so a
   * writer that read before another one wrote can never put back an older refresh token.
   */
  async function compareAndWrite(
    database: NodePgDatabase,
    seen: ConnectionRow,
    values: { access: string; refresh: string | null } & Partial<ConnectionRow>,
  ): Promise<boolean> {
    const sealer = cipher();
    const { access, refresh, ...rest } = values;
    const written = await database
      .update(connections)
      .set({
        ...rest,
        accessTokenSealed: sealer.seal(access, aad(seen.id, "access")),
        refreshTokenSealed: refresh === null ? null : sealer.seal(refresh, aad(seen.id, "refresh")),
        updatedAt: now(),
      })
      .where(unchangedSince(seen))
      .returning({ id: connections.id });
    return written.length > 0;
  }

  /**
   * Seals a row's tokens again under the current key (lazy rotation), under the connection's lock: a
   * refresh under way holds it, so rotation waits for another use rather than racing the refresh.
   */
  async function resealUnderLock(row: ConnectionRow): Promise<void> {
    await withAdvisoryLock(db.$client, lockKey(row.id), { wait: false }, async (client) => {
      const access = open(row, "access");
      if (!access) return;
      await compareAndWrite(drizzle(client), row, {
        access: access.plaintext,
        refresh: open(row, "refresh")?.plaintext ?? null,
      });
    });
  }

  /**
   * One refresh at a time per connection across every instance: a session advisory lock on a client
   * of its own, so no transaction stays open while the provider answers. Under the lock the row is
   * read again (another instance may have refreshed meanwhile), and the new tokens are written by
   * compare-and-set on what was read.
   */
  async function refreshUnderLock(connectionId: string): Promise<string> {
    const result = await withAdvisoryLock(
      db.$client,
      lockKey(connectionId),
      { wait: true },
      async (client): Promise<{ token: string } | { reauth: string; cause?: unknown }> => {
        // Everything under the lock goes through the lock's own client: waiting for a second one from
        // a pool full of lock holders would wait forever.
        const locked = drizzle(client);
        const row = await read(locked, connectionId);
        if (!row) throw new AgendaError("not_found", "the connection was removed");
        if (row.status === "needs_reauth") {
          throw new AgendaError("forbidden", `${providerOf(row.provider).label} needs to be reconnected`);
        }
        const access = open(row, "access");
        if (
          access &&
          (!row.accessTokenExpiresAt ||
            row.accessTokenExpiresAt.getTime() - now().getTime() > refreshMarginMs)
        ) {
          return { token: access.plaintext };
        }
        // Marked only while the row holds what was read: a reconnect meanwhile brought a working grant.
        const needsReauth = async (reason: string, cause?: unknown) => {
          await locked
            .update(connections)
            .set({ status: "needs_reauth", lastError: reason, updatedAt: now() })
            .where(unchangedSince(row));
          return { reauth: reason, cause };
        };
        const refresh = open(row, "refresh");
        if (!refresh) return needsReauth("no refresh token was granted; reconnect the account");
        const provider = providerOf(row.provider);
        let tokens: TokenSet;
        try {
          tokens = await refreshTokens(provider, refresh.plaintext, now());
        } catch (error) {
          if (error instanceof ProviderRequestError && error.kind === "invalid_grant") {
            return needsReauth(error.message, error);
          }
          if (error instanceof ProviderRequestError && error.kind === "unavailable") {
            throw new AgendaError("unavailable", error.message, { cause: error });
          }
          throw error;
        }
        // The rotated refresh token goes in the same statement as the access token, so a crash cannot
        // keep the old (now void) one.
        const values = {
          access: tokens.accessToken,
          refresh: tokens.refreshToken ?? refresh.plaintext,
          accessTokenExpiresAt: tokens.expiresAt,
          ...(tokens.scopes.length > 0 && { scopes: tokens.scopes }),
          status: "active" as const,
          lastError: null,
        };
        let seen: ConnectionRow | undefined = row;
        for (let tries = 0; seen && tries < 3; tries++) {
          if (await compareAndWrite(locked, seen, values)) break;
          // Sealed again by an instance that skips the lock (an older version): the same refresh token,
          // so the new one still goes in. Another refresh token means the account was reconnected
          // meanwhile: that newer grant stays, and this access token still serves the call at hand.
          seen = await read(locked, connectionId);
          if (seen && open(seen, "refresh")?.plaintext !== refresh.plaintext) break;
        }
        return { token: tokens.accessToken };
      },
    );
    if (!result.acquired) throw new AgendaError("unavailable", "the connection's token could not be locked");
    const outcome = result.value;
    if ("token" in outcome) return outcome.token;
    throw new AgendaError("forbidden", outcome.reauth, { cause: outcome.cause });
  }

  return {
    /** The providers the host configured, for the connections panel. */
    configuredProviders(): Provider[] {
      return Object.keys(providers) as Provider[];
    },

    async list(owner: Owner): Promise<Connection[]> {
      const rows = await db
        .select()
        .from(connections)
        .where(and(eq(connections.tenantId, owner.tenantId), eq(connections.userId, owner.userId)))
        .orderBy(connections.provider);
      return rows.map(toConnection);
    },

    /** Begins a flow: stores a state bound to the user, and answers the provider's consent URL. */
    async start(session: AgendaSession, providerId: Provider, returnTo: string | undefined): Promise<string> {
      const provider = providerOf(providerId);
      const target = safeReturnTo(returnTo);
      const state = randomBytes(32).toString("base64url");
      const stateHash = sha256(state);
      const codeVerifier = randomBytes(48).toString("base64url");
      await db.insert(oauthStates).values({
        stateHash,
        tenantId: session.tenantId,
        userId: session.userId,
        provider: providerId,
        codeVerifierSealed: cipher().seal(codeVerifier, stateAad(stateHash)),
        returnTo: target,
        expiresAt: new Date(now().getTime() + stateLifetimeMs),
        createdAt: now(),
      });
      // Old, never-finished flows are cleared as new ones start.
      await db
        .delete(oauthStates)
        .where(sql`${oauthStates.expiresAt} < ${new Date(now().getTime() - stateLifetimeMs)}`);
      const url = new URL(provider.authorizeUrl);
      const params: Record<string, string> = {
        response_type: "code",
        client_id: provider.clientId,
        redirect_uri: redirectUri(providerId),
        state,
        code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
        code_challenge_method: "S256",
        ...(provider.scopes.length > 0 && { scope: provider.scopes.join(" ") }),
        ...(provider.acceptsLoginHint && session.email && { login_hint: session.email }),
        ...provider.authorizeParams,
      };
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      return url.toString();
    },

    /**
     * Ends a flow. A state that is unknown, used, expired, of another provider or of another CRM user
     * is refused with a 400 and nothing is stored; a provider-side failure returns to the host page
     * with `agendaConnection=error` and the reason.
     */
    async complete(
      session: AgendaSession | null,
      providerId: Provider,
      query: {
        code?: string | undefined;
        state?: string | undefined;
        error?: string | undefined;
        error_description?: string | undefined;
      },
    ): Promise<string> {
      const provider = providerOf(providerId);
      if (!query.state)
        throw new AgendaError(
          "bad_request",
          "the provider's answer has no state; start connecting again from the agenda",
        );
      const stateHash = sha256(query.state);
      // Deleting is what makes the state single-use, even when two callbacks race.
      const [flow] = await db.delete(oauthStates).where(eq(oauthStates.stateHash, stateHash)).returning();
      if (!flow)
        throw new AgendaError(
          "bad_request",
          "this connection link is unknown or was already used; start connecting again from the agenda",
        );
      if (flow.expiresAt.getTime() <= now().getTime()) {
        throw new AgendaError(
          "bad_request",
          "this connection link expired (they last 10 minutes); start connecting again from the agenda",
        );
      }
      if (flow.provider !== providerId)
        throw new AgendaError("bad_request", "this connection link belongs to another provider; start again");
      if (!session || session.tenantId !== flow.tenantId || session.userId !== flow.userId) {
        throw new AgendaError(
          "bad_request",
          "this connection link was started by another CRM user; sign in as that user or start again",
        );
      }
      const back = (outcome: "connected" | "denied" | "error", reason?: string) =>
        withFlag(flow.returnTo, {
          agendaConnection: outcome,
          provider: providerId,
          ...(reason && { reason }),
        });
      if (query.error === "access_denied") return back("denied", "access was not granted");
      if (query.error) return back("error", query.error_description ?? query.error);
      if (!query.code) return back("error", "the provider sent no authorization code");
      const codeVerifier = cipher().open(flow.codeVerifierSealed, stateAad(stateHash)).plaintext;
      let tokens: TokenSet;
      let profile: { accountId: string; email: string };
      try {
        tokens = await exchangeCode(
          provider,
          { code: query.code, codeVerifier, redirectUri: redirectUri(providerId) },
          now(),
        );
        profile = await fetchProfile(provider, tokens.accessToken);
      } catch (error) {
        if (!(error instanceof ProviderRequestError)) throw error;
        return back("error", error.message);
      }
      const owner = { tenantId: flow.tenantId, userId: flow.userId };
      // The tokens just granted are dropped, not revoked: revoking would end the holder's grant too.
      if (await heldByAnother(providerId, profile.accountId, owner))
        return back("error", heldReason(provider));
      const [existing] = await db
        .select()
        .from(connections)
        .where(
          and(
            eq(connections.tenantId, owner.tenantId),
            eq(connections.userId, owner.userId),
            eq(connections.provider, providerId),
          ),
        );
      const id = existing?.id ?? randomUUID();
      const sealer = cipher();
      const refresh =
        tokens.refreshToken ?? (existing ? open(existing, "refresh")?.plaintext : undefined) ?? null;
      const values = {
        accountId: profile.accountId,
        accountEmail: profile.email,
        status: "active" as const,
        scopes: tokens.scopes.length > 0 ? tokens.scopes : provider.scopes,
        accessTokenSealed: sealer.seal(tokens.accessToken, aad(id, "access")),
        refreshTokenSealed: refresh ? sealer.seal(refresh, aad(id, "refresh")) : null,
        accessTokenExpiresAt: tokens.expiresAt,
        lastError: null,
        updatedAt: now(),
      };
      try {
        if (existing) await db.update(connections).set(values).where(eq(connections.id, id));
        else
          await db
            .insert(connections)
            .values({ id, ...owner, provider: providerId, ...values, createdAt: now() });
      } catch (error) {
        // Another CRM user connected the same account between the check above and this write.
        if (isUniqueViolation(error, "connections_provider_account_key"))
          return back("error", heldReason(provider));
        throw error;
      }
      await options.onConnected?.({ id, ...owner, provider: providerId }).catch(options.reportError);
      return back("connected");
    },

    /**
     * A valid access token for a connection, refreshed ahead of expiry. Concurrent callers in this
     * process share one refresh; other processes wait on the same advisory lock and re-read.
     */
    async accessToken(connectionId: string): Promise<string> {
      const [row] = await db.select().from(connections).where(eq(connections.id, connectionId));
      if (!row) throw new AgendaError("not_found", "no such connection");
      if (row.status === "needs_reauth")
        throw new AgendaError("forbidden", `${providerOf(row.provider).label} needs to be reconnected`);
      const access = open(row, "access");
      const fresh =
        !row.accessTokenExpiresAt || row.accessTokenExpiresAt.getTime() - now().getTime() > refreshMarginMs;
      if (access && fresh) {
        // The token serves either way; rotation is tried again on a later use.
        if (access.stale) await resealUnderLock(row).catch(options.reportError);
        return access.plaintext;
      }
      let pending = refreshing.get(connectionId);
      if (!pending) {
        pending = refreshUnderLock(connectionId).finally(() => refreshing.delete(connectionId));
        refreshing.set(connectionId, pending);
      }
      return pending;
    },

    async markNeedsReauth(connectionId: string, message: string): Promise<void> {
      await markNeedsReauth(connectionId, message);
    },

    /** Revokes at the provider where it can, then deletes the connection and its tokens. */
    async disconnect(owner: Owner, connectionId: string): Promise<void> {
      const [row] = await db
        .select()
        .from(connections)
        .where(
          and(
            eq(connections.id, connectionId),
            eq(connections.tenantId, owner.tenantId),
            eq(connections.userId, owner.userId),
          ),
        );
      if (!row) throw new AgendaError("not_found", `no connection ${connectionId} among your accounts`);
      await options
        .beforeDisconnect?.({
          id: row.id,
          tenantId: row.tenantId,
          userId: row.userId,
          provider: row.provider,
        })
        .catch(options.reportError);
      const provider = providers[row.provider];
      if (provider) {
        try {
          const token =
            provider.revokeWith === "refresh"
              ? (open(row, "refresh") ?? open(row, "access"))
              : open(row, "access");
          if (token) await revokeToken(provider, token.plaintext);
        } catch (error) {
          // The user asked to disconnect: the tokens go whatever the provider says; the host is told.
          options.reportError(error);
        }
      }
      await db.delete(connections).where(eq(connections.id, row.id));
    },

    /** The connection of a provider account (a Zoom host id, say), or null when nobody connected it. */
    async findByAccount(provider: Provider, accountId: string): Promise<(Owner & { id: string }) | null> {
      const [row] = await db
        .select({ id: connections.id, tenantId: connections.tenantId, userId: connections.userId })
        .from(connections)
        .where(
          and(
            eq(connections.provider, provider),
            eq(connections.accountId, accountId),
            eq(connections.status, "active"),
          ),
        );
      return row ?? null;
    },

    /** The active connections of some providers after `after` in id order, `limit` at most: the polling fallback's pages. */
    async activeIds(providerIds: Provider[], after: string | null, limit: number): Promise<string[]> {
      if (providerIds.length === 0) return [];
      const rows = await db
        .select({ id: connections.id })
        .from(connections)
        .where(
          and(
            inArray(connections.provider, providerIds),
            eq(connections.status, "active"),
            after === null ? undefined : gt(connections.id, after),
          ),
        )
        .orderBy(connections.id)
        .limit(limit);
      return rows.map((row) => row.id);
    },

    /** A connection's provider and owner while it is active; null once it is gone or needs reconnecting. */
    async active(connectionId: string): Promise<(Owner & { id: string; provider: Provider }) | null> {
      const [row] = await db
        .select({
          id: connections.id,
          provider: connections.provider,
          tenantId: connections.tenantId,
          userId: connections.userId,
        })
        .from(connections)
        .where(and(eq(connections.id, connectionId), eq(connections.status, "active")));
      return row ?? null;
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
