import type { CalendarEvent, CrmClient } from "@crm-agenda/shared";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useDebouncedValue } from "../_internal/useDebouncedValue";
import { useAgendaSettings } from "../AgendaProvider";
import { describeError, fillMessage } from "../messages/describeMessages";
import { useClientSearch } from "../queries/useClientSearch";
import { useSetEventClient } from "../queries/useSetEventClient";

/** Props of {@link ClientPicker}. */
export interface ClientPickerProps {
  /**
   * The event whose CRM client to show and correct. Pass the cached copy (from `useEvents` or
   * `useEvent`), so the picker shows a choice at once, before the server confirms it.
   */
  event: CalendarEvent;
  /**
   * How long typing must pause before the search is sent, in milliseconds.
   * @default 250
   */
  debounceMs?: number;
}

/**
 * The CRM client an event is about, how it was found (from the attendees' e-mails, or chosen by hand),
 * and a way to correct it: a combobox searching the host's clients (`GET /clients?q=`) as the person
 * types, and a button to remove the client. The change shows at once and is undone if the server
 * refuses it. Arrow keys move through the results, Enter chooses, Escape closes the list.
 *
 * Class `agenda-client-picker`, with `data-match` set to `auto`, `manual` or `none`; the list is
 * `agenda-client-options`, each option `agenda-client-option` with `data-active` on the highlighted one.
 */
export function ClientPicker({ event, debounceMs = 250 }: ClientPickerProps) {
  const { messages } = useAgendaSettings();
  const baseId = useId();
  const inputId = `${baseId}-search`;
  const listId = `${baseId}-options`;
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [activeIndex, setActiveIndex] = useState(-1);
  const query = useDebouncedValue(text.trim(), debounceMs);
  // Nothing is asked before the person types: an empty search could list the whole CRM.
  const search = useClientSearch(query, { enabled: open && query !== "" });
  const setClient = useSetEventClient();
  const rootRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const changeButtonRef = useRef<HTMLButtonElement>(null);
  const { clientMatch } = event;
  const clients = open && text.trim() !== "" ? (search.data?.clients ?? []) : [];
  const searching = open && text.trim() !== "" && (search.isFetching || query !== text.trim());

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  // Escape closes the list, not the dialog around it: Radix dismisses on a document listener in the
  // capture phase unless the event's default was prevented, and the window hears it first.
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (keyEvent: globalThis.KeyboardEvent) => {
      if (keyEvent.key === "Escape" && rootRef.current?.contains(keyEvent.target as Node)) {
        keyEvent.preventDefault();
      }
    };
    window.addEventListener("keydown", onKeyDown, { capture: true });
    return () => window.removeEventListener("keydown", onKeyDown, { capture: true });
  }, [open]);

  const close = () => {
    setOpen(false);
    setText("");
    setActiveIndex(-1);
    // Give focus back to where the person started, once the button is back.
    setTimeout(() => changeButtonRef.current?.focus(), 0);
  };

  const choose = (chosen: CrmClient | null) => {
    setClient.mutate({ id: event.id, client: chosen === null ? null : { id: chosen.id, name: chosen.name } });
    if (open) close();
  };

  const onKeyDown = (keyEvent: KeyboardEvent<HTMLInputElement>) => {
    switch (keyEvent.key) {
      case "ArrowDown":
        keyEvent.preventDefault();
        if (clients.length > 0) setActiveIndex((index) => (index + 1) % clients.length);
        break;
      case "ArrowUp":
        keyEvent.preventDefault();
        if (clients.length > 0) setActiveIndex((index) => (index <= 0 ? clients.length - 1 : index - 1));
        break;
      case "Enter": {
        keyEvent.preventDefault();
        const chosen = clients[activeIndex];
        if (chosen !== undefined) choose(chosen);
        break;
      }
      case "Escape":
        keyEvent.preventDefault();
        close();
        break;
      default:
        break;
    }
  };

  const activeClient = clients[activeIndex];
  const optionId = (client: CrmClient) => `${listId}-${client.id}`;

  return (
    <div className="agenda-client-picker" data-match={clientMatch.method} ref={rootRef}>
      {clientMatch.clientName === null ? (
        <p className="agenda-detail-text agenda-detail-muted">{messages.clientNone}</p>
      ) : (
        <p className="agenda-detail-text">
          <span className="agenda-client-name">{clientMatch.clientName}</span>
          {clientMatch.method === "none" ? null : (
            <span className="agenda-detail-muted">
              {" — "}
              {clientMatch.method === "auto"
                ? messages.clientMatchedAutomatically
                : messages.clientMatchedManually}
            </span>
          )}
        </p>
      )}

      {open ? (
        <div className="agenda-client-search">
          <label className="agenda-visually-hidden" htmlFor={inputId}>
            {messages.clientSearchLabel}
          </label>
          <input
            ref={inputRef}
            id={inputId}
            className="agenda-input"
            type="text"
            role="combobox"
            aria-expanded={clients.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeClient === undefined ? undefined : optionId(activeClient)}
            autoComplete="off"
            placeholder={messages.clientSearchPlaceholder}
            value={text}
            onChange={(changeEvent) => {
              setText(changeEvent.target.value);
              setActiveIndex(-1);
            }}
            onKeyDown={onKeyDown}
          />
          <div
            className="agenda-client-options"
            id={listId}
            role="listbox"
            aria-label={messages.clientSearchLabel}
          >
            {clients.map((client, index) => (
              // Options are chosen with the pointer or with the keys of the combobox, which keeps focus.
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keyboard
              <div
                key={client.id}
                tabIndex={-1}
                id={optionId(client)}
                role="option"
                className="agenda-client-option"
                aria-selected={index === activeIndex}
                data-active={index === activeIndex || undefined}
                onMouseDown={(mouseEvent) => mouseEvent.preventDefault()}
                onMouseEnter={() => setActiveIndex(index)}
                onClick={() => choose(client)}
              >
                <span className="agenda-client-option-name">{client.name}</span>
                {client.emails.length === 0 ? null : (
                  <span className="agenda-client-option-emails">{client.emails.join(", ")}</span>
                )}
              </div>
            ))}
          </div>
          <p className="agenda-client-search-status" role="status">
            {search.isError
              ? `${messages.clientSearchFailed} ${describeError(search.error, messages)}`
              : searching
                ? messages.clientSearching
                : search.data === undefined || text.trim() === ""
                  ? ""
                  : clients.length === 0
                    ? messages.clientNoResults
                    : fillMessage(messages.clientResultsCount, { count: String(clients.length) })}
          </p>
          <button type="button" className="agenda-button" onClick={close}>
            {messages.cancel}
          </button>
        </div>
      ) : (
        <div className="agenda-client-actions">
          <button
            ref={changeButtonRef}
            type="button"
            className="agenda-button"
            onClick={() => setOpen(true)}
            disabled={setClient.isPending}
          >
            {clientMatch.clientId === null ? messages.clientChoose : messages.clientChange}
          </button>
          {clientMatch.clientId === null ? null : (
            <button
              type="button"
              className="agenda-button"
              onClick={() => choose(null)}
              disabled={setClient.isPending}
            >
              {messages.clientClear}
            </button>
          )}
        </div>
      )}

      {setClient.error === null ? null : (
        <p className="agenda-form-error" role="alert">
          {fillMessage(messages.clientSaveFailed, {
            reason:
              setClient.error.code === "unprocessable"
                ? messages.clientNotFound
                : describeError(setClient.error, messages),
          })}
        </p>
      )}
    </div>
  );
}
