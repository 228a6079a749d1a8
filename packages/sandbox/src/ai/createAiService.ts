import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { writeExtractiveSummary } from "./writeExtractiveSummary";

/**
 * A stand-in for the CRM's AI service, speaking its contract as DESIGN.md states it ("The call-summary
 * pipeline", step 5): `GET /ai/generate?q=…&session_id=…` streams server-sent events whose data is JSON
 * `{ "token": "…", "is_final": false }`, ending with one whose `is_final` is `true`; `GET /ai/health`
 * answers `{ "online": true }`; a bearer token is optional. Its answers come from
 * {@link writeExtractiveSummary}: a real extractive summary in the JSON our prompts ask for, no model.
 *
 * The test controls (`goOffline`, `dieMidStream`, `answerInvalidJson`, `answerBrokenJson`,
 * `answerOffSchema`, `respondSlowly`, `requests`) let tests play the service's failures.
 */
export interface AiServiceOptions {
  /** When set, every request must carry `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Characters per streamed token. @default 8 */
  tokenLength?: number;
}

/** A request the service received, kept for tests (in memory only, never printed). */
export interface AiServiceRequest {
  path: string;
  /** The prompt, for `/ai/generate`. */
  q: string | null;
  sessionId: string | null;
  /** The length of the request target (path and query), what the client keeps under its limit. */
  urlLength: number;
  /** What the service did: `answered`, `offline`, `died`, `invalid-json`, `broken-json`, `off-schema`, `rejected`. */
  outcome: "answered" | "offline" | "died" | "invalid-json" | "broken-json" | "off-schema" | "rejected";
}

export interface AiService {
  /** Listens on `port` (8000 by default, 0 for any free port) and resolves with the service's URL. */
  start(options?: { port?: number; host?: string }): Promise<{ url: string; stop(): Promise<void> }>;
  /**
   * `"refuse"` stops listening (clients get connection refused); `"503"` answers every request 503
   * (`/ai/health` with `{ "online": false }`).
   * @default "refuse"
   */
  goOffline(mode?: "refuse" | "503"): Promise<void>;
  /** Listens again on the same port and answers normally. */
  goOnline(): Promise<void>;
  /** The next `times` generate requests stream `afterTokens` tokens, then the connection is cut. */
  dieMidStream(afterTokens: number, times?: number): void;
  /** The next `times` generate requests answer prose with no JSON in it (a complete, final stream). */
  answerInvalidJson(times?: number): void;
  /**
   * The next `times` generate requests answer their JSON as models often break it: in a code fence, with
   * a trailing comma before the last brace.
   */
  answerBrokenJson(times?: number): void;
  /** The next `times` generate requests answer valid JSON that is not a summary (`keyPoints` a string). */
  answerOffSchema(times?: number): void;
  /** Waits `firstTokenMs` before the first event and `tokenMs` between events; `{}` for full speed. */
  respondSlowly(options: { firstTokenMs?: number; tokenMs?: number }): void;
  /** Every request received, in order. */
  readonly requests: readonly AiServiceRequest[];
  /** The generate requests received. */
  generateCount(): number;
  /** Forgets the requests and the pending failures; back online at full speed. */
  reset(): Promise<void>;
}

