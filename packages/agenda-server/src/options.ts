import type { CalendarEvent, CallSummary, CrmClient } from "@crm-agenda/shared";
import type { Request } from "express";
import type { Pool } from "pg";

/** Who is signed in, as the host's session says. */
export interface AgendaSession {
  userId: string;
  tenantId: string;
  email: string;
}

/** Whose agenda a read or write is about: every row the agenda keeps belongs to one user of one tenant. */
export type Owner = Pick<AgendaSession, "tenantId" | "userId">;

/** The host's own CRM clients, reached only through these three calls. */
export interface ClientDirectory {
  /** Clients having any of these e-mail addresses (compared case-insensitively). */
  findByEmails(tenantId: string, emails: string[]): Promise<CrmClient[]>;
  /** Clients matching a free-text query, for the correction picker. */
  search(tenantId: string, query: string): Promise<CrmClient[]>;
  /** One client, or null when the tenant has no such client. */
  get(tenantId: string, clientId: string): Promise<CrmClient | null>;
}

/** Who a hook is about. */
export interface HookSubject {
  tenantId: string;
  userId: string;
  eventId: string;
  /** The matched CRM client, if any. */
  clientId: string | null;
  /** True when the summary was written again (on demand, or after a retry) and told before. */
  regenerated: boolean;
  /**
   * The same on every call telling this hook of this summary. Delivery is at least once: a hook that
   * throws is called again with backoff, and a process dying between the hook's return and the
   * agenda's record of it calls it again; the host can keep the ids it handled to ignore a repeat.
   */
  notificationId: string;
}

/** A reminder due: what `hooks.onReminder` receives, to send to the client in the host's own way. */
export interface Reminder {
  /** The same for every call about this reminder: a host may use it to send it only once. */
  reminderId: string;
  tenantId: string;
  /** The user whose agenda holds the event. */
  userId: string;
  /** The event as it is now, its start being the one this reminder is about. */
  event: CalendarEvent;
  /** The event's matched CRM client, as the host's `clients.get` gives it. */
  client: CrmClient;
  /** Minutes before the event's start this reminder is for, one of `reminders.offsetsMinutes`. */
  offset: number;
  /**
   * Signed links (no login) the client opens to confirm or cancel; each shows a page with one button,
   * so a mail scanner opening it changes nothing. Valid until the event ends, for this start only.
   */
  confirmUrl: string;
  cancelUrl: string;
}

/** When reminders are sent (`createAgenda({ reminders })`). */
export interface ReminderOptions {
  /**
   * Minutes before an event's start at which `hooks.onReminder` is called, for events that have a
   * CRM client. An offset already past when the event is made (or moved, or given its client) is
   * skipped, and so is a reminder found more than a quarter of its offset late (after downtime).
   * @default [1440, 60]
   */
  offsetsMinutes?: number[];
}

/**
 * What the agenda tells the host; each hook is awaited, and its failure is reported, not thrown back.
 * The summary hooks are told through an outbox written with the summary: at least once (see
 * `notificationId`), retried with backoff while they throw (the `jobs` retries), then recorded as
 * failed and reported to `onError`; a newer summary of the event replaces an older one not yet told.
 */
export interface AgendaHooks {
  /** A call summary is ready: once per summary (the latest, when a newer one came before it was told), e.g. to notify the user or log a CRM activity. */
  onSummaryReady?(subject: HookSubject & { summary: CallSummary }): void | Promise<void>;
  /** The summary has action items: once per summary, e.g. to create CRM tasks. */
  onActionItems?(subject: HookSubject & { actionItems: CallSummary["actionItems"] }): void | Promise<void>;
  /** An event of the agenda was created, changed or deleted. */
  onEventChanged?(change: {
    type: "created" | "updated" | "deleted";
    tenantId: string;
    userId: string;
    eventId: string;
  }): void | Promise<void>;
  /**
   * A reminder of an event with a client is due (see `reminders`): called once per event, offset and
   * start, even with several instances; a moved event is reminded of its new time only, a deleted one
   * or one the client cancelled not at all. When it throws, it is reported and called again later (with
   * the job's retries). A worker dying during the call is the one case it may be called twice for a
   * reminder: `reminderId` tells the repeat. Requires `encryptionKeys` and `publicUrl` (for the links).
   */
  onReminder?(reminder: Reminder): void | Promise<void>;
}

