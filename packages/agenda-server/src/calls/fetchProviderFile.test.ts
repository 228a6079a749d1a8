import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuthProvider } from "../connections/OAuthProvider";
import { createOAuthProviders } from "../providers/oauthProviders";
import { ProviderUnavailableError } from "../providers/providerFetch";
import { TranscriptFormatError } from "./callErrors";
import { fetchProviderFile, isPublicAddress, type ResolveHost } from "./fetchProviderFile";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "192.0.2.10",
    "198.18.0.1",
    "240.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::10.0.0.1",
    "64:ff9b:1::a00:1",
    "2002:7f00:1::1",
    "2002:a9fe:a9fe::",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "170.114.52.2",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("accepts %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("Google's transcript hosts", () => {
  const google = createOAuthProviders({ google: { clientId: "id", clientSecret: "secret" } }).google!;

  it.each([
    "https://meet.googleapis.com/v2/conferenceRecords/abc/transcripts/def/entries",
    "https://docs.google.com/document/d/1kuceFZohVoCh6FulBHxwy6I15Ogpc4hP/export?format=txt",
    "https://docs.googleapis.com/v1/documents/1kuceFZohVoCh6FulBHxwy6I15Ogpc4hP",
  ])("may read %s", (link) => {
    expect(google.ownsFileUrl(new URL(link))).toBe(true);
  });

  it.each([
    "https://storage.googleapis.com/attacker-bucket/transcript.vtt",
    "https://www.googleapis.com/upload/drive/v3/files",
    "https://attacker.googleapis.com.evil.example/x",
    "http://meet.googleapis.com/v2/conferenceRecords/abc",
    "https://sites.google.com/view/attacker",
  ])("may not read %s", (link) => {
    expect(google.ownsFileUrl(new URL(link))).toBe(false);
  });
});

