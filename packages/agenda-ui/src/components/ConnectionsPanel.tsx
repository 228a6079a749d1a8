import type { Connection, Provider } from "@crm-agenda/shared";
import { buildPath, routes } from "@crm-agenda/shared/routes";
import { useEffect, useId, useRef, useState } from "react";
import {
  type ConnectionOutcome,
  isKnownProvider,
  pathWithoutConnectionFlags,
  readConnectionFlags,
} from "../_internal/connectionFlags";
import { useAgendaClient, useAgendaSettings } from "../AgendaProvider";
import { isAgendaRequestError } from "../client/AgendaRequestError";
import { type DateFormats, getDateFormats } from "../date/dateFormats";
import {
  describeConnectionStatus,
  describeError,
  describeProvider,
  fillMessage,
} from "../messages/describeMessages";
import {
  useConnectionCalendars,
  useConnections,
  useDisconnect,
  useUpdateConnection,
} from "../queries/useConnections";
import { ProviderMark } from "./ProviderMark";

/** Props of {@link ConnectionsPanel}. */
export interface ConnectionsPanelProps {
  /**
   * The providers to offer, in this order; leave out those the server is not configured for (their
   * Connect link would answer 404).
   * @default ["zoom", "google", "microsoft"]
   */
  providers?: readonly Provider[];
  /**
   * The host page to come back to after the provider's consent screen, as a path.
   * @default the current path, query and hash, without the connection flags
   */
  returnTo?: string;
  /**
   * `light` or `dark`, or `system` to follow the operating system. Sets `data-theme` on the root,
   * except for `system`.
   * @default "system"
   */
  theme?: "light" | "dark" | "system";
  /**
   * The time "last synced 5 minutes ago" counts from; for stories and tests.
   * @default the current time
   */
  now?: Date;
  /** Added to the root's `agenda-root agenda-connections` classes. */
  className?: string;
}

const allProviders: readonly Provider[] = ["zoom", "google", "microsoft"];

interface DisconnectFailure {
  provider: Provider;
  message: string;
}

/**
 * The settings panel where a person connects their Zoom, Google and Microsoft accounts: one row per
 * provider (class `agenda-connection`, `data-provider`, `data-status` = `disconnected`, `active`,
 * `needs_reauth` or `error`) with the account, its state in words, the last sync, the next sync and the last error, the calendar
 * it syncs with the toggle sending the CRM's events there (Google and Microsoft), and
 * Connect, Reconnect (highlighted with `data-highlighted` when access must be renewed) and Disconnect
 * (asks to confirm; the account leaves at once and comes back with a message if the server refuses).
 *
 * Connect and Reconnect are links to the server's `/oauth/:provider/start`: the browser leaves for the
 * provider and comes back to `returnTo` with `?agendaConnection=connected|denied|error&provider=…`.
 * The panel reads those flags once, says what happened (`role="status"` on success, `role="alert"`
 * otherwise; class `agenda-notice`, `data-result`) and takes them out of the address bar with
 * `history.replaceState`. Must sit inside an {@link AgendaProvider}.
 */
