import type { Attendee, Conference } from "@crm-agenda/shared";

/** An event as a provider has it, read into the agenda's terms. */
export interface ExternalEvent {
  /** Google event id (an instance's id for one occurrence of a series), or Graph immutable id. */
  externalId: string;
  /** Google etag or Graph changeKey. */
  etag: string;
  /** When the provider last changed it. */
  updatedAt: Date | null;
  /** Deleted or cancelled upstream: the agenda removes it. */
  removed: boolean;
  title: string;
  description: string | null;
  start: Date;
  end: Date;
  allDay: boolean;
  timeZone: string;
  location: string | null;
  conference: Conference | null;
  attendees: Attendee[];
  /** The series of a recurring instance. */
  seriesId: string | null;
  /** An instance's start in its series (Google `originalStartTime`, Graph `originalStart`). */
  originalStart?: Date | null;
  /** Our marker: the agenda event id when the CRM agenda wrote this event. */
  crmEventId: string | null;
  /** Takes the user's time (left out: it does); Google `transparent` and Outlook `free` do not. */
  busy?: boolean;
}

/** A removal, as incremental syncs report them (often with nothing but the id). */
export type ExternalChange =
  | ExternalEvent
  | { externalId: string; removed: true; seriesId?: string | null; originalStart?: Date | null };

/** One page of changes; the cursor comes with the last page only. */
export interface ChangePage {
  changes: ExternalChange[];
  /** Present on the last page: where the next incremental sync starts. */
  nextCursor?: string;
}

/** The range of time a full sync covers (recurring series are expanded within it). */
export interface SyncWindow {
  from: Date;
  to: Date;
}

/** An agenda event as it is written to a provider. */
export interface OutboundEvent {
  /** The agenda event id: our marker, and the seed of the id we choose for the provider's copy. */
  crmEventId: string;
  title: string;
  description: string | null;
  start: Date;
  end: Date;
  allDay: boolean;
  timeZone: string;
  location: string | null;
  attendees: Attendee[];
  /** Ask the provider for a video meeting link (Google Meet). */
  addMeetLink: boolean;
  /** A link the agenda already has (a Zoom meeting), put in the location and description. */
  conference: Conference | null;
  /** A series made in the agenda: its RRULE (no DTSTART), written as the provider keeps series. */
  recurrence?: string | null;
  /** The series' occurrences changed on their own (`event`) or cancelled (`event` null). */
  exceptions?: OutboundException[];
}

/** One occurrence of a series written on its own, found at the provider by its original start. */
export interface OutboundException {
  originalStart: Date;
  event: Omit<OutboundEvent, "recurrence" | "exceptions" | "addMeetLink"> | null;
}

export interface WrittenEvent {
  externalId: string;
  etag: string;
  updatedAt: Date | null;
  conference: Conference | null;
}

/** A push channel (Google) or subscription (Graph) as created. */
export interface WatchChannel {
  id: string;
  secret: string;
  resourceId: string | null;
  expiresAt: Date;
}

/** What one connection's calls need: a token and the calendar. */
export interface CalendarAccess {
  connectionId: string;
  accessToken: string;
  calendarId: string;
}

/**
 * Google Calendar and Microsoft Graph behind one shape: changes in pages (full, then incremental from
 * a cursor), push channels, and writes that carry our marker and an id of our choosing.
 */
/** One calendar of an account, as the connections panel offers it. */
export interface AccountCalendar {
  id: string;
  name: string;
  /** The account's main calendar: Google `primary`, Outlook `isDefaultCalendar`. */
  primary: boolean;
}

/** The providers with a calendar. */
export type CalendarProviderId = "google" | "microsoft";

/** Whether a connection's provider has a calendar (a Zoom connection has none). */
export function isCalendarProviderId(provider: string): provider is CalendarProviderId {
  return provider === "google" || provider === "microsoft";
}

/** The calendar adapters of the configured providers, by provider: the sync looks each one up here. */
export type CalendarProviders = Partial<Record<CalendarProviderId, CalendarProvider>>;

export interface CalendarProvider {
  readonly id: CalendarProviderId;
  /** The id the account's main calendar is stored under (Google's `primary` alias, Graph's empty id). */
  readonly mainCalendarId: string;
  /** How long a push channel (subscription) is asked to live, within the provider's cap. */
  readonly channelLifetimeMs: number;
  /** The router's path the provider pushes changes to, as the contract names it. */
  readonly webhookPath: string;
  /** The calendars the account can write to (only those can receive the agenda's events). */
  listCalendars(access: Omit<CalendarAccess, "calendarId">): Promise<AccountCalendar[]>;
  /** Every event in the window, page by page; the last page carries the first cursor. */
  fullSync(access: CalendarAccess, window: SyncWindow): AsyncIterable<ChangePage>;
  /** What changed since the cursor; throws {@link SyncCursorExpiredError} when a full sync is needed. */
  incrementalSync(access: CalendarAccess, cursor: string): AsyncIterable<ChangePage>;
  watch(
    access: CalendarAccess,
    input: { channelId: string; secret: string; address: string; expiresAt: Date },
  ): Promise<WatchChannel>;
  /** Extends a channel where the provider allows it (Graph); null means make a new one (Google). */
  renew(access: CalendarAccess, channel: WatchChannel, expiresAt: Date): Promise<WatchChannel | null>;
  stopWatch(access: CalendarAccess, channel: { id: string; resourceId: string | null }): Promise<void>;
  get(access: CalendarAccess, externalId: string): Promise<ExternalEvent | null>;
  /**
   * The original starts of a series' live instances between `from` and `to`, its deleted occurrences
   * missing: for a provider whose sync gives a deleted occurrence by its id alone (Graph's delta
   * `@removed`), so the agenda can tell which occurrence of its series went.
   */
  instanceStarts?(access: CalendarAccess, seriesId: string, from: Date, to: Date): Promise<Date[]>;
  /** Creates the event; a retried insert returns the first copy instead of a second one. */
  insert(access: CalendarAccess, event: OutboundEvent): Promise<WrittenEvent>;
  /** Updates the copy if it is still at `ifMatch`; throws {@link SyncConflictError} otherwise. */
  update(
    access: CalendarAccess,
    externalId: string,
    event: OutboundEvent,
    ifMatch: string | null,
  ): Promise<WrittenEvent>;
  /** Deletes the copy; one already gone is not an error. */
  delete(access: CalendarAccess, externalId: string): Promise<void>;
}

/** The provider forgot the cursor (Google 410 fullSyncRequired, Graph 410 on a delta link). */
export class SyncCursorExpiredError extends Error {
  override readonly name = "SyncCursorExpiredError";
}

/** The provider's copy changed since we last saw it (412 on If-Match). */
export class SyncConflictError extends Error {
  override readonly name = "SyncConflictError";
}

/** The provider's copy is gone (404, 410). */
export class ExternalEventGoneError extends Error {
  override readonly name = "ExternalEventGoneError";
}

/** The provider refused for good (400, 403 other than rate limits): retrying will not help. */
export class ProviderRefusedError extends Error {
  override readonly name = "ProviderRefusedError";
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}
