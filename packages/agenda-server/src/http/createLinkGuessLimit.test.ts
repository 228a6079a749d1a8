import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { createLinkGuessLimit } from "./createLinkGuessLimit";

const request = (ip: string) => ({ ip, headers: {}, socket: {} }) as unknown as Request;
const response = { setHeader: () => {} } as unknown as Response;

/** A lookup answered when the test says so, as a database query would be. */
function pending<Found>() {
  let resolve!: (found: Found | null) => void;
  const promise = new Promise<Found | null>((done) => (resolve = done));
  return { find: () => promise, resolve };
}

describe("createLinkGuessLimit", () => {
  it("answers a hit 429 when misses running beside it spent the budget, as it would a miss", async () => {
    const limit = createLinkGuessLimit(
      { burst: 3, perMinute: 1 },
      () => new Date(0),
      () => {},
    );
    const misses = Array.from({ length: 5 }, () => pending<string>());
    const hit = pending<string>();
    const answers = [...misses, hit].map(({ find }) =>
      limit.lookup(request("203.0.113.1"), response, find).then(
        (found) => found ?? "not found",
        (error: { code: string }) => error.code,
      ),
    );
    for (const miss of misses) miss.resolve(null);
    hit.resolve("feed");
    expect(await Promise.all(answers)).toEqual([
      "not found",
      "not found",
      "not found",
      "rate_limited",
      "rate_limited",
      "rate_limited",
    ]);
  });

  it("keeps at most maxKeys addresses, and none once they have refilled", async () => {
    let at = 0;
    const limit = createLinkGuessLimit(
      { burst: 20, perMinute: 20 },
      () => new Date(at),
      () => {},
      1_000,
    );
    for (let address = 0; address < 5_000; address++) {
      await limit.lookup(request(`10.0.${address >> 8}.${address & 255}`), response, () => null);
    }
    expect(limit.size).toBe(1_000);
    at = 60_000;
    await limit.lookup(request("203.0.113.1"), response, () => null);
    expect(limit.size).toBe(1);
  });

  it("takes nothing for a lookup that finds", async () => {
    const limit = createLinkGuessLimit(
      { burst: 1, perMinute: 1 },
      () => new Date(0),
      () => {},
    );
    for (let fetch = 0; fetch < 100; fetch++) {
      expect(await limit.lookup(request("198.51.100.1"), response, () => "feed")).toBe("feed");
    }
    expect(limit.size).toBe(0);
  });

  it("tells the host once of an untrusted reverse proxy, and never of a client's own forward proxy", async () => {
    const told: unknown[] = [];
    const limit = createLinkGuessLimit(
      { burst: 20, perMinute: 20 },
      () => new Date(0),
      (error) => told.push(error),
    );
    const forwarded = (peer: string) =>
      ({
        ip: peer,
        headers: { "x-forwarded-for": "198.51.100.7" },
        socket: { remoteAddress: peer },
        app: { get: () => false },
      }) as unknown as Request;
    await limit.lookup(forwarded("203.0.113.9"), response, () => "feed");
    await limit.lookup(forwarded("::ffff:203.0.113.9"), response, () => "feed");
    expect(told).toEqual([]);
    await limit.lookup(forwarded("10.1.2.3"), response, () => "feed");
    await limit.lookup(forwarded("fd00::5"), response, () => "feed");
    expect(told).toHaveLength(1);
    expect(String(told[0])).toMatch(/requests come from 10\.1\.2\.3 with X-Forwarded-For/);
  });
});