export function ConnectionsPanel({
  providers = allProviders,
  returnTo,
  theme = "system",
  now,
  className,
}: ConnectionsPanelProps) {
  const { locale, messages } = useAgendaSettings();
  const headingId = useId();
  const connections = useConnections();
  const [outcome, setOutcome] = useState<ConnectionOutcome | null>(() =>
    typeof window === "undefined" ? null : readConnectionFlags(window.location.search),
  );
  const [failure, setFailure] = useState<DisconnectFailure | null>(null);

  // Once read, the flags leave the address bar, so a reload or a shared link does not say it again.
  useEffect(() => {
    if (typeof window === "undefined" || readConnectionFlags(window.location.search) === null) return;
    window.history.replaceState(window.history.state, "", pathWithoutConnectionFlags(window.location));
  }, []);

  const backTo =
    returnTo ?? (typeof window === "undefined" ? "/" : pathWithoutConnectionFlags(window.location));

  return (
    <section
      className={
        className === undefined
          ? "agenda-root agenda-connections"
          : `agenda-root agenda-connections ${className}`
      }
      aria-labelledby={headingId}
      data-theme={theme === "system" ? undefined : theme}
      lang={locale}
    >
      <h2 id={headingId} className="agenda-connections-heading">
        {messages.connectionsHeading}
      </h2>
      <p className="agenda-connections-description">{messages.connectionsDescription}</p>
      {outcome === null ? null : <ConnectionNotice outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {connections.isPending ? (
        <p className="agenda-connections-state" role="status">
          {messages.connectionsLoading}
        </p>
      ) : null}
      {connections.isError && connections.data === undefined ? (
        <div className="agenda-connections-state agenda-error" role="alert">
          <p className="agenda-error-title">{messages.connectionsLoadFailed}</p>
          <p className="agenda-error-message">{describeError(connections.error, messages)}</p>
          <button type="button" className="agenda-button" onClick={() => void connections.refetch()}>
            {messages.retry}
          </button>
        </div>
      ) : null}
      {connections.data === undefined ? null : (
        <ul className="agenda-connections-list">
          {providers.map((provider) => (
            <ProviderRow
              key={provider}
              provider={provider}
              connections={connections.data.connections.filter((item) => item.provider === provider)}
              returnTo={backTo}
              now={now}
              failure={failure?.provider === provider ? failure.message : null}
              onFailure={(message) => setFailure(message === null ? null : { provider, message })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** "mardi 24 novembre 2026, 09:00": the exact time behind a relative one, for its tooltip. */
function describeInstant(formats: DateFormats, instant: string): string {
  const time = Date.parse(instant);
  return `${formats.fullDate(time)}, ${formats.time(time)}`;
}

function ConnectionNotice({ outcome, onDismiss }: { outcome: ConnectionOutcome; onDismiss: () => void }) {
  const { messages } = useAgendaSettings();
  const provider = isKnownProvider(outcome.provider)
    ? describeProvider(outcome.provider, messages)
    : (outcome.provider ?? "");
  const text = fillMessage(
    outcome.result === "connected"
      ? messages.connectionConnected
      : outcome.result === "denied"
        ? messages.connectionDenied
        : messages.connectionFailed,
    { provider },
  );
  return (
    <div
      className="agenda-notice"
      role={outcome.result === "connected" ? "status" : "alert"}
      data-result={outcome.result}
    >
      <p className="agenda-notice-text">
        {text}
        {outcome.result === "error" && outcome.reason !== null ? (
          <span className="agenda-notice-reason">
            {" "}
            {fillMessage(messages.connectionFailedReason, { reason: outcome.reason })}
          </span>
        ) : null}
      </p>
      <button
        type="button"
        className="agenda-icon-button"
        onClick={onDismiss}
        aria-label={messages.dismiss}
        title={messages.dismiss}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </button>
    </div>
  );
}

interface ProviderRowProps {
  provider: Provider;
  connections: readonly Connection[];
  returnTo: string;
  now: Date | undefined;
  failure: string | null;
  onFailure: (message: string | null) => void;
}

function ProviderRow({ provider, connections, returnTo, now, failure, onFailure }: ProviderRowProps) {
  const { messages } = useAgendaSettings();
  const client = useAgendaClient();
  const name = describeProvider(provider, messages);
  const nameId = useId();
  const startUrl = `${client.baseUrl}${buildPath(routes.startOAuth.path, { provider })}?returnTo=${encodeURIComponent(returnTo)}`;
  // The row shows its worst state: one account to reconnect is what the person must see.
  const status =
    connections.find((item) => item.status === "needs_reauth")?.status ??
    connections.find((item) => item.status === "error")?.status ??
    connections[0]?.status ??
    "disconnected";
  return (
    <li className="agenda-connection" data-provider={provider} data-status={status} aria-labelledby={nameId}>
      <ProviderMark provider={provider} />
      <div className="agenda-connection-body">
        <h3 id={nameId} className="agenda-connection-name">
          {name}
        </h3>
        {connections.length === 0 ? (
          <p className="agenda-connection-status">{messages.connectionNotConnected}</p>
        ) : (
          connections.map((connection) => (
            <ConnectionAccount
              key={connection.id}
              connection={connection}
              startUrl={startUrl}
              now={now}
              onFailure={onFailure}
            />
          ))
        )}
        {failure === null ? null : (
          <p className="agenda-connection-failure" role="alert">
            {failure}
          </p>
        )}
      </div>
      {connections.length === 0 ? (
        <div className="agenda-connection-actions">
          <a className="agenda-button agenda-button-primary" href={startUrl}>
            {fillMessage(messages.connect, { provider: name })}
          </a>
        </div>
      ) : null}
    </li>
  );
}

interface ConnectionAccountProps {
  connection: Connection;
  startUrl: string;
  now: Date | undefined;
  onFailure: (message: string | null) => void;
}

function ConnectionAccount({ connection, startUrl, now, onFailure }: ConnectionAccountProps) {
  const { locale, timeZone, messages } = useAgendaSettings();
  const disconnect = useDisconnect();
  const emailId = useId();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const formats = getDateFormats(locale, timeZone);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    // Back to the button the person started from, so focus is not lost with the removed buttons.
    requestAnimationFrame(() => disconnectRef.current?.focus());
  };

  const confirm = async () => {
    onFailure(null);
    try {
      await disconnect.mutateAsync({ id: connection.id });
    } catch (error) {
      if (isAgendaRequestError(error) && error.code === "not_found") return;
      setConfirming(false);
      onFailure(
        fillMessage(messages.disconnectFailed, {
          account: connection.accountEmail,
          reason: describeError(error, messages),
        }),
      );
    }
  };

  return (
    <div className="agenda-connection-account" data-status={connection.status}>
      <p id={emailId} className="agenda-connection-email">
        {connection.accountEmail}
      </p>
      <p className="agenda-connection-status">{describeConnectionStatus(connection.status, messages)}</p>
      <p className="agenda-connection-sync">
        {connection.lastSyncAt === null ? (
          messages.connectionNeverSynced
        ) : (
          <time dateTime={connection.lastSyncAt} title={describeInstant(formats, connection.lastSyncAt)}>
            {fillMessage(messages.connectionLastSync, {
              time: formats.relative(Date.parse(connection.lastSyncAt), now ?? Date.now()),
            })}
          </time>
        )}
      </p>
      {connection.nextSyncAt === null ? null : (
        <p className="agenda-connection-sync agenda-connection-next-sync">
          <time dateTime={connection.nextSyncAt} title={describeInstant(formats, connection.nextSyncAt)}>
            {fillMessage(messages.connectionNextSync, {
              time: formats.relative(Date.parse(connection.nextSyncAt), now ?? Date.now()),
            })}
          </time>
        </p>
      )}
      {connection.calendarId === null || connection.status !== "active" ? null : (
        <CalendarSettings connection={connection} />
      )}
      {connection.lastError === null ? null : (
        <p className="agenda-connection-error">
          {fillMessage(messages.connectionLastError, { error: connection.lastError })}
        </p>
      )}
      <div className="agenda-connection-actions">
        {connection.status === "needs_reauth" ? (
          <a className="agenda-button agenda-button-primary" href={startUrl} data-highlighted="">
            {messages.reconnect}
          </a>
        ) : null}
        {confirming ? (
          <>
            <button
              ref={confirmRef}
              type="button"
              className="agenda-button agenda-button-danger"
              data-confirming=""
              aria-describedby={emailId}
              disabled={disconnect.isPending}
              onClick={() => void confirm()}
            >
              {disconnect.isPending ? messages.disconnecting : messages.confirmDisconnect}
            </button>
            <button type="button" className="agenda-button" onClick={cancel}>
              {messages.cancel}
            </button>
          </>
        ) : (
          <button
            ref={disconnectRef}
            type="button"
            className="agenda-button agenda-button-danger"
            aria-describedby={emailId}
            onClick={() => setConfirming(true)}
          >
            {messages.disconnect}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * The calendar a Google or Microsoft connection syncs (class `agenda-connection-calendar`) and the
 * toggle that writes the agenda's own events to it (`agenda-connection-push`). Each change is sent at
 * once; a refusal is said under them.
 */
function CalendarSettings({ connection }: { connection: Connection }) {
  const { messages } = useAgendaSettings();
  const calendars = useConnectionCalendars(connection.id);
  const update = useUpdateConnection();
  const selectId = useId();
  const selected = calendars.data?.calendars.find((calendar) => calendar.selected);
  return (
    <div className="agenda-connection-settings">
      <label className="agenda-connection-calendar" htmlFor={selectId}>
        {messages.connectionCalendarLabel}{" "}
        <select
          id={selectId}
          value={selected?.id ?? ""}
          disabled={calendars.data === undefined || update.isPending}
          aria-busy={calendars.isPending || undefined}
          onChange={(event) => update.mutate({ id: connection.id, calendarId: event.target.value })}
        >
          {calendars.data === undefined ? (
            <option value="">
              {calendars.isError ? messages.connectionCalendarsFailed : messages.connectionCalendarsLoading}
            </option>
          ) : (
            calendars.data.calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name}
              </option>
            ))
          )}
        </select>
      </label>
      <label className="agenda-connection-push">
        <input
          type="checkbox"
          checked={connection.pushCrmEvents}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ id: connection.id, pushCrmEvents: event.target.checked })}
        />{" "}
        {messages.connectionPushCrmEvents}
      </label>
      {update.isError ? (
        <p className="agenda-connection-failure" role="alert">
          {fillMessage(messages.connectionSettingsFailed, { reason: describeError(update.error, messages) })}
        </p>
      ) : null}
    </div>
  );
}
