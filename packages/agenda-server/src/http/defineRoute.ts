import { contract, type RouteName } from "@crm-agenda/shared";
import type { NextFunction, Request, Response, Router } from "express";
import type { z } from "zod";
import { AgendaError } from "../errors";
import type { AgendaSession } from "../options";
import type { OriginCheck } from "./createOriginCheck";
import { readJsonBody } from "./readBody";
import { validate } from "./validate";

type Route<N extends RouteName> = (typeof contract)[N];
type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler receives: the contract's inputs already validated, and the signed-in user. */
export interface RouteInput<N extends RouteName> {
  req: Request;
  res: Response;
  session: Route<N> extends { public: true } ? AgendaSession | null : AgendaSession;
  params: Parsed<Route<N> extends { params: infer P } ? P : undefined>;
  query: Parsed<Route<N> extends { query: infer Q } ? Q : undefined>;
  body: Parsed<Route<N> extends { body: infer B } ? B : undefined>;
}

/** A handler's answer: a status and a JSON body, or nothing when it wrote the response itself. */
export type RouteResult = { status: number; body?: unknown } | undefined;

export interface RouteContext {
  authenticate(req: Request): Promise<AgendaSession | null>;
  /** Refuses a state-changing request that is not same-origin JSON (see createOriginCheck). */
  checkOrigin: OriginCheck;
  bodyLimitBytes: number;
}

/**
 * Mounts one route of the shared contract: refuses a state-changing request that may be forged by
 * another site, validates path, query and body with the contract's own schemas, requires a session
 * unless the route is public, and hands errors to the router's handler (Express 4 does not catch a
 * rejected promise by itself). Webhooks (the routes reading raw bytes) prove themselves by their
 * signature or token instead, and reminder links by the signed token in their path: the host's
 * `auth` is not asked, so a failing session store cannot make a provider's deliveries fail.
 */
export function defineRoute<N extends RouteName>(
  router: Router,
  context: RouteContext,
  name: N,
  handler: (input: RouteInput<N>) => Promise<RouteResult>,
): void {
  const route = contract[name] as Route<N> & {
    params?: z.ZodType;
    query?: z.ZodType;
    body?: z.ZodType;
    public?: boolean;
    rawBody?: unknown;
    tokenInPath?: true;
  };
  // Webhooks and signed links prove themselves; neither carries the host's session.
  const selfProved = route.rawBody !== undefined || route.tokenInPath === true;
  const changesState = route.method !== "get";
  router[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (changesState && !selfProved) context.checkOrigin(req);
      const session = selfProved ? null : await context.authenticate(req);
      if (!session && !route.public) {
        throw new AgendaError("unauthorized", "sign in to use the agenda");
      }
      const params = route.params ? validate(route.params, req.params, "path") : undefined;
      const query = route.query ? validate(route.query, req.query, "query") : undefined;
      const body = route.body
        ? validate(route.body, await readJsonBody(req, context.bodyLimitBytes), "body")
        : undefined;
      const result = await handler({ req, res, session, params, query, body } as RouteInput<N>);
      if (result === undefined || res.headersSent) return;
      res.status(result.status);
      if (result.body === undefined) res.end();
      else if (changesState) {
        // A write's answer is never cached: sent as is, without the ETag hash Express would compute.
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(JSON.stringify(result.body));
      } else res.json(result.body);
    } catch (error) {
      next(error);
    }
  });
}
