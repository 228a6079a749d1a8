import type { Router } from "express";
import type { RouteContext } from "./http/defineRoute";

/**
 * One feature of the agenda as `createAgenda` composes it: its routes, what it runs while the agenda
 * runs, and its background work on the job queue. Each part is optional. Modules are mounted, started
 * and set to work in the order listed, and stopped in the reverse order, so a module can count on
 * those before it being started until it is stopped.
 */
export interface AgendaModule {
  /** Adds the feature's routes (the webhooks' modules come first: Express tries routes in order). */
  mount?(router: Router, context: RouteContext): void;
  /** Starts what the feature runs on every instance (listeners, timers), at `agenda.start()`. */
  start?(): Promise<void>;
  /** Starts the feature's workers and schedules, once every module started, on instances that run jobs. */
  work?(): Promise<void>;
  /**
   * Stops what `start` started, at `agenda.stop()`; called even when `start` was not, or failed part
   * way. A rejection is reported to `onError` and the next module is stopped all the same.
   */
  stop?(): Promise<void>;
}
