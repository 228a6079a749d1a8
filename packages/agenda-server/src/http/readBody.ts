import type { IncomingMessage } from "node:http";
import type { Request } from "express";
import { AgendaError } from "../errors";

// Registered globally so two copies of this package (ESM and CJS in one host) agree on where the bytes are.
const rawBodyKey = Symbol.for("@crm-agenda/server.rawBody");

/**
 * A body parser's `verify` callback that keeps the exact bytes of every body it parses, so webhook
 * signatures can still be checked on them when the host parses bodies before the router:
 * `app.use(express.json({ verify: agenda.keepRawBody }))`, and the same for `urlencoded`, `raw`
 * and `text`. The bytes live as long as the request.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, bytes: Buffer): void {
  (req as IncomingMessage & { [rawBodyKey]?: Buffer })[rawBodyKey] = bytes;
}

function keptRawBody(req: Request): Buffer | undefined {
  return (req as Request & { [rawBodyKey]?: Buffer })[rawBodyKey];
}

/** True for `application/json` and its `+json` kinds, with or without parameters such as charset. */
export function isJsonContentType(type: string | undefined): boolean {
  return /^application\/(.+\+)?json\s*(;|$)/i.test(type ?? "");
}

/**
 * The request's raw bytes, read by the router itself so a host's body parser is not needed and a
 * webhook signature can be checked on exactly what was sent. Refuses more than `limit` bytes with 413.
 * When a host parser read them first, only the bytes it kept through {@link keepRawBody} are used:
 * never a body serialised again from the parsed object, which would not be what was signed.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (req.readableEnded || bodyWasParsed(req)) {
    const kept = keptRawBody(req);
    if (kept) {
      if (kept.length > limit) throw tooLarge(limit);
      return kept;
    }
    throw new AgendaError(
      "raw_body_unavailable",
      `a body parser of the host read this webhook's body before the agenda router, so its signature cannot be checked on the exact bytes (${req.method} ${req.originalUrl.split("?")[0]}); mount the agenda router before the body parsers, or keep the bytes with express.json({ verify: agenda.keepRawBody }) (and the same for express.urlencoded, express.raw and express.text)`,
    );
  }
  // Read with listeners rather than `for await`: the async iterator costs more than the rest of the
  // reading for a small body (measured with bench/calls, webhookThroughput.ts).
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: unknown, body?: Buffer) => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error) reject(error);
      else resolve(body!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // As body-parser's raw-body does: stop reading and answer 413; Node discards the rest.
        req.pause();
        settle(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new AgendaError("bad_request", "the request ended before its body did"));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

function tooLarge(limit: number): AgendaError {
  return new AgendaError("payload_too_large", `the request body is larger than the limit of ${limit} bytes`);
}

/**
 * Reads and drops a body the route does not use, within the limit; nothing to do when a host parser
 * already read it.
 */
export async function discardBody(req: Request, limit: number): Promise<void> {
  if (req.readableEnded || bodyWasParsed(req)) return;
  await readRawBody(req, limit);
}

/**
 * The JSON body of a request. When the host mounted `express.json()` before the router, its parsed
 * result is used as it is (the route already required a JSON Content-Type); otherwise the bytes are
 * read here.
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (bodyWasParsed(req)) return req.body;
  const raw = await readRawBody(req, limit);
  if (raw.length === 0) return undefined;
  if (!isJsonContentType(req.headers["content-type"])) {
    throw new AgendaError(
      "bad_request",
      "send the body as JSON with the header Content-Type: application/json",
    );
  }
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new AgendaError("bad_request", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A host body parser ran before the router (Express 4 marks it with `_body`, Express 5 sets `body`). */
function bodyWasParsed(req: Request): boolean {
  return (req as { _body?: boolean })._body === true || req.body !== undefined;
}
