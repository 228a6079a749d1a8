import { isIPv6 } from "node:net";
import type { Request } from "express";

/**
 * Who a public request is counted against: `req.ip` (so the host's Express `trust proxy` decides
 * whether a proxy's `X-Forwarded-For` is believed), an IPv4 address as itself and an IPv6 address as
 * its /64 network, since one subscriber is given a whole /64 and could otherwise take a fresh address
 * for every request.
 */
export function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split("%")[0]!;
  if (!isIPv6(bare)) return address;
  const [head = "", tail] = bare.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An IPv4 tail (`::ffff:…`, `64:ff9b::…`) stands for two groups.
  const rightGroups = right.length + (right.at(-1)?.includes(".") ? 1 : 0);
  const groups = [...left, ...Array<string>(8 - left.length - rightGroups).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
