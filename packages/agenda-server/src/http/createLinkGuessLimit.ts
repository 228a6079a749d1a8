import { BlockList, isIPv6 } from "node:net";
import type { Request, Response } from "express";
import { clientAddress } from "./clientAddress";
import { createRateLimiter, type RateLimit } from "./createRateLimiter";

/**
 * Failed lookups allowed per client address on the routes reached by a secret in their address: 20 at
 * once, then one every 3 seconds. Nobody honest comes near: a revoked feed still polled by a calendar
 * app fails once per refresh (hours apart), a mistyped or replaced link a few times; a scan needs
 * millions of tries per hit against 128- and 256-bit secrets.
 */
export const defaultLinkGuessLimit: RateLimit = { burst: 20, perMinute: 20 };

const what = "with links that do not work from your address";

/** Where a reverse proxy or load balancer talks to the app from: loopback and private networks. */
const proxyNetworks = new BlockList();
for (const [network, prefix] of [
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  proxyNetworks.addSubnet(network, prefix, "ipv4");
}
proxyNetworks.addAddress("::1", "ipv6");
proxyNetworks.addSubnet("fc00::", 7, "ipv6");

function fromProxyNetwork(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  return ipv4 ? proxyNetworks.check(ipv4, "ipv4") : isIPv6(address) && proxyNetworks.check(address, "ipv6");
}

/**
 * One budget of failed lookups per client address, shared by every public route reached by a secret
 * (the ICS feed, booking and guests' links, reminder links): a lookup that finds nothing, or a token
 * whose signature is wrong, takes one; a lookup that finds takes nothing, so calendar apps polling
 * valid feeds from shared addresses are never limited by it. Once an address has spent its budget,
 * all of its lookups are answered 429 `rate_limited` with `Retry-After` until it refills, those of
 * valid links too: a right guess in the middle of a scan must not answer otherwise than a wrong one,
 * or the scan would go on at full speed, reading 429 as "wrong". A spent address costs no database
 * query.
 */
export function createLinkGuessLimit(
  limit: RateLimit,
  now: () => Date,
  reportError: (error: unknown) => void,
  maxKeys?: number,
) {
  const misses = createRateLimiter(limit, now, maxKeys);
  let proxyReported = false;

  function keyOf(req: Request): string {
    // Behind a proxy Express was not told to trust, every client seems to be the proxy, and one
    // scanner would spend the budget of all: say so once. Only for a peer on a private network, as
    // a reverse proxy is: a client's own forward proxy adds X-Forwarded-For too, and must not be trusted.
    if (
      !proxyReported &&
      req.headers["x-forwarded-for"] !== undefined &&
      !req.app?.get("trust proxy") &&
      fromProxyNetwork(req.socket?.remoteAddress)
    ) {
      proxyReported = true;
      reportError(
        new Error(
          `public links are limited per client address, but requests come from ${req.socket.remoteAddress} with X-Forwarded-For while Express's "trust proxy" is off, so every client behind that proxy counts as one: set app.set("trust proxy", …) to your proxies`,
        ),
      );
    }
    return clientAddress(req);
  }

  return {
    /**
     * Looks a secret up under the budget of the request's address: 429 before looking when the
     * budget is spent; `find`'s null (nothing found, or a forged token) takes one, and is answered
     * 429 rather than by the caller's not-found when it was already spent by lookups running at the
     * same time; a find is answered 429 then too.
     */
    async lookup<Found>(req: Request, res: Response, find: () => Found | null | Promise<Found | null>) {
      const key = keyOf(req);
      misses.check(key, what, res);
      const found = await find();
      if (found === null) misses.take(key, what, res);
      else misses.check(key, what, res);
      return found;
    },

    /** How many addresses have a budget in memory. */
    get size(): number {
      return misses.size;
    },
  };
}

export type LinkGuessLimit = ReturnType<typeof createLinkGuessLimit>;
