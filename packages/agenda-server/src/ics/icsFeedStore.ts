import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { AgendaTables } from "../db/schema";
import type { Owner } from "../options";

/** 32 random bytes, base64url: 256 bits, 43 characters. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Each user's feed token, kept as a hash. */
export function createIcsFeedStore(db: NodePgDatabase, tables: AgendaTables, now: () => Date) {
  const { icsFeeds } = tables;
  const owned = (owner: Owner) =>
    and(eq(icsFeeds.tenantId, owner.tenantId), eq(icsFeeds.userId, owner.userId));

  return {
    hashToken,

    async status(owner: Owner): Promise<{ createdAt: Date } | null> {
      const [row] = await db.select({ createdAt: icsFeeds.createdAt }).from(icsFeeds).where(owned(owner));
      return row ?? null;
    },

    /** A new token for the owner's feed; the previous one, if any, stops working at once. */
    async create(owner: Owner): Promise<{ token: string; createdAt: Date }> {
      const token = randomBytes(32).toString("base64url");
      const at = now();
      await db
        .insert(icsFeeds)
        .values({ ...owner, tokenHash: hashToken(token), createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: [icsFeeds.tenantId, icsFeeds.userId],
          set: { tokenHash: hashToken(token), createdAt: at, updatedAt: at },
        });
      return { token, createdAt: at };
    },

    async revoke(owner: Owner): Promise<void> {
      await db.delete(icsFeeds).where(owned(owner));
    },

    /** The owner of a live token, or null for a malformed, unknown or revoked one alike. */
    async ownerOf(token: string): Promise<(Owner & { tokenHash: string }) | null> {
      if (!tokenPattern.test(token)) return null;
      const tokenHash = hashToken(token);
      const [row] = await db
        .select({ tenantId: icsFeeds.tenantId, userId: icsFeeds.userId })
        .from(icsFeeds)
        .where(eq(icsFeeds.tokenHash, tokenHash));
      return row ? { ...row, tokenHash } : null;
    },
  };
}

export type IcsFeedStore = ReturnType<typeof createIcsFeedStore>;
