import { useId, useState } from "react";
import {
  composeRecurrence,
  type RecurrenceChoice,
  readRecurrence,
  startParts,
} from "../date/composeRecurrence";
import {
  englishRecurrenceMessages,
  frenchRecurrenceMessages,
  type RecurrenceMessages,
} from "../messages/recurrenceMessages";

/** Props of {@link RecurrenceFields}. */
export interface RecurrenceFieldsProps {
  /** The series' RRULE, or null for a single event. */
  value: string | null;
  /** Called with the new RRULE (null for no repetition) at each change. */
  onChange: (value: string | null) => void;
  /** The event's start as the form holds it (`yyyy-MM-dd…`): its weekday and date shape the choices. */
  start: string;
  /** The agenda's language, for the weekdays' names and, unless `messages` are given, the words. */
  locale: string;
  /** Whether the fields take input. @default false */
  disabled?: boolean;
  /**
   * The words.
   * @default the French or English ones, after `locale`
   */
  messages?: RecurrenceMessages;
}

const fill = (message: string, values: Record<string, string>) =>
  message.replace(/\{(\w+)\}/g, (mark, name: string) => values[name] ?? mark);

// 2024-01-01 was a Monday: the weekdays' names in the agenda's locale, Monday first.
const weekdayNames = (locale: string, weekday: "short" | "long") =>
  [0, 1, 2, 3, 4, 5, 6].map((index) =>
    new Intl.DateTimeFormat(locale, { weekday, timeZone: "UTC" }).format(Date.UTC(2024, 0, 1 + index)),
  );

/**
 * The repetition of an event: daily, weekly on chosen days, monthly by date or by weekday, yearly;
 * ending never, on a date or after a number of times. Composes the RRULE itself (the server expands
 * it). Ships in `@crm-agenda/ui/recurrence`, outside the main entry; the host hands it to the agenda:
 * `<AgendaProvider recurrenceFields={RecurrenceFields}>`. Class `agenda-recurrence`.
 */
export function RecurrenceFields(props: RecurrenceFieldsProps) {
  const { value, onChange, start, locale, disabled } = props;
  const messages =
    props.messages ?? (locale.startsWith("fr") ? frenchRecurrenceMessages : englishRecurrenceMessages);
  const id = useId();
  const [choice, setChoice] = useState(() => readRecurrence(value));
  if (choice === undefined) return <p className="agenda-recurrence">{value}</p>;
  const short = weekdayNames(locale, "short");
  const long = weekdayNames(locale, "long");
  const { weekday, day, rank } = startParts(start);
  const ordinals = messages.repeatOrdinals.split(",");
  const update = (change: Partial<RecurrenceChoice>) => {
    const next = { ...choice, ...change };
    setChoice(next);
    onChange(composeRecurrence(next, start));
  };
  const select = (
    name: string,
    current: string,
    options: [string, string][],
    pick: (value: string) => void,
  ) => (
    <select
      id={`${id}-${name}`}
      className="agenda-input"
      value={current}
      disabled={disabled}
      onChange={(event) => pick(event.target.value)}
    >
      {options.map(([key, label]) => (
        <option key={key} value={key}>
          {label}
        </option>
      ))}
    </select>
  );
  const days = choice.weekdays.length > 0 ? choice.weekdays : [weekday];
  return (
    <fieldset className="agenda-recurrence agenda-field" disabled={disabled}>
      <label className="agenda-label" htmlFor={`${id}-frequency`}>
        {messages.repeat}
      </label>
      {select(
        "frequency",
        choice.frequency,
        [
          ["none", messages.repeatNone],
          ["daily", messages.repeatDaily],
          ["weekly", messages.repeatWeekly],
          ["monthly", messages.repeatMonthly],
          ["yearly", messages.repeatYearly],
        ],
        (frequency) => update({ frequency: frequency as RecurrenceChoice["frequency"] }),
      )}
      {choice.frequency === "weekly" ? (
        <div className="agenda-recurrence-days">
          {short.map((name, index) => (
            <label key={name} title={long[index]}>
              <input
                type="checkbox"
                checked={days.includes(index)}
                onChange={(event) =>
                  update({
                    weekdays: event.target.checked
                      ? [...days, index]
                      : days.filter((chosen) => chosen !== index),
                  })
                }
              />
              {name}
            </label>
          ))}
        </div>
      ) : null}
      {choice.frequency === "monthly"
        ? select(
            "monthly",
            choice.monthlyBy,
            [
              ["date", fill(messages.repeatOnDay, { day: String(day) })],
              [
                "weekday",
                fill(messages.repeatOnWeekday, {
                  nth: ordinals[rank < 0 ? 4 : rank - 1] ?? "",
                  weekday: long[weekday] ?? "",
                }),
              ],
            ],
            (monthlyBy) => update({ monthlyBy: monthlyBy as RecurrenceChoice["monthlyBy"] }),
          )
        : null}
      {choice.frequency === "none" ? null : (
        <div className="agenda-field-row">
          <label className="agenda-label" htmlFor={`${id}-ends`}>
            {messages.repeatEnds}
          </label>
          {select(
            "ends",
            choice.ends,
            [
              ["never", messages.repeatEndsNever],
              ["until", messages.repeatEndsOn],
              ["count", messages.repeatEndsAfter],
            ],
            (ends) => update({ ends: ends as RecurrenceChoice["ends"] }),
          )}
          {choice.ends === "until" ? (
            <input
              type="date"
              className="agenda-input"
              aria-label={messages.repeatEndsOn}
              value={choice.until}
              onChange={(event) => update({ until: event.target.value })}
            />
          ) : choice.ends === "count" ? (
            <input
              type="number"
              min={1}
              max={999}
              className="agenda-input"
              aria-label={messages.repeatCount}
              value={choice.count}
              onChange={(event) => update({ count: Number(event.target.value) })}
            />
          ) : null}
        </div>
      )}
    </fieldset>
  );
}
