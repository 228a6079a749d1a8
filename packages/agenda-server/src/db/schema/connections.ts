import type { Provider } from "@crm-agenda/shared";
import { type PgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

/** One connected Zoom, Google or Microsoft account of one CRM user. Tokens are sealed (AES-256-GCM). */
export function createConnectionsTable(schema: PgSchema) {
  return schema.table(
    "connections",
    {
      id: uuid("id").primaryKey(),
      tenantId: text("tenant_id").notNull(),
      userId: text("user_id").notNull(),
      provider: text("provider").$type<Provider>().notNull(),
      accountId: text("account_id").notNull(),
      accountEmail: text("account_email").notNull(),
      status: text("status").$type<"active" | "needs_reauth" | "error">().notNull().default("active"),
      scopes: text("scopes").array().notNull().default([]),
      accessTokenSealed: text("access_token_sealed").notNull(),
      refreshTokenSealed: text("refresh_token_sealed"),
      accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true, mode: "date" }),
      lastSyncAt: timestamp("last_sync_at", { withTimezone: true, mode: "date" }),
      lastError: text("last_error"),
      ...timestamps,
    },
    (table) => [
      uniqueIndex("connections_owner_provider_key").on(table.tenantId, table.userId, table.provider),
      // One provider account, one owner: a login shared by two CRM users would send one user's calls
      // to the other, and Zoom's deauthorization would remove both.
      uniqueIndex("connections_provider_account_key").on(table.provider, table.accountId),
    ],
  );
}

/**
 * An OAuth flow under way: the hash of its `state` (the state itself is only in the user's browser),
 * the PKCE verifier sealed, the CRM user it is bound to, and when it stops being valid.
 */
export function createOAuthStatesTable(schema: PgSchema) {
  return schema.table("oauth_states", {
    stateHash: text("state_hash").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    provider: text("provider").$type<Provider>().notNull(),
    codeVerifierSealed: text("code_verifier_sealed").notNull(),
    returnTo: text("return_to").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  });
}