/** Creates the sandbox AI service; nothing listens until `start`. */
export function createAiService(options: AiServiceOptions = {}): AiService {
  const tokenLength = options.tokenLength ?? 8;
  const requests: AiServiceRequest[] = [];
  let offline: "refuse" | "503" | null = null;
  let dieQueue: number[] = [];
  let invalidJsonLeft = 0;
  let brokenJsonLeft = 0;
  let offSchemaLeft = 0;
  let delays = { firstTokenMs: 0, tokenMs: 0 };
  let listening: { port: number; host: string } | null = null;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? "/";
    const url = new URL(target, "http://sandbox");
    const record: AiServiceRequest = {
      path: url.pathname,
      q: url.searchParams.get("q"),
      sessionId: url.searchParams.get("session_id"),
      urlLength: target.length,
      outcome: "rejected",
    };
    requests.push(record);
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return sendJson(res, 401, { error: "missing or wrong bearer token" });
    }
    if (req.method !== "GET") return sendJson(res, 405, { error: "only GET is supported" });
    if (offline === "503") {
      record.outcome = "offline";
      return sendJson(res, 503, url.pathname === "/ai/health" ? { online: false } : { error: "offline" });
    }
    if (url.pathname === "/ai/health") {
      record.outcome = "answered";
      return sendJson(res, 200, { online: true });
    }
    if (url.pathname !== "/ai/generate") return sendJson(res, 404, { error: "not found" });
    if (!record.q || !record.sessionId) {
      return sendJson(res, 400, { error: "the query parameters q and session_id are required" });
    }

    const dieAfter = dieQueue.shift();
    record.outcome = "answered";
    if (dieAfter !== undefined) record.outcome = "died";
    else if (invalidJsonLeft > 0) {
      invalidJsonLeft -= 1;
      record.outcome = "invalid-json";
    } else if (brokenJsonLeft > 0) {
      brokenJsonLeft -= 1;
      record.outcome = "broken-json";
    } else if (offSchemaLeft > 0) {
      offSchemaLeft -= 1;
      record.outcome = "off-schema";
    }
    const answer = distort(writeExtractiveSummary(record.q), record.outcome);
    const tokens = Array.from(answer).reduce<string[]>((all, char, index) => {
      if (index % tokenLength === 0) all.push(char);
      else all[all.length - 1] += char;
      return all;
    }, []);

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    res.write(": sandbox AI service\n\n");
    await sleep(delays.firstTokenMs);
    for (const [index, token] of tokens.entries()) {
      if (closed) return;
      if (dieAfter !== undefined && index >= dieAfter) return cut(res);
      if (index > 0) await sleep(delays.tokenMs);
      res.write(`data: ${JSON.stringify({ token, is_final: false })}\n\n`);
    }
    if (dieAfter !== undefined) return cut(res);
    res.end(`data: ${JSON.stringify({ token: "", is_final: true })}\n\n`);
  }

  const listen = (port: number, host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const address = server.address() as AddressInfo;
        listening = { port: address.port, host };
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    requests,
    async start(startOptions = {}) {
      await listen(startOptions.port ?? 8000, startOptions.host ?? "127.0.0.1");
      const { host, port } = listening!;
      return { url: `http://${host}:${port}`, stop: close };
    },
    async goOffline(mode = "refuse") {
      offline = mode;
      if (mode === "refuse") await close();
    },
    async goOnline() {
      offline = null;
      if (!server.listening && listening) await listen(listening.port, listening.host);
    },
    dieMidStream(afterTokens, times = 1) {
      dieQueue.push(...Array.from({ length: times }, () => afterTokens));
    },
    answerInvalidJson(times = 1) {
      invalidJsonLeft += times;
    },
    answerBrokenJson(times = 1) {
      brokenJsonLeft += times;
    },
    answerOffSchema(times = 1) {
      offSchemaLeft += times;
    },
    respondSlowly(slow) {
      delays = { firstTokenMs: slow.firstTokenMs ?? 0, tokenMs: slow.tokenMs ?? 0 };
    },
    generateCount() {
      return requests.filter((request) => request.path === "/ai/generate").length;
    },
    async reset() {
      requests.length = 0;
      dieQueue = [];
      invalidJsonLeft = 0;
      brokenJsonLeft = 0;
      offSchemaLeft = 0;
      delays = { firstTokenMs: 0, tokenMs: 0 };
      if (offline) await this.goOnline();
    },
  };
}

/** The answer as a failing model would give it. */
function distort(answer: string, outcome: AiServiceRequest["outcome"]): string {
  switch (outcome) {
    case "invalid-json":
      return "Voici le résumé demandé : la réunion s'est bien passée, merci à tous.";
    case "broken-json":
      return `\`\`\`json\n${answer.replace(/\}\s*$/, ",}")}\n\`\`\``;
    case "off-schema":
      return JSON.stringify({ keyPoints: "none", decisions: [], actionItems: [] });
    default:
      return answer;
  }
}

/** Cuts the connection once what was written is on the wire: the client sees tokens, then a broken stream. */
function cut(res: ServerResponse): void {
  res.write(":\n", () => res.socket?.destroy());
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