/** Limits on `GET /events/:id/summary/stream`, which holds a connection open while a summary is written. */
export interface SummaryStreamOptions {
  /**
   * Streams one signed-in user may hold open at once on this agenda instance; one more is answered
   * 429 `rate_limited`.
   * @default 10
   */
  maxPerUser?: number;
  /**
   * Streams open at once on this agenda instance (so in this process, with one agenda per process);
   * one more is answered 429 `rate_limited`.
   * @default 1_000
   */
  maxOpen?: number;
  /**
   * A stream open this long is ended cleanly; `useSummaryStream` opens it again, so no stream holds a
   * connection (and a slot of the limits above) for ever.
   * @default 600
   */
  maxLifetimeSeconds?: number;
}

/** Limits of `GET /events/stream`, the live agenda, and how far back a reconnecting agenda is replayed. */
export interface EventStreamOptions {
  /**
   * Streams one signed-in user may hold open at once on this agenda instance (one per open agenda
   * tab); one more is answered 429 `rate_limited`.
   * @default 10
   */
  maxPerUser?: number;
  /**
   * Streams open at once on this agenda instance; one more is answered 429 `rate_limited`.
   * @default 1_000
   */
  maxOpen?: number;
  /**
   * A stream open this long is ended cleanly and the agenda reconnects with `Last-Event-ID`, so no
   * stream holds a connection (and a slot) for ever.
   * @default 600
   */
  maxLifetimeSeconds?: number;
  /**
   * Changes are kept this long: an agenda reconnecting within it is sent what it missed, one coming
   * back later is told to read everything again (`reset`).
   * @default 10
   */
  replayMinutes?: number;
}

/** The host's calendar sync settings (`createAgenda({ calendarSync })`). */
export interface CalendarSyncOptions {
  /**
   * The polling fallback: each connection is synced at least this often, whether or not a push
   * notification came.
   * @default 15
   */
  pollIntervalMinutes?: number;
  /** How far back and ahead a full sync reaches. @default { pastDays: 90, futureDays: 365 } */
  window?: { pastDays?: number; futureDays?: number };
  /**
   * Push notifications (Google channels, Graph subscriptions) to `${publicUrl}/webhooks/…`. Turn off
   * when the providers cannot reach the server; polling alone then keeps the agenda in step.
   * @default true
   */
  push?: boolean;
  /**
   * Whether a calendar's events stay in the agenda after its account is disconnected. Connecting the
   * same calendar again takes them back (no copies).
   * @default false
   */
  keepEventsOnDisconnect?: boolean;
}

/** A key for tokens at rest: 32 bytes, given as base64, under an id that is stored beside each ciphertext. */
export interface EncryptionKey {
  id: string;
  /** 32 random bytes, base64-encoded (`openssl rand -base64 32`). */
  key: string;
}

export interface JobPolicy {
  /** Attempts after the first. @default 10 */
  retryLimit: number;
  /** Seconds before the first retry, doubling each time. @default 5 */
  retryDelaySeconds: number;
  /** A job running longer is taken as lost (its worker died) and retried. @default 900 */
  timeoutSeconds: number;
  /**
   * How often lost jobs are looked for and old ones cleared, and webhook deliveries' jobs left unqueued
   * by an instance that stopped are queued. @default 60
   */
  maintenanceIntervalSeconds: number;
  /**
   * Per-connection polls (calls, calendar syncs) each worker instance runs at once, per kind. A
   * running one holds up to two of the pool's connections, so it is lowered to `(pool max - 2) / 2`
   * when the pool is smaller than that needs.
   * @default 3
   */
  pollConcurrency: number;
}

/** A Zoom user-managed OAuth app. */
export interface ZoomProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The app's webhook "Secret Token", for x-zm-signature and URL validation. */
  webhookSecretToken?: string;
  /** One base URL for both of Zoom's hosts (tests and the demo point it at the sandbox). */
  baseUrl?: string;
  /** @default "https://zoom.us" */
  oauthBaseUrl?: string;
  /** @default "https://api.zoom.us" */
  apiBaseUrl?: string;
}

