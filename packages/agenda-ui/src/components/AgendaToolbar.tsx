import { useAgendaMessages } from "../AgendaProvider";

/** Props of {@link AgendaToolbar}. */
export interface AgendaToolbarProps {
  /** The shown range, e.g. "23 – 29 nov. 2026". */
  title: string;
  /** Called by the Today button. */
  onToday: () => void;
  /** Called by the previous-week arrow. */
  onPrevious: () => void;
  /** Called by the next-week arrow. */
  onNext: () => void;
  /** Called by the New event button. */
  onNewEvent: () => void;
  /** True when today is in the shown range; sets `data-current` on the Today button. */
  showsToday?: boolean;
  /** True while events are being fetched in the background; sets `data-busy` on the toolbar. */
  busy?: boolean;
}

/**
 * Today, previous and next week, the range's title and New event. Class `agenda-toolbar`; the title is
 * a live region so screen readers hear the new week after moving.
 */
export function AgendaToolbar({
  title,
  onToday,
  onPrevious,
  onNext,
  onNewEvent,
  showsToday,
  busy,
}: AgendaToolbarProps) {
  const messages = useAgendaMessages();
  return (
    <div className="agenda-toolbar" data-busy={busy || undefined}>
      <button
        type="button"
        className="agenda-button"
        onClick={onToday}
        data-current={showsToday || undefined}
      >
        {messages.today}
      </button>
      <div className="agenda-toolbar-arrows">
        <button
          type="button"
          className="agenda-icon-button"
          onClick={onPrevious}
          aria-label={messages.previousWeek}
          title={messages.previousWeek}
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path
              d="M12.5 4.5L7 10l5.5 5.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <button
          type="button"
          className="agenda-icon-button"
          onClick={onNext}
          aria-label={messages.nextWeek}
          title={messages.nextWeek}
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path
              d="M7.5 4.5L13 10l-5.5 5.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
      </div>
      <h2 className="agenda-toolbar-title" aria-live="polite">
        {title}
      </h2>
      <span className="agenda-toolbar-spacer" />
      <button type="button" className="agenda-button agenda-button-primary" onClick={onNewEvent}>
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        {messages.newEvent}
      </button>
    </div>
  );
}
