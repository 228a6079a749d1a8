/** The languages the agenda ships with. */
export type AgendaLocale = "fr" | "en";

/**
 * Every piece of text the agenda shows. Pass a partial one to `AgendaProvider`'s `messages` to change
 * some words; `{name}` marks a value filled in at run time.
 */
export interface AgendaMessages {
  today: string;
  previousWeek: string;
  nextWeek: string;
  newEvent: string;
  previousDay: string;
  /** The arrows of the three-day view. */
  previousDays: string;
  nextDays: string;
  nextDay: string;
  previousMonth: string;
  nextMonth: string;
  /** Label of the group of view buttons. */
  viewSwitch: string;
  viewDay: string;
  viewWeek: string;
  viewWorkWeek: string;
  viewThreeDays: string;
  viewMonth: string;
  viewList: string;
  /** Label of the day's time grid; `{date}` is the full date. */
  dayGridLabel: string;
  /** Label of the three-day time grid; `{range}` is its title, e.g. "25 – 27 nov. 2026". */
  daysGridLabel: string;
  /** Label of the month grid; `{month}` is e.g. "novembre 2026". */
  monthGridLabel: string;
  /** Label of the list view; `{range}` is the week's title. */
  listLabel: string;
  /** The "+N more" of a full month cell; `{count}` is how many are hidden. */
  moreEvents: string;
  /** Its accessible name; `{count}` hidden events, `{date}` the full date. */
  moreEventsLabel: string;
  /** Title of the dialog listing one day's events; `{date}` is the full date. */
  dayEventsTitle: string;
  emptyDay: string;
  emptyDays: string;
  emptyMonth: string;
  /** How to move and resize an event from the keyboard, read by screen readers. */
  moveEventHint: string;
  /** Shown when the server refuses a move or resize; `{title}` is the event, `{reason}` why. */
  moveFailed: string;
  /** Label of the week grid; `{range}` is the week's title, e.g. "23 – 29 nov. 2026". */
  weekGridLabel: string;
  allDay: string;
  /** Header of the hour column, read by screen readers. */
  hours: string;
  now: string;
  loading: string;
  /** Heading of the error state. */
  loadFailed: string;
  retry: string;
  emptyWeek: string;
  /** Hint on an empty day column, read by screen readers: how to create an event there. */
  createEventHint: string;

  errorNetwork: string;
  errorUnauthorized: string;
  errorForbidden: string;
  errorNotFound: string;
  errorConflict: string;
  /** A booking whose time was taken meanwhile. */
  errorSlotTaken: string;
  errorTooLarge: string;
  errorRateLimited: string;
  errorUnavailable: string;
  errorInvalidResponse: string;
  errorValidation: string;
  errorUnknown: string;

  newEventTitle: string;
  editEventTitle: string;
  fieldTitle: string;
  fieldStart: string;
  fieldEnd: string;
  fieldAllDay: string;
  fieldLocation: string;
  fieldDescription: string;
  fieldAttendees: string;
  attendeesHint: string;
  /** The video-call field of a new event, and the heading of an event's call link. */
  fieldConference: string;
  conferenceNone: string;
  conferenceZoom: string;
  conferenceMeet: string;
  conferenceTeams: string;
  conferenceOther: string;
  /** The link to an event's call; `{provider}` is e.g. "Réunion Zoom". */
  joinConference: string;
  /** A call asked for whose link is not there yet (a Meet link comes once Google has the event). */
  conferencePending: string;
  save: string;
  saving: string;
  cancel: string;
  delete: string;
  confirmDelete: string;
  deleting: string;
  close: string;
  titleRequired: string;
  invalidDate: string;
  endBeforeStart: string;
  /** `{email}` is the address that is not valid. */
  invalidEmail: string;
  /** The event form's time-zone field, its list's name, and what it says when nothing matches. */
  fieldTimeZone: string;
  timeZoneNoMatch: string;
  /** The time half of the start or end field; `{field}` is "Start" or "End". */
  timeOfField: string;
  /** How the form writes a date and a time, shown while a field is empty. */
  datePlaceholder: string;
  timePlaceholder: string;
  /** Under the times of an event in another zone; `{zone}`, `{when}` and `{agendaZone}` are filled in. */
  eventZoneNote: string;
  /** The link downloading one event as an .ics file. */
  downloadIcs: string;
  /** The question asked before changing or deleting an occurrence of a series, and its answers. */
  seriesScopeTitle: string;
  seriesScopeThis: string;
  seriesScopeFollowing: string;
  seriesScopeAll: string;

