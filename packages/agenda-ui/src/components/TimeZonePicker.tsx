import { type KeyboardEvent, useId, useMemo, useState } from "react";

/** Props of {@link TimeZonePicker}. */
export interface TimeZonePickerProps {
  /** The chosen IANA zone, e.g. `Europe/Paris`. */
  value: string;
  onChange(timeZone: string): void;
  /** The input's id, for its `<label htmlFor>`. */
  id: string;
  disabled?: boolean;
  /** The list's accessible name. */
  label: string;
  /** Said when no zone matches what is typed. */
  noMatch: string;
}

/** How many matches the list shows at once: typing narrows it. */
const shownMatches = 50;

function allZones(): string[] {
  // The browser's own zone list: no zone data ships with the agenda.
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? zones : [...zones, "UTC"];
}

const readable = (zone: string) => zone.replace(/_/g, " ");

/**
 * A searchable time-zone field: an ARIA combobox whose list narrows as one types ("new y" finds
 * America/New_York), moved through with the arrow keys, chosen with Enter or a click, closed with
 * Escape (without closing the dialog around it). Classes `agenda-timezone-picker`, `agenda-timezone-list`,
 * each option `agenda-timezone-option` with `data-active` on the highlighted one.
 */
export function TimeZonePicker({ value, onChange, id, disabled, label, noMatch }: TimeZonePickerProps) {
  const zones = useMemo(allZones, []);
  const listId = useId();
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = query !== null;
  const words = (query ?? "")
    .toLowerCase()
    .split(/[\s/_]+/)
    .filter(Boolean);
  const matches = open
    ? zones
        .filter((zone) => {
          const name = readable(zone).toLowerCase();
          return words.every((word) => name.includes(word));
        })
        .slice(0, shownMatches)
    : [];

  const choose = (zone: string | undefined) => {
    if (zone !== undefined) onChange(zone);
    setQuery(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) setQuery("");
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => Math.min(Math.max(index + step, 0), Math.max(matches.length - 1, 0)));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      choose(matches[active]);
    } else if (event.key === "Escape" && open) {
      event.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <span className="agenda-timezone-picker">
      <input
        id={id}
        className="agenda-input"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] !== undefined ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={query ?? readable(value)}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onFocus={(event) => event.target.select()}
        onBlur={() => setQuery(null)}
        onKeyDown={onKeyDown}
      />
      {open ? (
        <div className="agenda-timezone-list" id={listId} role="listbox" aria-label={label}>
          {matches.map((zone, index) => (
            // Options are chosen with the pointer or with the keys of the combobox, which keeps focus.
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keyboard
            <div
              key={zone}
              tabIndex={-1}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className="agenda-timezone-option"
              data-active={index === active || undefined}
              // Before the input's blur closes the list.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => choose(zone)}
            >
              {readable(zone)}
            </div>
          ))}
        </div>
      ) : null}
      {open && matches.length === 0 ? <span role="status">{noMatch}</span> : null}
    </span>
  );
}
