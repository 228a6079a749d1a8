import { type InputHTMLAttributes, useEffect, useRef, useState } from "react";
import { getDateInputFormat } from "../date/dateInputFormat";
import type { AgendaLocale } from "../messages/AgendaMessages";

/** Props of {@link DateTimeInput}. */
export interface DateTimeInputProps {
  /** `yyyy-MM-ddTHH:mm`, or `yyyy-MM-dd` when `allDay`; "" while what is typed is not a date. */
  value: string;
  allDay: boolean;
  locale: AgendaLocale;
  onChange(value: string): void;
  /** Given to the date field (id, name, aria-*, disabled); the time field gets `aria-label`. */
  inputProps: InputHTMLAttributes<HTMLInputElement>;
  timeLabel: string;
  datePlaceholder: string;
  timePlaceholder: string;
}

/**
 * A date and a time as text fields written and read in the agenda's locale (29/11/2026 and 14:30 in a
 * French agenda, in any browser), rather than native inputs that follow the browser's language.
 * Classes `agenda-input agenda-input-date` and `agenda-input-time`.
 */
export function DateTimeInput(props: DateTimeInputProps) {
  const { value, allDay, locale, onChange, inputProps } = props;
  const format = getDateInputFormat(locale);
  const shown = () => ({
    date: value === "" ? "" : format.formatDate(value.slice(0, 10)),
    time: value.length > 10 ? format.formatTime(value.slice(11, 16)) : "",
  });
  const [text, setText] = useState(shown);
  const emitted = useRef(value);
  // A value set from outside (the end following the start, all day switched) is shown as written.
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(shown());
    }
  });

  const edit = (next: { date: string; time: string }) => {
    setText(next);
    const date = format.parseDate(next.date);
    const time = allDay ? "" : format.parseTime(next.time);
    const canonical = date === undefined || time === undefined ? "" : allDay ? date : `${date}T${time}`;
    emitted.current = canonical;
    onChange(canonical);
  };

  return (
    <span className="agenda-date-time">
      <input
        {...inputProps}
        className="agenda-input agenda-input-date"
        inputMode="numeric"
        autoComplete="off"
        placeholder={props.datePlaceholder}
        value={text.date}
        onChange={(event) => edit({ ...text, date: event.target.value })}
        // What was typed is written back in the locale's pattern once it reads as a date.
        onBlur={() => value !== "" && setText(shown())}
      />
      {allDay ? null : (
        <input
          id={`${inputProps.id}-time`}
          aria-label={props.timeLabel}
          aria-invalid={inputProps["aria-invalid"]}
          aria-describedby={inputProps["aria-describedby"]}
          disabled={inputProps.disabled}
          className="agenda-input agenda-input-time"
          autoComplete="off"
          placeholder={props.timePlaceholder}
          value={text.time}
          onChange={(event) => edit({ ...text, time: event.target.value })}
          onBlur={() => value !== "" && setText(shown())}
        />
      )}
    </span>
  );
}
