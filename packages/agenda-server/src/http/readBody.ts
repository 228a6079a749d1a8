import type { Request } from "express";
import { AgendaError } from "../errors";

/**
 * The request's raw bytes, read by the router itself so a host's body parser is not needed and a
 * webhook signature can be checked on exactly what was sent. Refuses more than `limit` bytes with 413.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (req.readableEnded || bodyWasParsed(req)) {
    throw new AgendaError(
      "internal",
      "the request body was already read by another middleware; mount the agenda router before any body parser",
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
 * The JSON body of a request. When the host mounted `express.json()` before the router, its parsed
 * result is used as it is; otherwise the bytes are read here.
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (bodyWasParsed(req)) return req.body;
  const raw = await readRawBody(req, limit);
  if (raw.length === 0) return undefined;
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
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
