import type { Response } from "express";
import { describe, expect, it } from "vitest";
import { AgendaError } from "../errors";
import { createRateLimiter } from "./createRateLimiter";

/** The one part of an answer the limiter touches. */
function answer() {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (headers[name] = value) };
  return { headers, res: res as unknown as Response };
}

describe("createRateLimiter", () => {
  it("allows the burst at once, then one per refill, saying when to come back", () => {
    let at = 0;
    const limiter = createRateLimiter({ burst: 3, perMinute: 6 }, () => new Date(at));
    const { headers, res } = answer();
    for (let request = 0; request < 3; request++) limiter.take("feed", "on this feed", res);
    let refused: unknown;
    try {
      limiter.take("feed", "on this feed", res);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AgendaError);
    expect(refused).toMatchObject({
      code: "rate_limited",
      message: "too many requests on this feed; try again in 10 seconds",
      details: { retryAfterSeconds: 10 },
    });
    expect(headers["Retry-After"]).toBe("10");
    // Six a minute: one more after ten seconds, not before.
    at = 9_000;
    expect(() => limiter.take("feed", "on this feed", res)).toThrow(/try again in 1 second$/);
    at = 10_000;
    expect(() => limiter.take("feed", "on this feed", res)).not.toThrow();
  });

  it("keeps each key's bucket apart", () => {
    const limiter = createRateLimiter({ burst: 1, perMinute: 1 }, () => new Date(0));
    const { res } = answer();
    limiter.take("a", "here", res);
    expect(() => limiter.take("a", "here", res)).toThrow(AgendaError);
    expect(() => limiter.take("b", "here", res)).not.toThrow();
  });

  it("forgets the oldest keys past maxKeys, so a flood of addresses cannot grow it", () => {
    const limiter = createRateLimiter({ burst: 1, perMinute: 1 }, () => new Date(0), 2);
    const { res } = answer();
    limiter.take("first", "here", res);
    limiter.take("second", "here", res);
    limiter.take("third", "here", res);
    // "first" was dropped: it starts with a full bucket again.
    expect(() => limiter.take("first", "here", res)).not.toThrow();
    expect(() => limiter.take("third", "here", res)).toThrow(AgendaError);
  });

  it("forgets a bucket once it has refilled, so a scan from many addresses leaves nothing behind", () => {
    let at = 0;
    const limiter = createRateLimiter({ burst: 20, perMinute: 20 }, () => new Date(at));
    const { res } = answer();
    for (let address = 0; address < 10_000; address++) limiter.take(`198.51.${address}`, "here", res);
    expect(limiter.size).toBe(10_000);
    // A minute on, every bucket is full again: the next request's bucket is the only one kept.
    at = 60_000;
    limiter.take("203.0.113.1", "here", res);
    expect(limiter.size).toBe(1);
  });

  it("checks a bucket without taking from it", () => {
    const limiter = createRateLimiter({ burst: 1, perMinute: 1 }, () => new Date(0));
    const { headers, res } = answer();
    limiter.check("a", "here", res);
    limiter.check("a", "here", res);
    expect(limiter.size).toBe(0);
    limiter.take("a", "here", res);
    expect(() => limiter.check("a", "here", res)).toThrow(/try again in 60 seconds/);
    expect(headers["Retry-After"]).toBe("60");
  });

  it("refuses a limit that could never let a request through", () => {
    expect(() => createRateLimiter({ burst: 0, perMinute: 10 }, () => new Date())).toThrow(/burst >= 1/);
  });
});
