import { workspaceevents_v1 } from "@googleapis/workspaceevents";
import { ProviderUnavailableError } from "../providerFetch";
import { googleApiOptions, googleFailure } from "./googleApiOptions";

/**
 * The calls of the Google Workspace Events API v1 the agenda makes for each connected Google user:
 * subscribe to their Meet transcripts, renew before expiry, reactivate after a suspension, delete on
 * disconnect (https://developers.google.com/workspace/events/reference/rest/v1/subscriptions), through
 * Google's generated client (`@googleapis/workspaceevents`). Every function takes the API's base URL
 * (`https://workspaceevents.googleapis.com`, or the sandbox's, as the client's `rootUrl`) and the
 * user's OAuth access token (with a Meet scope such as `meetings.space.readonly`). Scheduling them is
 * the caller's: renew on `google.workspace.events.subscription.v1.expirationReminder` (sent 12 hours and
 * 1 hour before `expireTime`), reactivate on `…suspended` once the cause is fixed, create anew on
 * `…expired` (https://developers.google.com/workspace/events/guides/events-lifecycle).
 */

/** The Meet event the agenda needs: a call's transcript file is written. */
export const meetTranscriptEventType = "google.workspace.meet.transcript.v2.fileGenerated";

/** The lifecycle event types a subscription's endpoint also receives, without asking. */
export const subscriptionLifecycleEventTypes = {
  expirationReminder: "google.workspace.events.subscription.v1.expirationReminder",
  suspended: "google.workspace.events.subscription.v1.suspended",
  expired: "google.workspace.events.subscription.v1.expired",
} as const;

/** A Workspace subscription, as the API answers it. */
export interface WorkspaceSubscription {
  /** `subscriptions/{subscription}` */
  name: string;
  uid?: string;
  targetResource: string;
  eventTypes: string[];
  notificationEndpoint: { pubsubTopic: string };
  state: "STATE_UNSPECIFIED" | "ACTIVE" | "SUSPENDED" | "DELETED";
  suspensionReason?: string;
  authority?: string;
  createTime?: string;
  updateTime?: string;
  /** When Google deletes it for good unless renewed. */
  expireTime: string;
  etag?: string;
}

/** The API refused a call (a 4xx other than 429); `status` is Google's, e.g. `ALREADY_EXISTS`. */
export class WorkspaceEventsError extends Error {
  override readonly name = "WorkspaceEventsError";
  readonly httpStatus: number;
  readonly status: string;
  constructor(message: string, httpStatus: number, status: string) {
    super(message);
    this.httpStatus = httpStatus;
    this.status = status;
  }
}

interface Operation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string; status?: string };
  response?: Record<string, unknown>;
}

function eventsClient(apiBaseUrl: string, accessToken: string) {
  return new workspaceevents_v1.Workspaceevents(googleApiOptions(apiBaseUrl, accessToken, 20_000));
}

/** One call of the client; `what` (`POST /v1/subscriptions`) names it in errors. */
async function call<T>(what: string, request: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await request()).data;
  } catch (error) {
    const failure = googleFailure(error);
    if (!failure) {
      throw new ProviderUnavailableError("the Google Workspace Events API could not be reached", {
        cause: error,
      });
    }
    if (failure.status === 429 || failure.status >= 500) {
      throw new ProviderUnavailableError(`the Google Workspace Events API answered ${failure.status}`, {
        status: failure.status,
      });
    }
    throw new WorkspaceEventsError(
      `the Google Workspace Events API refused ${what}: ${failure.status} ${failure.body.error?.message ?? ""}`.trim(),
      failure.status,
      failure.body.error?.status ?? "UNKNOWN",
    );
  }
}

/**
 * Waits for a long-running operation (https://google.aip.dev/151): polls `GET /v1/{operation}` until
 * `done`, then answers its `response`, or throws its `error`.
 */
