import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { OAuthProvider } from "../connections/oauthProviders";
import { TranscriptFormatError } from "./callErrors";

/** A transcript could not be fetched now (network, 5xx, 429): worth retrying. */
export class ProviderUnavailableError extends Error {
  override readonly name = "ProviderUnavailableError";
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

const maxRedirects = 3;

/** 10/8, 172.16/12, 192.168/16, loopback, link-local, CGNAT, and their IPv6 counterparts. */
function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const lower = address.toLowerCase();
    return (
      lower === "::1" ||
      lower.startsWith("fc") ||
      lower.startsWith("fd") ||
      lower.startsWith("fe80") ||
      (lower.startsWith("::ffff:") && isPrivateAddress(lower.slice(7)))
    );
  }
  const [a, b] = address.split(".").map(Number) as [number, number];
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * Downloads a file (a call transcript) with the user's token, only from the provider's own hosts:
 * redirects are followed by hand and each hop is checked, so neither the token nor the request can be
 * sent elsewhere; a provider host that resolves to a private address is refused (unless the host
 * configured that base URL, as the sandbox does); the body stops at `maxBytes`.
 */
export async function fetchProviderFile(
  provider: OAuthProvider,
  link: string,
  options: {
    accessToken: string;
    maxBytes: number;
    configuredHosts: ReadonlySet<string>;
    signal?: AbortSignal;
  },
): Promise<string> {
  let url = new URL(link);
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (!provider.ownsFileUrl(url)) {
      throw new TranscriptFormatError(
        `the transcript link leads off ${provider.label}'s hosts (${url.host}); it was not followed`,
      );
    }
    if (!options.configuredHosts.has(url.host)) {
      const addresses = isIP(url.hostname)
        ? [{ address: url.hostname }]
        : await lookup(url.hostname, { all: true }).catch(() => []);
      if (addresses.length === 0 || addresses.some(({ address }) => isPrivateAddress(address))) {
        throw new TranscriptFormatError(
          `${url.host} does not resolve to a public address; the transcript was not fetched`,
        );
      }
    }
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${options.accessToken}` },
        redirect: "manual",
        signal: options.signal ?? AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new ProviderUnavailableError(`${provider.label} could not be reached for the transcript`, {
        cause: error,
      });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      url = new URL(response.headers.get("location")!, url);
      continue;
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ProviderUnavailableError(`${provider.label} answered ${response.status} for the transcript`, {
        status: response.status,
      });
    }
    if (!response.ok) {
      throw new TranscriptFormatError(
        `${provider.label} refused the transcript download (${response.status})`,
      );
    }
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      throw new TranscriptFormatError(
        `the transcript is larger than ${Math.round(options.maxBytes / 1_048_576)} MB`,
      );
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > options.maxBytes)
        throw new TranscriptFormatError(
          `the transcript is larger than ${Math.round(options.maxBytes / 1_048_576)} MB`,
        );
      chunks.push(chunk);
    }
    return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
  }
  throw new TranscriptFormatError(`the transcript link redirected more than ${maxRedirects} times`);
}
