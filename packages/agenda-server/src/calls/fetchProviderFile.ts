import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import type { OAuthProvider } from "../connections/OAuthProvider";
import { isBusyStatus, openProviderRequest, ProviderUnavailableError } from "../providers/providerFetch";
import { TranscriptFormatError } from "./callErrors";

const maxRedirects = 3;

/** One address a host name resolves to, as `dns.lookup` gives it with `all: true`. */
export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Resolves a host name to its addresses (by default the system resolver, `dns.lookup`). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

const resolveWithSystem: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

const globalUnicast = ipaddr.parseCIDR("2000::/3");

/**
 * Whether an address is on the public internet. Ranges come from ipaddr.js (private, loopback,
 * link-local, CGNAT, multicast, documentation, benchmarking, reserved…: anything but `unicast`).
 * IPv6 forms that carry an IPv4 address are unwrapped and the IPv4 address is checked: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16); other
 * IPv6 addresses must be global unicast (2000::/3).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.range() === "unicast";
  const ip = parsed as ipaddr.IPv6;
  const parts = ip.parts;
  const embedded = (high: number, low: number) =>
    isPublicAddress(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
  if (ip.isIPv4MappedAddress()) return isPublicAddress(ip.toIPv4Address().toString());
  if (parts.slice(0, 6).every((part) => part === 0)) return embedded(parts[6]!, parts[7]!);
  if (parts[0] === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((part) => part === 0)) {
    return embedded(parts[6]!, parts[7]!);
  }
  if (ip.range() === "6to4") return embedded(parts[1]!, parts[2]!);
  return ip.range() === "unicast" && ip.match(globalUnicast);
}

/** A host that resolved to an address the download may not reach; never worth retrying. */
class RefusedAddressError extends Error {
  override readonly name = "RefusedAddressError";
}

/**
 * A connection-level `lookup` (the shape `net.connect` calls) that resolves once, refuses the whole
 * host when any of its addresses is not public, and hands the checked addresses to the socket: the
 * address that was checked is the one connected to, with no second DNS lookup in between.
 */
function vettedLookup(resolve: ResolveHost, trusted: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((resolved) => {
        const wanted =
          options.family === 6 || options.family === "IPv6"
            ? 6
            : options.family === 4 || options.family === "IPv4"
              ? 4
              : 0;
        const addresses = wanted ? resolved.filter((entry) => entry.family === wanted) : resolved;
        if (addresses.length === 0)
          throw new RefusedAddressError(`${hostname} does not resolve to any address`);
        if (!trusted && !resolved.every((entry) => isPublicAddress(entry.address))) {
          throw new RefusedAddressError(`${hostname} does not resolve to a public address`);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: Error) => callback(error, []));
  };
}

/** The refusal behind a failed fetch, when the vetted lookup (or the address check) made it fail. */
function refusalIn(error: unknown): RefusedAddressError | null {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof RefusedAddressError) return cause;
  }
  return null;
}

/**
 * Downloads a file (a call transcript) with the user's token, only from the provider's own hosts:
 * redirects are followed by hand and each hop is checked, so the request cannot be sent elsewhere,
 * and the token goes only to the origin of the link itself (a redirect to another host, Zoom's file
 * storage say, is followed without it). Each hop connects through a vetted lookup: a host that
 * resolves to a private or reserved address is refused, and the socket goes to the very address that
 * was checked (unless the host configured that base URL, as the sandbox does). The body stops at
 * `maxBytes`.
 */
export async function fetchProviderFile(
  provider: OAuthProvider,
  link: string,
  options: {
    accessToken: string;
    maxBytes: number;
    /** `host:port` of the base URLs the host configured: trusted whatever they resolve to. */
    configuredHosts: ReadonlySet<string>;
    /** @default the system resolver (`dns.lookup`) */
    resolve?: ResolveHost;
    signal?: AbortSignal;
  },
): Promise<string> {
  let url = new URL(link);
  const tokenOrigin = url.origin;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (!provider.ownsFileUrl(url)) {
      throw new TranscriptFormatError(
        `the transcript link leads off ${provider.label}'s hosts (${url.host}); it was not followed`,
      );
    }
    const trusted = options.configuredHosts.has(url.host);
    // An address literal is connected to without any lookup: it is checked here instead.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal) && !trusted && !isPublicAddress(literal)) {
      throw new TranscriptFormatError(`${url.host} is not a public address; the transcript was not fetched`);
    }
    const agent = new Agent({
      connect: { lookup: vettedLookup(options.resolve ?? resolveWithSystem, trusted) },
    });
    try {
      let response: Awaited<ReturnType<typeof openProviderRequest>>;
      try {
        response = await openProviderRequest(provider.label, {
          url,
          accessToken: url.origin === tokenOrigin ? options.accessToken : null,
          headers: { accept: "*/*" },
          redirect: "manual",
          dispatcher: agent,
          timeoutMs: 60_000,
          signal: options.signal,
          purpose: "the transcript",
        });
      } catch (error) {
        const refusal = refusalIn(error);
        if (refusal) throw new TranscriptFormatError(`${refusal.message}; the transcript was not fetched`);
        throw error;
      }
      if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
        await response.body?.cancel();
        url = new URL(response.headers.get("location")!, url);
        continue;
      }
      if (isBusyStatus(response.status)) {
        await response.body?.cancel();
        throw new ProviderUnavailableError(
          `${provider.label} answered ${response.status} for the transcript`,
          {
            status: response.status,
          },
        );
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new TranscriptFormatError(
          `${provider.label} refused the transcript download (${response.status})`,
        );
      }
      return await readCapped(response.body, response.headers.get("content-length"), options.maxBytes);
    } finally {
      await agent.destroy().catch(() => {});
    }
  }
  throw new TranscriptFormatError(`the transcript link redirected more than ${maxRedirects} times`);
}

async function readCapped(
  body: AsyncIterable<Uint8Array> | null,
  contentLength: string | null,
  maxBytes: number,
): Promise<string> {
  const limit =
    maxBytes >= 1_048_576 ? `${Math.round(maxBytes / 1_048_576)} MB` : `${Math.ceil(maxBytes / 1024)} kB`;
  const tooLarge = () =>
    new TranscriptFormatError(
      `the transcript is larger than ${limit}, the most this agenda reads (its maxTranscriptBytes option)`,
    );
  const declared = Number(contentLength);
  if (contentLength !== null && Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}
