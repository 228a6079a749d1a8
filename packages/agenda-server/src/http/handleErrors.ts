import type { ErrorRequestHandler, RequestHandler } from "express";
import { AgendaError } from "../errors";

/** Any path the contract does not have. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new AgendaError("not_found", `no route ${req.method} ${req.path} in the agenda API`));
};

/**
 * Answers every error in the shared shape. An AgendaError says what to fix; anything else is ours,
 * reported to the host and answered 500 without its message or stack, which may hold internals.
 * A webhook whose bytes a host parser took is reported too: the provider only sees a 500, and only
 * the host can fix its middleware.
 */
export function handleErrors(
  onError: (error: unknown, req: Parameters<RequestHandler>[0]) => void,
): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = toAgendaError(error);
    if (!known || known.code === "raw_body_unavailable") onError(error, req);
    const answer =
      known ?? new AgendaError("internal", "something went wrong on the agenda's side; try again");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(answer.status).json(answer.toJSON());
  };
}

/** Errors from Express's own body parsers, when a host mounted them before the router. */
function toAgendaError(error: unknown): AgendaError | null {
  if (error instanceof AgendaError) return error;
  const status = (error as { status?: number; type?: string } | null)?.status;
  const type = (error as { type?: string } | null)?.type;
  if (status === 413 || type === "entity.too.large") {
    return new AgendaError("payload_too_large", "the request body is larger than the limit");
  }
  if (type === "entity.parse.failed") return new AgendaError("bad_request", "the body is not valid JSON");
  return null;
}