describe("fetchProviderFile", () => {
  const seen: { server: "a" | "b"; path: string; headers: IncomingHttpHeaders }[] = [];
  let a: Server;
  let b: Server;
  let portA: number;
  let portB: number;

  function serve(name: "a" | "b") {
    return createServer((req, res) => {
      seen.push({ server: name, path: req.url ?? "", headers: req.headers });
      if (req.url === "/off-host") {
        res.writeHead(302, { location: `http://files.attacker.test:${portB}/steal` });
        res.end();
      } else if (req.url?.startsWith("/loop/")) {
        const hop = Number(req.url.slice("/loop/".length));
        res.writeHead(302, { location: `/loop/${hop + 1}` });
        res.end();
      } else if (req.url === "/large") {
        res.setHeader("content-length", "2048");
        res.end("x".repeat(2048));
      } else if (req.url === "/large-chunked") {
        // No length declared: the cap must stop the body as it grows.
        res.write("x".repeat(1500));
        res.end("x".repeat(1500));
      } else if (req.url === "/exact") {
        res.end("y".repeat(1024));
      } else if (req.url === "/busy") {
        res.writeHead(503, { "retry-after": "30" });
        res.end("try later");
      } else if (req.url === "/throttled") {
        res.writeHead(429);
        res.end();
      } else if (req.url === "/forbidden") {
        res.writeHead(403);
        res.end();
      } else if (req.url === "/to-b") {
        res.writeHead(302, { location: `http://files-b.zoom.test:${portB}/transcript.vtt` });
        res.end();
      } else if (req.url === "/to-same-host") {
        res.writeHead(302, { location: "/transcript.vtt" });
        res.end();
      } else {
        res.setHeader("content-type", "text/vtt");
        res.end(`WEBVTT\n\nfrom ${name}\n`);
      }
    });
  }

  beforeAll(async () => {
    a = serve("a");
    b = serve("b");
    await new Promise<void>((resolve) => a.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => b.listen(0, "127.0.0.1", resolve));
    portA = (a.address() as AddressInfo).port;
    portB = (b.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => a.close(resolve));
    await new Promise((resolve) => b.close(resolve));
  });

  // Zoom's own rule for file links, but over the test's names: *.zoom.test stands for *.zoom.us.
  const zoom: OAuthProvider = {
    ...createOAuthProviders({ zoom: { clientId: "id", clientSecret: "secret" } }).zoom!,
    ownsFileUrl: (url) => url.hostname.endsWith(".zoom.test") || url.hostname === "127.0.0.1",
  };
  const toLoopback: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
  const download = (
    link: string,
    options: { configured?: string[]; resolve?: ResolveHost; maxBytes?: number } = {},
  ) =>
    fetchProviderFile(zoom, link, {
      accessToken: "zoom-access-token",
      maxBytes: options.maxBytes ?? 1_000_000,
      configuredHosts: new Set(options.configured ?? []),
      resolve: options.resolve ?? toLoopback,
    });

  it("refuses a provider host that resolves to a private address, and sends it nothing", async () => {
    seen.length = 0;
    const refused = download(`http://files.zoom.test:${portA}/transcript.vtt`);
    await expect(refused).rejects.toThrow(TranscriptFormatError);
    await expect(refused).rejects.toThrow(/files\.zoom\.test does not resolve to a public address/);
    expect(seen).toEqual([]);
  });

  it("refuses a host when one of its addresses is private, even if another is public", async () => {
    seen.length = 0;
    const mixed: ResolveHost = async () => [
      { address: "8.8.8.8", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    await expect(
      download(`http://files.zoom.test:${portA}/transcript.vtt`, { resolve: mixed }),
    ).rejects.toThrow(/does not resolve to a public address/);
    expect(seen).toEqual([]);
  });

  it("refuses an address literal in a private range, which no lookup would see", async () => {
    seen.length = 0;
    await expect(download(`http://127.0.0.1:${portA}/transcript.vtt`)).rejects.toThrow(
      /127\.0\.0\.1:\d+ is not a public address/,
    );
    expect(seen).toEqual([]);
  });

  it("connects to the address it resolved and checked, without a second lookup", async () => {
    seen.length = 0;
    const lookups: string[] = [];
    // A name that answers the loopback once, then an unreachable address: a second lookup would fail.
    const rebinding: ResolveHost = async (hostname) => {
      lookups.push(hostname);
      return [{ address: lookups.length === 1 ? "127.0.0.1" : "192.0.2.1", family: 4 }];
    };
    const text = await download(`http://files.zoom.test:${portA}/transcript.vtt`, {
      configured: [`files.zoom.test:${portA}`],
      resolve: rebinding,
    });
    expect(text).toBe("WEBVTT\n\nfrom a\n");
    expect(lookups).toEqual(["files.zoom.test"]);
  });

  it("sends the token to the link's own host only: a redirect to another host goes without it", async () => {
    seen.length = 0;
    const text = await download(`http://files.zoom.test:${portA}/to-b`, {
      configured: [`files.zoom.test:${portA}`, `files-b.zoom.test:${portB}`],
    });
    expect(text).toBe("WEBVTT\n\nfrom b\n");
    expect(seen.map(({ server, path, headers }) => [server, path, headers.authorization])).toEqual([
      ["a", "/to-b", "Bearer zoom-access-token"],
      ["b", "/transcript.vtt", undefined],
    ]);
  });

  it("keeps the token on a redirect within the same host", async () => {
    seen.length = 0;
    await download(`http://files.zoom.test:${portA}/to-same-host`, {
      configured: [`files.zoom.test:${portA}`],
    });
    expect(seen.map(({ path, headers }) => [path, headers.authorization])).toEqual([
      ["/to-same-host", "Bearer zoom-access-token"],
      ["/transcript.vtt", "Bearer zoom-access-token"],
    ]);
  });

  it("refuses a link off the provider's hosts, and sends that host nothing", async () => {
    seen.length = 0;
    const refused = download(`http://files.attacker.test:${portB}/transcript.vtt`, {
      configured: [`files.attacker.test:${portB}`],
    });
    await expect(refused).rejects.toThrow(TranscriptFormatError);
    await expect(refused).rejects.toThrow(
      /the transcript link leads off Zoom's hosts \(files\.attacker\.test:\d+\); it was not followed/,
    );
    expect(seen).toEqual([]);
  });

  it("refuses a redirect off the provider's hosts, and sends that host nothing", async () => {
    seen.length = 0;
    await expect(
      download(`http://files.zoom.test:${portA}/off-host`, {
        configured: [`files.zoom.test:${portA}`, `files.attacker.test:${portB}`],
      }),
    ).rejects.toThrow(/leads off Zoom's hosts \(files\.attacker\.test/);
    expect(seen.map(({ server, path }) => [server, path])).toEqual([["a", "/off-host"]]);
  });

  it("follows three redirects and refuses a fourth", async () => {
    seen.length = 0;
    await expect(
      download(`http://files.zoom.test:${portA}/loop/0`, { configured: [`files.zoom.test:${portA}`] }),
    ).rejects.toThrow(/redirected more than 3 times/);
    expect(seen.map(({ path }) => path)).toEqual(["/loop/0", "/loop/1", "/loop/2", "/loop/3"]);
  });

  it("refuses a body over maxBytes, declared or not, and keeps one at the limit whole", async () => {
    const options = { configured: [`files.zoom.test:${portA}`], maxBytes: 1024 };
    await expect(download(`http://files.zoom.test:${portA}/large`, options)).rejects.toThrow(
      /the transcript is larger than 1 kB, the most this agenda reads \(its maxTranscriptBytes option\)/,
    );
    await expect(download(`http://files.zoom.test:${portA}/large-chunked`, options)).rejects.toThrow(
      TranscriptFormatError,
    );
    expect(await download(`http://files.zoom.test:${portA}/exact`, options)).toBe("y".repeat(1024));
  });

  it("gives a busy provider's answer as retryable and a refusal as final, saying which", async () => {
    const options = { configured: [`files.zoom.test:${portA}`] };
    for (const busy of ["/busy", "/throttled"]) {
      const answer = download(`http://files.zoom.test:${portA}${busy}`, options);
      await expect(answer).rejects.toThrow(ProviderUnavailableError);
      await expect(answer).rejects.toThrow(/Zoom answered (503|429) for the transcript/);
    }
    const refused = download(`http://files.zoom.test:${portA}/forbidden`, options);
    await expect(refused).rejects.toThrow(TranscriptFormatError);
    await expect(refused).rejects.toThrow(/Zoom refused the transcript download \(403\)/);
  });
});

describe("Zoom's transcript hosts", () => {
  const zoom = createOAuthProviders({ zoom: { clientId: "id", clientSecret: "secret" } }).zoom!;

  it.each([
    "https://zoom.us/rec/download/abc",
    "https://us06web.zoom.us/rec/webhook_download/abc/def",
    "https://file.zoom.us/file/abc",
  ])("may read %s", (link) => {
    expect(zoom.ownsFileUrl(new URL(link))).toBe(true);
  });

  it.each([
    "http://zoom.us/rec/download/abc",
    "https://zoom.us.evil.example/rec/download/abc",
    "https://evilzoom.us/rec/download/abc",
    "https://zoom.us@evil.example/rec/download/abc",
    "https://evil.example/zoom.us/rec",
  ])("may not read %s", (link) => {
    expect(zoom.ownsFileUrl(new URL(link))).toBe(false);
  });

  it("reads only the configured origin when a base URL is set, as with the sandbox", () => {
    const configured = createOAuthProviders({
      zoom: { clientId: "id", clientSecret: "secret", baseUrl: "http://127.0.0.1:4010" },
    }).zoom!;
    expect(configured.ownsFileUrl(new URL("http://127.0.0.1:4010/rec/download/abc"))).toBe(true);
    expect(configured.ownsFileUrl(new URL("http://127.0.0.1:4011/rec/download/abc"))).toBe(false);
    expect(configured.ownsFileUrl(new URL("https://zoom.us/rec/download/abc"))).toBe(false);
  });
});