async function finish(
  events: workspaceevents_v1.Workspaceevents,
  first: Operation,
  options: { pollIntervalMs?: number; maxPolls?: number },
): Promise<Record<string, unknown>> {
  let operation = first;
  for (let poll = 0; !operation.done; poll++) {
    if (poll >= (options.maxPolls ?? 10)) {
      throw new ProviderUnavailableError(`the operation ${operation.name} did not finish in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
    const name = operation.name;
    operation = (await call(`GET /v1/${name}`, () => events.operations.get({ name }))) as Operation;
  }
  if (operation.error) {
    throw new WorkspaceEventsError(
      `the operation ${operation.name} failed: ${operation.error.message ?? ""}`.trim(),
      operation.error.code ?? 500,
      operation.error.status ?? "UNKNOWN",
    );
  }
  return operation.response ?? {};
}

function toSubscription(response: Record<string, unknown>): WorkspaceSubscription {
  const { "@type": _type, ...subscription } = response;
  return subscription as unknown as WorkspaceSubscription;
}

function checkSubscriptionName(name: string): string {
  if (!/^subscriptions\/[A-Za-z0-9_-]+$/.test(name)) throw new TypeError(`not a subscription name: ${name}`);
  return name;
}

/** Options shared by the calls that answer a long-running operation. */
export interface OperationOptions {
  /** @default 1000 */
  pollIntervalMs?: number;
  /** @default 10 */
  maxPolls?: number;
}

/**
 * Subscribes to a user's Meet transcripts: `POST /v1/subscriptions` with `targetResource`
 * `//cloudidentity.googleapis.com/users/{userId}` (every call the user takes part in; `userId` is the
 * Directory API user id, which is the OpenID `sub` of the connected account) or a Meet space
 * `//meet.googleapis.com/spaces/{space}`, `eventTypes` [{@link meetTranscriptEventType}], the Pub/Sub
 * topic whose push subscription targets our webhook, and a `ttl` (Meet allows 7 days at most).
 * Answers the subscription once the operation is done.
 *
 * @throws {WorkspaceEventsError} `ALREADY_EXISTS` (409) when this user already has one for the target.
 * @throws {ProviderUnavailableError} on a network failure, 429 or 5xx.
 */
export async function createTranscriptSubscription(
  apiBaseUrl: string,
  accessToken: string,
  input: { targetResource: string; pubsubTopic: string; ttlSeconds?: number },
  options: OperationOptions = {},
): Promise<WorkspaceSubscription> {
  const events = eventsClient(apiBaseUrl, accessToken);
  const operation = await call("POST /v1/subscriptions", () =>
    events.subscriptions.create({
      requestBody: {
        targetResource: input.targetResource,
        eventTypes: [meetTranscriptEventType],
        notificationEndpoint: { pubsubTopic: input.pubsubTopic },
        ttl: `${input.ttlSeconds ?? 7 * 86_400}s`,
      },
    }),
  );
  return toSubscription(await finish(events, operation as Operation, options));
}

/** The target resource of every Meet call a Google Workspace user takes part in. */
export function userTargetResource(userId: string): string {
  return `//cloudidentity.googleapis.com/users/${encodeURIComponent(userId)}`;
}

/**
 * Renews a subscription: `PATCH /v1/{name}?updateMask=ttl` with a new `ttl` from now
 * (https://developers.google.com/workspace/events/guides/update-subscription). Answers the subscription
 * with its new `expireTime`.
 */
export async function renewSubscription(
  apiBaseUrl: string,
  accessToken: string,
  name: string,
  input: { ttlSeconds?: number } = {},
  options: OperationOptions = {},
): Promise<WorkspaceSubscription> {
  const events = eventsClient(apiBaseUrl, accessToken);
  const operation = await call(`PATCH /v1/${checkSubscriptionName(name)}`, () =>
    events.subscriptions.patch({
      name,
      updateMask: "ttl",
      requestBody: { ttl: `${input.ttlSeconds ?? 7 * 86_400}s` },
    }),
  );
  return toSubscription(await finish(events, operation as Operation, options));
}

/**
 * Reactivates a suspended subscription once its cause is fixed: `POST /v1/{name}:reactivate`
 * (https://developers.google.com/workspace/events/guides/reactivate-subscription).
 */
export async function reactivateSubscription(
  apiBaseUrl: string,
  accessToken: string,
  name: string,
  options: OperationOptions = {},
): Promise<WorkspaceSubscription> {
  const events = eventsClient(apiBaseUrl, accessToken);
  const operation = await call(`POST /v1/${checkSubscriptionName(name)}:reactivate`, () =>
    events.subscriptions.reactivate({ name, requestBody: {} }),
  );
  return toSubscription(await finish(events, operation as Operation, options));
}

/** One subscription as it is now: `GET /v1/{name}`. */
export async function getSubscription(
  apiBaseUrl: string,
  accessToken: string,
  name: string,
): Promise<WorkspaceSubscription> {
  const events = eventsClient(apiBaseUrl, accessToken);
  return (await call(`GET /v1/${checkSubscriptionName(name)}`, () =>
    events.subscriptions.get({ name }),
  )) as WorkspaceSubscription;
}

/**
 * Deletes a subscription, e.g. when the user disconnects Google: `DELETE /v1/{name}`. A subscription
 * already gone (404, expired) counts as deleted.
 */
export async function deleteSubscription(
  apiBaseUrl: string,
  accessToken: string,
  name: string,
  options: OperationOptions = {},
): Promise<void> {
  try {
    const events = eventsClient(apiBaseUrl, accessToken);
    const operation = await call(`DELETE /v1/${checkSubscriptionName(name)}`, () =>
      events.subscriptions.delete({ name }),
    );
    await finish(events, operation as Operation, options);
  } catch (error) {
    if (error instanceof WorkspaceEventsError && error.httpStatus === 404) return;
    throw error;
  }
}
