import type { BookingSlot } from "@crm-agenda/shared";
import { useEffect, useId, useMemo, useState } from "react";
import { fillMessage } from "../messages/describeMessages";
import type { BookingMessages } from "./bookingMessages";
import { groupSlotsByDay, listTimeZones } from "./groupSlotsByDay";

/** Props of {@link SlotPicker}. */
export interface SlotPickerProps {
  /** Loads the free slots between two instants (a week at a time). */
  loadSlots(range: { from: string; to: string }): Promise<BookingSlot[]>;
  /** The guest's time zone, shown and changeable. */
  timeZone: string;
  onTimeZoneChange(timeZone: string): void;
  /** Called with the slot picked. */
  onPick(slot: BookingSlot): void;
  locale: "fr" | "en";
  messages: BookingMessages;
  /** Describes a failed load. */
  describeFailure(error: unknown): string;
  /** The first week starts here. @default the current time */
  now?: Date;
}

const weekMs = 7 * 86_400_000;

/**
 * The free slots of a week, by day in the guest's time zone, each a button; the zone can be changed,
 * and the weeks walked forwards and back (never before now).
 */
export function SlotPicker(props: SlotPickerProps) {
  const { loadSlots, timeZone, onTimeZoneChange, onPick, locale, messages } = props;
  const [start] = useState(() => (props.now ?? new Date()).getTime());
  const [week, setWeek] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<
    { status: "loading" } | { status: "failed"; message: string } | { status: "ready"; slots: BookingSlot[] }
  >({ status: "loading" });
  const zoneId = useId();
  const from = new Date(start + week * weekMs).toISOString();
  const to = new Date(start + (week + 1) * weekMs).toISOString();

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt reloads on demand
  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    loadSlots({ from, to }).then(
      (slots) => current && setState({ status: "ready", slots }),
      (error: unknown) => current && setState({ status: "failed", message: props.describeFailure(error) }),
    );
    return () => {
      current = false;
    };
  }, [from, to, loadSlots, attempt]);

  const zones = useMemo(() => listTimeZones(timeZone), [timeZone]);
  const days = state.status === "ready" ? groupSlotsByDay(state.slots, timeZone, locale) : [];
  const range = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "long" }).formatRange(
    new Date(from),
    new Date(Date.parse(to) - 1),
  );

  return (
    <div className="agenda-slot-picker">
      <div className="agenda-slot-picker-bar">
        <label htmlFor={zoneId}>{messages.timeZone}</label>
        <select id={zoneId} value={timeZone} onChange={(event) => onTimeZoneChange(event.target.value)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setWeek(week - 1)} disabled={week === 0}>
          {messages.previousWeek}
        </button>
        <span aria-live="polite">{range}</span>
        <button type="button" onClick={() => setWeek(week + 1)}>
          {messages.nextWeek}
        </button>
      </div>
      {state.status === "loading" && <p role="status">{messages.loading}</p>}
      {state.status === "failed" && (
        <div role="alert">
          <p>{state.message}</p>
          <button type="button" onClick={() => setAttempt(attempt + 1)}>
            {messages.retry}
          </button>
        </div>
      )}
      {state.status === "ready" && days.length === 0 && <p>{messages.noSlots}</p>}
      {days.length > 0 && (
        <section aria-label={fillMessage(messages.slotsLabel, { range })} className="agenda-slot-days">
          {days.map((day) => (
            <div key={day.key} className="agenda-slot-day">
              <h2>{day.label}</h2>
              <ul>
                {day.slots.map((slot) => (
                  <li key={slot.start}>
                    <button
                      type="button"
                      aria-label={fillMessage(messages.pickSlot, { when: slot.when })}
                      onClick={() => onPick({ start: slot.start, end: slot.end })}
                    >
                      {slot.time}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