/** A Google Cloud OAuth client of type "Web application". */
export interface GoogleProviderOptions {
  clientId: string;
  clientSecret: string;
  /**
   * Where Google Workspace Events about Meet transcripts are published and how their Pub/Sub push
   * to `<publicUrl>/webhooks/google/events` is checked. Without it, Meet calls are found by polling.
   */
  pubsub?: {
    /** `projects/{project}/topics/{topic}` that the Workspace Events service may publish to. */
    topic: string;
    /** The push subscription's service account, the `email` of its OIDC token. */
    serviceAccountEmail: string;
    /** The push subscription's audience. @default `${publicUrl}/webhooks/google/events` */
    audience?: string;
    /** Google's token keys. @default "https://www.googleapis.com/oauth2/v3/certs" (under baseUrl when set) */
    certsUrl?: string;
  };
  /** One base URL for every Google host (tests and the demo point it at the sandbox). */
  baseUrl?: string;
}

/** A Microsoft Entra app registration. */
export interface MicrosoftProviderOptions {
  clientId: string;
  clientSecret: string;
  /** @default "common" (work, school and personal accounts) */
  tenant?: string;
  /** One base URL for the login and Graph hosts (tests and the demo point it at the sandbox). */
  baseUrl?: string;
}

/** The OAuth apps of the providers the host configured. */
export interface ProvidersOptions {
  zoom?: ZoomProviderOptions;
  google?: GoogleProviderOptions;
  microsoft?: MicrosoftProviderOptions;
}

/** The public booking links' settings (`createAgenda({ bookingPages })`). */
export interface BookingPageOptions {
  /**
   * Limits of the public routes (`/public/...`), as token buckets kept in each server process: per
   * client IP address (`req.ip`, so set Express's `trust proxy` behind a proxy) and per link. One
   * request more is answered 429 `rate_limited` with a `Retry-After` header.
   * @default { perIp: { burst: 30, perMinute: 30 }, perLink: { burst: 120, perMinute: 120 } }
   */
  rateLimit?: {
    perIp?: { burst?: number; perMinute?: number };
    perLink?: { burst?: number; perMinute?: number };
  };
}

