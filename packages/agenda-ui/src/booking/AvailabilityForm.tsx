import type { AvailabilitySettings, Weekday } from "@crm-agenda/shared";
import { type FormEvent, useId, useMemo, useState } from "react";
import { fillMessage } from "../messages/describeMessages";
import type { BookingMessages } from "./bookingMessages";
import { listTimeZones } from "./groupSlotsByDay";

/** When a user can be booked, as `GET /availability/settings` answers it. */
export type AvailabilityFormValue = AvailabilitySettings;

/** Props of {@link AvailabilityForm}. */
export interface AvailabilityFormProps {
  value: AvailabilityFormValue;
  onSave(value: AvailabilityFormValue): Promise<void>;
  locale: "fr" | "en";
  messages: BookingMessages;
}

const weekdays: readonly Weekday[] = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
];

/** Working hours per weekday, time zone, buffers, minimum notice and daily cap, saved together. */
export function AvailabilityForm({ value, onSave, locale, messages }: AvailabilityFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [state, setState] = useState<"idle" | "saving" | "saved" | "failed">("idle");
  const zones = useMemo(() => listTimeZones(draft.timeZone), [draft.timeZone]);
  const dayName = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" });
  // 2026-11-30 is a Monday: the nth weekday of the list is that date plus n days.
  const nameOf = (day: Weekday) => dayName.format(new Date(Date.UTC(2026, 10, 30 + weekdays.indexOf(day))));

  // The form edits a day's first interval; any further ones (set through the API) are kept as they are.
  const setDay = (day: Weekday, hours: { start: string; end: string } | null) =>
    setDraft({
      ...draft,
      workingHours: {
        ...draft.workingHours,
        [day]: hours ? [hours, ...draft.workingHours[day].slice(1)] : [],
      },
    });
  const minutesField = (
    field: "bufferBeforeMinutes" | "bufferAfterMinutes" | "minimumNoticeMinutes",
    label: string,
  ) => (
    <>
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        id={`${id}-${field}`}
        type="number"
        min={0}
        max={field === "minimumNoticeMinutes" ? 43_200 : 240}
        value={draft[field]}
        onChange={(event) => setDraft({ ...draft, [field]: Number(event.target.value) })}
      />
    </>
  );

  async function save(event: FormEvent) {
    event.preventDefault();
    setState("saving");
    try {
      await onSave(draft);
      setState("saved");
    } catch {
      setState("failed");
    }
  }

  return (
    <form className="agenda-availability-form" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{messages.availabilityHeading}</h2>
      <label htmlFor={`${id}-zone`}>{messages.timeZone}</label>
      <select
        id={`${id}-zone`}
        value={draft.timeZone}
        onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })}
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{messages.workingHours}</legend>
        {weekdays.map((day) => {
          const hours = draft.workingHours[day][0] ?? null;
          return (
            <div key={day} className="agenda-availability-day" role="group" aria-label={nameOf(day)}>
              <label>
                <input
                  type="checkbox"
                  checked={hours !== null}
                  onChange={(event) =>
                    setDay(day, event.target.checked ? { start: "09:00", end: "17:00" } : null)
                  }
                />
                {nameOf(day)}
              </label>
              {hours ? (
                <>
                  <label>
                    {messages.from}
                    <input
                      type="time"
                      value={hours.start}
                      onChange={(event) => setDay(day, { ...hours, start: event.target.value })}
                    />
                  </label>
                  <label>
                    {messages.to}
                    <input
                      type="time"
                      value={hours.end}
                      onChange={(event) => setDay(day, { ...hours, end: event.target.value })}
                    />
                  </label>
                </>
              ) : (
                <span className="agenda-booking-hint">
                  {fillMessage(messages.dayOff, { day: nameOf(day) })}
                </span>
              )}
            </div>
          );
        })}
      </fieldset>
      {minutesField("bufferBeforeMinutes", messages.bufferBefore)}
      {minutesField("bufferAfterMinutes", messages.bufferAfter)}
      {minutesField("minimumNoticeMinutes", messages.minimumNotice)}
      <label htmlFor={`${id}-cap`}>{messages.dailyCap}</label>
      <input
        id={`${id}-cap`}
        type="number"
        min={1}
        max={100}
        value={draft.dailyCap ?? ""}
        aria-describedby={`${id}-cap-hint`}
        onChange={(event) =>
          setDraft({ ...draft, dailyCap: event.target.value === "" ? null : Number(event.target.value) })
        }
      />
      <p id={`${id}-cap-hint`} className="agenda-booking-hint">
        {messages.dailyCapHint}
      </p>
      <button type="submit" disabled={state === "saving"}>
        {messages.save}
      </button>
      <p role="status">{state === "saved" ? messages.saved : state === "failed" ? messages.failed : ""}</p>
    </form>
  );
}
