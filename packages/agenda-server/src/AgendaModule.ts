import type { Router } from "express";
import type { RouteContext } from "./http/defineRoute";

/**
 * One feature of the agenda as `createAgenda` composes it: its routes, and its background work on the
 * job queue. Each part is optional; modules are mounted and set to work in the order listed.
 */
export interface AgendaModule {
  /** Adds the feature's routes (the webhooks' modules come first: Express tries routes in order). */
  mount?(router: Router, context: RouteContext): void;
  /** Starts the feature's workers and schedules, once the queue runs, on instances that run jobs. */
  work?(): Promise<void>;
  /** Starts what the feature runs on every instance (listeners, timers), once migrations are applied. */
  start?(): Promise<void>;
  /** Stops it; never rejects. */
  stop?(): Promise<void>;
}
