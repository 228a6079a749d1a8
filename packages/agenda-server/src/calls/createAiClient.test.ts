import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AiPromptTooLongError, AiResponseError, AiUnavailableError } from "./callErrors";
import { createAiClient, encodedLength } from "./createAiClient";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server on a free port, answering with `handler`; `seen` holds the request URLs. */
async function serve(handler: Handler): Promise<{ baseUrl: string; seen: { url: string; auth?: string }[] }> {
  const seen: { url: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({
      url: req.url ?? "",
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    });
    void handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function sse(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream" });
}
const event = (token: string, isFinal = false) => `data: ${JSON.stringify({ token, is_final: isFinal })}\n\n`;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("createAiClient", () => {
  it("sends the prompt as q with a fresh session_id and the bearer token, and joins the tokens", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      sse(res);
      res.end(event("Bon") + event("jour") + event("", true));
    });
    const client = createAiClient({ baseUrl: `${baseUrl}/`, token: "secret" });
    const tokens: string[] = [];
    expect(await client.generate("Résume : ça & ça?", { onToken: (token) => tokens.push(token) })).toBe(
      "Bonjour",
    );
    expect(await client.generate("Encore")).toBe("Bonjour");
    expect(tokens).toEqual(["Bon", "jour"]);
    const [first, second] = seen.map((request) => new URL(request.url, baseUrl));
    expect(first!.pathname).toBe("/ai/generate");
    expect(first!.searchParams.get("q")).toBe("Résume : ça & ça?");
    expect(first!.searchParams.get("session_id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.searchParams.get("session_id")).not.toBe(first!.searchParams.get("session_id"));
    expect(seen[0]!.auth).toBe("Bearer secret");
  });

  it("keeps a multi-byte character split across two writes whole", async () => {
    const { baseUrl } = await serve(async (_req, res) => {
      sse(res);
      const bytes = Buffer.from(event("café œuvre à Noël ") + event("", true), "utf8");
      const split = bytes.indexOf(Buffer.from("é", "utf8")) + 1; // between the two bytes of "é"
      res.write(bytes.subarray(0, split));
      await tick();
      res.write(bytes.subarray(split, split + 3));
      await tick();
      res.end(bytes.subarray(split + 3));
    });
    expect(await createAiClient({ baseUrl }).generate("q")).toBe("café œuvre à Noël ");
  });

  it("reads comments, keep-alives, CRLF, multi-line data and one event split over many writes", async () => {
    const { baseUrl } = await serve(async (_req, res) => {
      sse(res);
      res.write(": connected\r\n\r\n");
      res.write('data: {"token":\r\ndata: "a",\r\n');
      await tick();
      res.write(': a comment inside the event\ndata: "is_final": false}\r\n\r\n');
      for (const piece of ["da", 'ta: {"tok', 'en": "b", "is_fi', 'nal": true}', "\r", "\n\r\n"]) {
        res.write(piece);
        await tick();
      }
      res.end();
    });
    expect(await createAiClient({ baseUrl }).generate("q")).toBe("ab");
  });

  it("fails as unavailable when the stream ends without is_final, and never returns the partial text", async () => {
    const { baseUrl } = await serve((_req, res) => {
      sse(res);
      res.write(event("moitié"));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const error = await createAiClient({ baseUrl })
      .generate("q")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AiUnavailableError);
    expect((error as Error).message).not.toContain("moitié");

    const { baseUrl: cleanEnd } = await serve((_req, res) => {
      sse(res);
      res.end(event("moitié"));
    });
    await expect(createAiClient({ baseUrl: cleanEnd }).generate("q")).rejects.toThrow(
      new AiUnavailableError("the AI service's stream ended before its final event"),
    );
  });

  it("reads id and retry fields, and gives a broken stream's last retry as the wait before trying again", async () => {
    const { baseUrl } = await serve((req, res) => {
      sse(res);
      res.write("retry: 4500\nid: 1\n\n");
      if (req.url?.includes("whole")) res.end(`id: 2\n${event("ok", true)}`);
      else res.end(`id: 2\n${event("moitié")}`);
    });
    const client = createAiClient({ baseUrl });
    expect(await client.generate("whole")).toBe("ok");
    await expect(client.generate("cut")).rejects.toMatchObject({
      name: "AiUnavailableError",
      message: "the AI service's stream ended before its final event",
      retryAfterMs: 4_500,
    });
  });

  it("fails as unavailable on 5xx and 429 (with Retry-After), and on a refused connection", async () => {
    const { baseUrl } = await serve((req, res) => {
      const status = req.url?.includes("busy") ? 429 : 503;
      res.writeHead(status, { "retry-after": "7" });
      res.end();
    });
    const client = createAiClient({ baseUrl });
    await expect(client.generate("x")).rejects.toMatchObject({ name: "AiUnavailableError", status: 503 });
    await expect(client.generate("busy")).rejects.toMatchObject({ status: 429, retryAfterMs: 7_000 });

    const { baseUrl: closed } = await serve(() => {});
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    await expect(createAiClient({ baseUrl: closed }).generate("x")).rejects.toThrow(
      new AiUnavailableError("the AI service could not be reached"),
    );
  });

  it("fails as a response error on other 4xx and on an event that is not {token, is_final} JSON", async () => {
    const { baseUrl } = await serve((req, res) => {
      if (req.url?.includes("forbidden")) {
        res.writeHead(401).end();
        return;
      }
      sse(res);
      res.end(`${event("a")}data: not json\n\n`);
    });
    const client = createAiClient({ baseUrl });
    await expect(client.generate("forbidden")).rejects.toMatchObject({
      name: "AiResponseError",
      status: 401,
    });
    await expect(client.generate("x")).rejects.toThrow(AiResponseError);
  });

  it("times out when the service goes quiet, keep-alives counting as life", async () => {
    const { baseUrl } = await serve(async (req, res) => {
      sse(res);
      if (req.url?.includes("alive")) {
        // Twelve keep-alives 50 ms apart: the whole answer outlasts the idle timeout, no gap does,
        // with room for timers that slip on a loaded machine.
        for (let index = 0; index < 12; index += 1) {
          res.write(": keep-alive\n\n");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        res.end(event("ok", true));
      } else {
        res.write(event("a"));
      }
    });
    const client = createAiClient({ baseUrl, idleTimeoutMs: 300 });
    expect(await client.generate("alive")).toBe("ok");
    await expect(client.generate("quiet")).rejects.toThrow(
      new AiUnavailableError("the AI service sent nothing for 300 ms"),
    );
  });

  it("stops when cancelled, rejecting with the signal's reason", async () => {
    const { baseUrl } = await serve((_req, res) => {
      sse(res);
      res.write(event("a"));
    });
    const controller = new AbortController();
    const pending = createAiClient({ baseUrl }).generate("q", {
      signal: controller.signal,
      onToken: () => controller.abort(new Error("the user left")),
    });
    await expect(pending).rejects.toThrow("the user left");
  });

  it("refuses a prompt whose URL would pass the limit, sending nothing and saying nothing of the prompt", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      sse(res);
      res.end(event("", true));
    });
    const client = createAiClient({ baseUrl, maxUrlLength: 500 });
    const fitting = "é".repeat(Math.floor(client.promptBudget / 6));
    expect(encodedLength(fitting)).toBeLessThanOrEqual(client.promptBudget);
    await expect(client.generate(fitting)).resolves.toBe("");
    const error = await client.generate(`${fitting}é secret`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AiPromptTooLongError);
    expect((error as Error).message).not.toContain("secret");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.length + baseUrl.length).toBeLessThanOrEqual(500);
  });

  it("reports health from { online }, false when down", async () => {
    const { baseUrl } = await serve((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ online: req.url === "/ai/health" }));
    });
    expect(await createAiClient({ baseUrl }).health()).toBe(true);
    expect(await createAiClient({ baseUrl: `${baseUrl}/elsewhere` }).health()).toBe(false);
    expect(await createAiClient({ baseUrl: "http://127.0.0.1:1" }).health()).toBe(false);
  });
});

describe("encodedLength", () => {
  it("is the length URLSearchParams gives a text, and adds up over pieces", () => {
    const text = "Marie : « ça marche » & 100 % œuvre + 😀";
    expect(encodedLength(text)).toBe(new URLSearchParams({ q: text }).toString().length - 2);
    expect(encodedLength("Marie : « ça") + encodedLength(" marche » & 100 % œuvre + 😀")).toBe(
      encodedLength(text),
    );
  });
});