/** Options of {@link createAgenda}. */
export interface AgendaOptions {
  /** A pg Pool owned by the host, or a connection string (the agenda then owns and closes its pool). */
  database: Pool | string;
  /**
   * Postgres schema holding the agenda's tables; the job queue lives in `${schema}_jobs`.
   * @default "agenda"
   */
  schema?: string;
  /**
   * The host's session: the signed-in user, or null when nobody is. A session without a non-empty
   * `userId` and `tenantId` and a valid `email` is answered 401 and reported to `onError`. Not
   * called on the webhook routes, which providers call without a session.
   */
  auth(req: Request): AgendaSession | null | Promise<AgendaSession | null>;
  /** The host's CRM clients. */
  clients: ClientDirectory;
  /**
   * Whether the signed-in user may see the free slots of, and book for, another user of their
   * tenant (`userId` on `GET /availability` and `POST /bookings`), e.g. an assistant booking for a
   * salesperson. Only users of the session's own tenant are ever asked about; a refusal is answered
   * 403 `forbidden`. Looking up oneself never asks.
   * @default () => false (nobody books for anyone else)
   */
  canBookFor?(session: AgendaSession, userId: string): boolean | Promise<boolean>;
  /** The OAuth apps of Zoom, Google and Microsoft; a provider left out cannot be connected. */
  providers?: ProvidersOptions;
  /**
   * Keys sealing OAuth tokens at rest (AES-256-GCM), newest first: `[{ id, key }]` with 32-byte base64
   * keys, or the text `id:key,id2:key2`. The first seals; all open, so old rows stay readable while a
   * new key rolls in, and each row is sealed again under the newest key when next used.
   * Required when any provider is configured.
   */
  encryptionKeys?: EncryptionKey[] | string;
  /**
   * The absolute URL where the router is reachable from browsers and providers, e.g.
   * `https://crm.example.com/api/agenda`; OAuth redirect URIs and webhook addresses are built on it.
   */
  publicUrl?: string;
  /**
   * Other origins whose pages may send state-changing requests (POST, PUT, PATCH, DELETE) to the
   * router, e.g. `["https://app.example.com"]` when the CRM's frontend is not served from
   * `publicUrl`'s origin; each is trusted even when the browser calls it cross-site. Any other
   * `Origin` is refused with 403 `csrf_rejected`.
   * @default []
   */
  allowedOrigins?: string[];
  /**
   * Host page the browser returns to after connecting an account, when the start link gave no
   * `returnTo`. The result is added as `?agendaConnection=connected|denied|error&provider=…&reason=…`.
   * @default "/"
   */
  connectionsReturnTo?: string;
  /** The CRM's AI service (`GET /ai/generate`, `GET /ai/health`). */
  ai?: {
    /** @default "http://localhost:8000" */
    baseUrl?: string;
    /** Sent as a bearer token when given. */
    token?: string | undefined;
    /** The longest request URL sent; the prompt travels in it. @default 16_000 */
    maxUrlLength?: number;
    /** A stream silent this long is given up and retried later. @default 30_000 */
    idleTimeoutMs?: number;
  };
  /**
   * The fallback for lost webhooks: every active Zoom connection's recordings (and Google connection's
   * Meet conference records) of the last 48 hours are checked for transcripts not summarized yet. Each
   * interval is one job per connection, their starts spread over the interval, shared by every worker
   * instance (see `jobs.pollConcurrency`). `false` turns it off.
   * @default { intervalMinutes: 10 }
   */
  polling?: { intervalMinutes?: number } | false;
  /** Retries and timeouts of the agenda's jobs. */
  jobs?: Partial<JobPolicy>;
  /**
   * Whether this instance works on background jobs (transcripts, summaries, polling). Web-only
   * instances set it to false and leave the work to worker instances on the same database.
   * @default true
   */
  runJobs?: boolean;
  /**
   * Two-way sync of Google Calendar and Outlook connections: polling interval, synced window, push
   * notifications, and whether synced events stay after a disconnect. `false` turns sync off.
   * @default { pollIntervalMinutes: 15, window: { pastDays: 90, futureDays: 365 }, push: true, keepEventsOnDisconnect: false }
   */
  calendarSync?: CalendarSyncOptions | false;
  /**
   * Limits on the summary streams (`GET /events/:id/summary/stream`): how many one user and this
   * instance hold open, and how long one lasts before it is ended (the UI opens it again).
   * @default { maxPerUser: 10, maxOpen: 1_000, maxLifetimeSeconds: 600 }
   */
  summaryStreams?: SummaryStreamOptions;
  /** Limits and replay window of the live agenda's `GET /events/stream`. */
  eventStreams?: EventStreamOptions;
  /**
   * How long `stop()` lets running jobs finish; jobs still running then are retried later, on this
   * or another instance.
   * @default 10
   */
  stopTimeoutSeconds?: number;
  /** A larger transcript is refused (the summary fails with that reason). @default 20_971_520 */
  maxTranscriptBytes?: number;
  /** Notifications and tasks on the host's side. */
  hooks?: AgendaHooks;
  /**
   * Reminders of events that have a CRM client, told to `hooks.onReminder` at each offset before the
   * event; they run only when that hook is given. `false` turns them off.
   * @default { offsetsMinutes: [1440, 60] }
   */
  reminders?: ReminderOptions | false;
  /**
   * Largest JSON body accepted, in bytes; a larger one is answered 413.
   * @default 1_048_576
   */
  bodyLimitBytes?: number;
  /**
   * Called with every unexpected error so the host can log or report it: errors answered 500 (with
   * the request) and errors of background work (without one).
   */
  onError?(error: unknown, req?: Request): void;
  /** The clock; tests move it. @default () => new Date() */
  now?: () => Date;
  /** Public booking links: limits of their routes. */
  bookingPages?: BookingPageOptions;
  /**
   * Failed lookups allowed per client address (`req.ip`, so set Express's `trust proxy` behind a
   * proxy; an IPv6 address counts as its /64) across the routes reached by a secret in their address:
   * the ICS feed, booking and guests' links, reminder links. An unknown or malformed token, or a wrong
   * signature, takes one; a lookup that finds takes nothing. Once spent, that address's lookups are
   * answered 429 `rate_limited` with `Retry-After`, valid links included, until the bucket refills.
   * Kept in each server process, like the other limits.
   * @default { burst: 20, perMinute: 20 }
   */
  linkGuessLimit?: { burst?: number; perMinute?: number };
}