  client: string;
  clientNone: string;
  clientMatchedAutomatically: string;
  clientMatchedManually: string;
  /** The client's answer from a reminder's link. */
  attendanceConfirmed: string;
  attendanceCancelled: string;

  summaryHeading: string;
  summaryReady: string;
  summaryStatusNone: string;
  summaryStatusPending: string;
  summaryStatusWaitingForAi: string;
  summaryStatusInProgress: string;
  summaryStatusReady: string;
  summaryStatusFailed: string;

  /** `{source}` is where the event comes from, e.g. "Google Agenda". */
  source: string;
  sourceCrm: string;
  sourceGoogle: string;
  sourceMicrosoft: string;
  sourceZoom: string;
  sourceMeet: string;

  /** Heading of the connections panel. */
  connectionsHeading: string;
  /** Under the heading: what connecting an account does. */
  connectionsDescription: string;
  providerZoom: string;
  providerGoogle: string;
  providerMicrosoft: string;
  connectionNotConnected: string;
  connectionActive: string;
  connectionNeedsReauth: string;
  connectionError: string;
  /** `{time}` is how long ago, e.g. "il y a 5 minutes". */
  connectionLastSync: string;
  connectionNeverSynced: string;
  /** `{error}` is the provider's last error. */
  connectionLastError: string;
  /** `{provider}` is e.g. "Google". */
  connect: string;
  reconnect: string;
  disconnect: string;
  /** `{account}` is the account's e-mail. */
  confirmDisconnect: string;
  disconnecting: string;
  /** `{account}` is the account's e-mail, `{reason}` why, in words. */
  disconnectFailed: string;
  connectionsLoading: string;
  connectionsLoadFailed: string;
  /** `{provider}` is e.g. "Google". */
  connectionConnected: string;
  connectionDenied: string;
  connectionFailed: string;
  /** `{reason}` is the code the server sent back, e.g. "invalid_state". */
  connectionFailedReason: string;
  dismiss: string;

  // Call summary panel and client picker.
  /** While the call summary loads. */
  summaryLoading: string;
  summaryLoadFailed: string;
  /** Under the waiting-for-the-AI-service state: the server tries again by itself. */
  summaryWaitingForAiNote: string;
  /** Stage 1 of writing a summary; `{step}` and `{of}` count the call's excerpts. */
  summaryProgressExcerpt: string;
  /** Stage 2 of writing a summary. */
  summaryProgressWriting: string;
  /** Accessible name of the text that appears as the summary is written. */
  summaryLiveLabel: string;
  /** The live stream dropped and is being reopened. */
  summaryReconnecting: string;
  summaryKeyPoints: string;
  summaryDecisions: string;
  summaryActionItems: string;
  /** An action item's owner; `{owner}` is their name. */
  summaryOwner: string;
  /** An action item's due date; `{date}` is e.g. "3 décembre 2026". */
  summaryDue: string;
  /** Accessible name of an item's time in the call; `{time}` is e.g. "12:31". */
  summaryAtLabel: string;
  /** `{minutes}` is the call's length in minutes. */
  summaryDuration: string;
  /** `{names}` lists the call's participants. */
  summaryParticipants: string;
  summaryOpenTranscript: string;
  summaryCopy: string;
  summaryCopied: string;
  summaryCopyFailed: string;
  summaryRegenerate: string;
  summaryConfirmRegenerate: string;
  summaryRegenerating: string;
  /** `{reason}` is why, in words. */
  summaryRegenerateFailed: string;
  /** The server's 409: no transcript, or a summary is being written already. */
  summaryRegenerateConflict: string;
  /** `{reason}` is the server's explanation. */
  summaryFailedReason: string;
  summaryRetry: string;
  clientChoose: string;
  clientChange: string;
  clientClear: string;
  clientSearchLabel: string;
  clientSearchPlaceholder: string;
  clientSearching: string;
  clientNoResults: string;
  clientSearchFailed: string;
  /** How many clients the search found, read by screen readers; `{count}` is the number. */
  clientResultsCount: string;
  /** Why a chosen client could not be saved: the CRM no longer has it. */
  clientNotFound: string;
  /** `{reason}` is why, in words. */
  clientSaveFailed: string;
  /** When the calendar sync runs next; `{time}` is relative ("in 10 minutes"). */
  connectionNextSync: string;
  /** Label of the select choosing the calendar the CRM's events are written to. */
  connectionCalendarLabel: string;
  connectionCalendarsLoading: string;
  connectionCalendarsFailed: string;
  /** The toggle writing the agenda's own events to the connection's calendar. */
  connectionPushCrmEvents: string;
  /** `{reason}` is why, in words. */
  connectionSettingsFailed: string;
}
