import { useAgendaMessages } from "../AgendaProvider";
import type { AgendaView } from "../date/getViewDays";
import { describeView } from "../messages/describeMessages";

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
  /** The view shown; its button in the view switch is pressed (`aria-pressed`, `data-selected`). */
  view?: AgendaView;
  /**
   * The views the switch offers; none or one hides the switch.
   * @default []
   */
  views?: readonly AgendaView[];
  /** Called with the view the person picks. */
  onViewChange?: (view: AgendaView) => void;
  /**
   * The name of the previous arrow.
   * @default messages.previousWeek
   */
  previousLabel?: string;
  /**
   * The name of the next arrow.
   * @default messages.nextWeek
   */
  nextLabel?: string;
}

/**
 * Today, previous and next, the range's title, the view switch (class `agenda-view-switch`, a group
 * of pressed/unpressed buttons) and New event. Class `agenda-toolbar`; the title is a live region so
 * screen readers hear the new range after moving.
 */
export function AgendaToolbar({
  title,
  onToday,
  onPrevious,
  onNext,
  onNewEvent,
  showsToday,
  busy,
  view,
  views = [],
  onViewChange,
  previousLabel,
  nextLabel,
}: AgendaToolbarProps) {
  const messages = useAgendaMessages();
  const previous = previousLabel ?? messages.previousWeek;
  const next = nextLabel ?? messages.nextWeek;
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
          aria-label={previous}
          title={previous}
        >
          <ArrowIcon path="M12.5 4.5L7 10l5.5 5.5" />
        </button>
        <button type="button" className="agenda-icon-button" onClick={onNext} aria-label={next} title={next}>
          <ArrowIcon path="M7.5 4.5L13 10l-5.5 5.5" />
        </button>
      </div>
      <h2 className="agenda-toolbar-title" aria-live="polite">
        {title}
      </h2>
      <span className="agenda-toolbar-spacer" />
      {views.length > 1 ? (
        <div className="agenda-view-switch" role="group" aria-label={messages.viewSwitch}>
          {views.map((option) => (
            <button
              key={option}
              type="button"
              className="agenda-view-button"
              aria-pressed={option === view}
              data-selected={option === view || undefined}
              data-view={option}
              onClick={() => onViewChange?.(option)}
            >
              {describeView(option, messages)}
            </button>
          ))}
        </div>
      ) : null}
      <button
        type="button"
        className="agenda-button agenda-button-primary agenda-new-event"
        onClick={onNewEvent}
        aria-label={messages.newEvent}
      >
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="agenda-new-event-text">{messages.newEvent}</span>
      </button>
    </div>
  );
}

/** The previous and next arrows: one stroke each, drawn in the button's text colour. */
function ArrowIcon({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
      <path
        d={path}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
