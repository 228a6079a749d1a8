import type { Response } from "express";
import { AgendaError } from "../errors";

/** One token bucket's size: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  /** Requests allowed at once before waiting. */
  burst: number;
  /** Requests allowed per minute once the burst is spent. */
  perMinute: number;
}

/**
 * Token buckets kept in this process, one per key (an IP address, a booking link, a calendar feed). A
 * host running several instances gets each instance's allowance; that is enough to stop a script
 * walking a link's slots, flooding its bookings or hammering a feed, which is what these limits are for.
 * Memory stays bounded under a flood of keys: a bucket refilled to full is forgotten (it would start
 * full anyway), and past `maxKeys` the least recently used is dropped (it starts full again).
 */
export function createRateLimiter(limit: RateLimit, now: () => Date, maxKeys = 50_000) {
  if (!(limit.burst >= 1) || !(limit.perMinute > 0)) {
    throw new Error("createAgenda: a rate limit needs burst >= 1 and perMinute > 0");
  }
  // In order of last use, so the idlest keys are first.
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limit.perMinute / 60_000;

  const tokensOf = (key: string, at: number): number => {
    const bucket = buckets.get(key);
    return bucket ? Math.min(limit.burst, bucket.tokens + Math.max(0, at - bucket.at) * perMs) : limit.burst;
  };

  function refuse(tokens: number, what: string, res: Response): never {
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    res.setHeader("Retry-After", String(retryAfterSeconds));
    throw new AgendaError(
      "rate_limited",
      `too many requests ${what}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`,
      { details: { retryAfterSeconds } },
    );
  }

  /** Drops the least recently used buckets that are full again: they are the same as no bucket. */
  function forgetIdle(at: number): void {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (at - bucket.at) * perMs < limit.burst) return;
      buckets.delete(key);
    }
  }

  return {
    /**
     * Takes one request from `key`'s bucket, or throws 429 `rate_limited` with the seconds to wait in
     * `details.retryAfterSeconds`, also set as the answer's `Retry-After`.
     */
    take(key: string, what: string, res: Response): void {
      const at = now().getTime();
      const tokens = tokensOf(key, at);
      if (tokens < 1) refuse(tokens, what, res);
      forgetIdle(at);
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - 1, at });
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
    },

    /** Throws as {@link take} would when `key`'s bucket is empty, taking nothing when it is not. */
    check(key: string, what: string, res: Response): void {
      const tokens = tokensOf(key, now().getTime());
      if (tokens < 1) refuse(tokens, what, res);
    },

    /** How many keys have a bucket in memory. */
    get size(): number {
      return buckets.size;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
