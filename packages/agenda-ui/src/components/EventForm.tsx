import type {
  Attendee,
  CalendarEvent,
  Connection,
  CreateEventInput,
  UpdateEventInput,
} from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { addDays, addMinutes } from "date-fns";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { useAgendaSettings, useRecurrenceFields } from "../AgendaProvider";
import { isAgendaRequestError } from "../client/AgendaRequestError";
import { getDateFormats, toIsoDate, toIsoDateTime } from "../date/dateFormats";
import { describeConference, describeError, fillMessage } from "../messages/describeMessages";
import { useConnections } from "../queries/useConnections";
import { useCreateEvent, useDeleteEvent, useUpdateEvent } from "../queries/useEventMutations";
import { DateTimeInput } from "./DateTimeInput";
import { TimeZonePicker } from "./TimeZonePicker";
import { useSeriesScope } from "./useSeriesScope";

/** The times a new event starts with, e.g. from the slot that was clicked. */
export interface NewEventDraft {
  /** When it starts. */
  start: Date;
  /** When it ends (exclusive; for all-day events, the midnight after the last day). */
  end: Date;
  /** @default false */
  allDay?: boolean;
}

/** Props of {@link EventForm}. */
export interface EventFormProps {
  /** The event to edit; leave it out to create one from `draft`. */
  event?: CalendarEvent;
  /** Start and end of a new event; read only when `event` is absent. */
  draft?: NewEventDraft;
  /** Called once the server has saved or deleted the event, e.g. to close the dialog. */
  onDone?: () => void;
  /** Called when the person gives up, e.g. to close the dialog. */
  onCancel?: () => void;
  /** Shown between the fields and the buttons, e.g. the client and call-summary sections. */
  children?: ReactNode;
}

type FieldName =
  | "title"
  | "start"
  | "end"
  | "allDay"
  | "location"
  | "description"
  | "attendees"
  | "conference"
  | "timeZone";
type FieldErrors = Partial<Record<FieldName, string>>;

interface FormValues {
  title: string;
  allDay: boolean;
  /** `yyyy-MM-ddTHH:mm` for timed events, `yyyy-MM-dd` (the last day, inclusive) for all-day ones. */
  start: string;
  end: string;
  location: string;
  description: string;
  attendees: string;
  /** The video call a new event asks for, or "" for none. */
  conference: "" | ConferenceChoice;
  /** The event's own IANA zone, in which `start` and `end` are written. */
  timeZone: string;
  /** The last start that read as a date: while one is typed, the end keeps its distance from it. */
  validStart: string;
}

/** The calls the server can make for a new event: a Zoom meeting, or a Meet link through Google Calendar. */
type ConferenceChoice = "zoom" | "meet";

/**
 * The calls a new event can ask for with the user's accounts: Zoom with an active Zoom connection, Meet
 * with an active Google connection that receives the CRM's events (the link is made there).
 */
function conferenceChoices(connections: readonly Connection[]): ConferenceChoice[] {
  const active = connections.filter((connection) => connection.status === "active");
  const choices: ConferenceChoice[] = [];
  if (active.some((connection) => connection.provider === "zoom")) choices.push("zoom");
  if (active.some((connection) => connection.provider === "google" && connection.pushCrmEvents))
    choices.push("meet");
  return choices;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The form to create, edit and delete an event: title, start, end, all day, location, description,
 * attendees' e-mails and, for a new event, a video call (a Zoom meeting, or a Meet link through
 * Google, offered when those accounts are connected). Saves through {@link useCreateEvent} /
 * {@link useUpdateEvent}, deletes through {@link useDeleteEvent}; the server's validation messages
 * show under the field they name.
 * Class `agenda-event-form`; each field `agenda-field`, with `data-invalid` when it has an error.
 */
export function EventForm({ event, draft, onDone, onCancel, children }: EventFormProps) {
  const { timeZone, locale, messages } = useAgendaSettings();
  const formId = useId();
  const [values, setValues] = useState<FormValues>(() => initialValues(event, draft, timeZone));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [recurrence, setRecurrence] = useState(event?.recurrence ?? null);
  const series = useSeriesScope();
  const RecurrenceFields = useRecurrenceFields();
  const createEvent = useCreateEvent();
  const updateEvent = useUpdateEvent();
  const deleteEvent = useDeleteEvent();
  const connections = useConnections();
  const choices = event === undefined ? conferenceChoices(connections.data?.connections ?? []) : [];
  const saving = createEvent.isPending || updateEvent.isPending;
  const busy = saving || deleteEvent.isPending;
  const zone = values.timeZone;

  const showFailure = (error: unknown) => {
    const issues = isAgendaRequestError(error) ? error.validationIssues : [];
    const byField: FieldErrors = {};
    const unplaced: string[] = [];
    for (const issue of issues) {
      const field = fieldOfPath(issue.path);
      if (field === undefined) unplaced.push(issue.message);
      else byField[field] ??= issue.message;
    }
    setFieldErrors(byField);
    setFormError([describeError(error, messages), ...unplaced].join(" "));
  };

  const change = <Name extends keyof FormValues>(name: Name, value: FormValues[Name]) => {
    setValues((previous) => {
      const next = { ...previous, [name]: value };
      if (name === "start") {
        next.end = keepDuration({ ...previous, start: previous.validStart }, next.start);
        if (parseLocal(next.start, "UTC") !== undefined) next.validStart = next.start;
      }
      if (name === "allDay") {
        next.start = convertInput(previous.start, previous.allDay, next.allDay);
        next.end = convertInput(previous.end, previous.allDay, next.allDay);
        next.validStart = convertInput(previous.validStart, previous.allDay, next.allDay);
      }
      return next;
    });
    setFieldErrors((previous) => ({ ...previous, [name]: undefined }));
  };

  const submit = async (submitEvent: FormEvent<HTMLFormElement>) => {
    submitEvent.preventDefault();
    setFormError(null);
    const checked = checkValues(values, zone, messages);
    setFieldErrors(checked.errors);
    if (checked.input === undefined) return;
    try {
      if (event === undefined) {
        await createEvent.mutateAsync({ ...checked.input, ...(recurrence && { recurrence }) });
      } else {
        const changes = changedFields(event, checked.input);
        if (recurrence !== (event.recurrence ?? null)) changes.recurrence = recurrence;
        const scope =
          event.seriesId && Object.keys(changes).length > 0 && (await series.ask(!("recurrence" in changes)));
        if (scope === null) return;
        if (scope) changes.scope = scope;
        if (Object.keys(changes).length > 0) await updateEvent.mutateAsync({ id: event.id, changes });
      }
      onDone?.();
    } catch (error) {
      showFailure(error);
    }
  };

  const remove = async () => {
    if (event === undefined) return;
    if (!confirmingDelete) {
      setConfirmingDelete(true);
      return;
    }
    setFormError(null);
    const scope = event.seriesId ? await series.ask() : undefined;
    if (scope === null) return;
    try {
      await deleteEvent.mutateAsync({ id: event.id, ...(scope && { scope }) });
      onDone?.();
    } catch (error) {
      setConfirmingDelete(false);
      showFailure(error);
    }
  };

  const field = (name: FieldName) => {
    const error = fieldErrors[name];
    const errorId = `${formId}-${name}-error`;
    return {
      id: `${formId}-${name}`,
      errorId,
      error,
      inputProps: {
        id: `${formId}-${name}`,
        name,
        "aria-invalid": error === undefined ? undefined : true,
        "aria-describedby": error === undefined ? undefined : errorId,
        disabled: busy,
      },
    };
  };
  const title = field("title");
  const start = field("start");
  const end = field("end");
  const location = field("location");
  const description = field("description");
  const attendees = field("attendees");
  const allDay = field("allDay");
  const conference = field("conference");
  const zoneField = field("timeZone");
  const dateTimeProps = {
    allDay: values.allDay,
    locale,
    datePlaceholder: messages.datePlaceholder,
    timePlaceholder: messages.timePlaceholder,
  };
  const shownStart = parseLocal(values.start, zone);
  const shownEnd = parseLocal(values.end, zone);
  const agendaFormats = getDateFormats(locale, timeZone);

  return (
    <form className="agenda-event-form" onSubmit={submit} noValidate lang={locale}>
      <Field label={messages.fieldTitle} {...title}>
        <input
          {...title.inputProps}
          className="agenda-input agenda-input-title"
          value={values.title}
          onChange={(changeEvent) => change("title", changeEvent.target.value)}
          autoComplete="off"
          required
        />
      </Field>

      <div className="agenda-field-row">
        <Field label={messages.fieldStart} {...start}>
          <DateTimeInput
            {...dateTimeProps}
            inputProps={start.inputProps}
            timeLabel={fillMessage(messages.timeOfField, { field: messages.fieldStart })}
            value={values.start}
            onChange={(value) => change("start", value)}
          />
        </Field>
        <Field label={messages.fieldEnd} {...end}>
          <DateTimeInput
            {...dateTimeProps}
            inputProps={end.inputProps}
            timeLabel={fillMessage(messages.timeOfField, { field: messages.fieldEnd })}
            value={values.end}
            onChange={(value) => change("end", value)}
          />
        </Field>
      </div>
      {zone === timeZone || values.allDay || shownStart === undefined || shownEnd === undefined ? null : (
        <p className="agenda-field-hint agenda-event-zone-note">
          {fillMessage(messages.eventZoneNote, {
            zone,
            when: `${agendaFormats.dayAndMonth(shownStart)} ${agendaFormats.time(shownStart)} – ${agendaFormats.time(shownEnd)}`,
            agendaZone: timeZone,
          })}
        </p>
      )}

      <div className="agenda-field agenda-field-checkbox">
        <input
          {...allDay.inputProps}
          type="checkbox"
          className="agenda-checkbox"
          checked={values.allDay}
          onChange={(changeEvent) => change("allDay", changeEvent.target.checked)}
        />
        <label htmlFor={allDay.id}>{messages.fieldAllDay}</label>
      </div>

      {values.allDay ? null : (
        <Field label={messages.fieldTimeZone} {...zoneField}>
          <TimeZonePicker
            id={zoneField.id}
            value={values.timeZone}
            onChange={(value) => change("timeZone", value)}
            disabled={busy}
            label={messages.fieldTimeZone}
            noMatch={messages.timeZoneNoMatch}
          />
        </Field>
      )}

      <Field label={messages.fieldLocation} {...location}>
        <input
          {...location.inputProps}
          className="agenda-input"
          value={values.location}
          onChange={(changeEvent) => change("location", changeEvent.target.value)}
        />
      </Field>

      {choices.length === 0 ? null : (
        <Field label={messages.fieldConference} {...conference}>
          <select
            {...conference.inputProps}
            className="agenda-input"
            value={values.conference}
            onChange={(changeEvent) =>
              change("conference", changeEvent.target.value as FormValues["conference"])
            }
          >
            <option value="">{messages.conferenceNone}</option>
            {choices.map((provider) => (
              <option key={provider} value={provider}>
                {describeConference(provider, messages)}
              </option>
            ))}
          </select>
        </Field>
      )}

      <Field label={messages.fieldAttendees} hint={messages.attendeesHint} {...attendees}>
        <textarea
          {...attendees.inputProps}
          aria-describedby={[attendees.inputProps["aria-describedby"], `${attendees.id}-hint`]
            .filter(Boolean)
            .join(" ")}
          className="agenda-input agenda-textarea"
          rows={2}
          value={values.attendees}
          onChange={(changeEvent) => change("attendees", changeEvent.target.value)}
          placeholder="nom@exemple.fr"
        />
      </Field>

      <Field label={messages.fieldDescription} {...description}>
        <textarea
          {...description.inputProps}
          className="agenda-input agenda-textarea"
          rows={3}
          value={values.description}
          onChange={(changeEvent) => change("description", changeEvent.target.value)}
        />
      </Field>

      {RecurrenceFields && (event === undefined || event.source === "crm") ? (
        <RecurrenceFields
          {...{ value: recurrence, onChange: setRecurrence, start: values.start, locale }}
          disabled={busy}
        />
      ) : null}
      {series.dialog}

      {children}

      {formError === null ? null : (
        <p className="agenda-form-error" role="alert">
          {formError}
        </p>
      )}

      <div className="agenda-form-actions">
        {event === undefined ? null : (
          <button
            type="button"
            className="agenda-button agenda-button-danger"
            onClick={remove}
            onBlur={() => setConfirmingDelete(false)}
            disabled={busy}
            data-confirming={confirmingDelete || undefined}
          >
            {deleteEvent.isPending
              ? messages.deleting
              : confirmingDelete
                ? messages.confirmDelete
                : messages.delete}
          </button>
        )}
        <span className="agenda-form-actions-spacer" />
        <button type="button" className="agenda-button" onClick={onCancel} disabled={busy}>
          {messages.cancel}
        </button>
        <button type="submit" className="agenda-button agenda-button-primary" disabled={busy}>
          {saving ? messages.saving : messages.save}
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  id: string;
  errorId: string;
  error: string | undefined;
  children: ReactNode;
}

function Field({ label, hint, id, errorId, error, children }: FieldProps) {
  return (
    <div className="agenda-field" data-invalid={error === undefined ? undefined : true}>
      <label className="agenda-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint === undefined ? null : (
        <p className="agenda-field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error === undefined ? null : (
        <p className="agenda-field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

function initialValues(
  event: CalendarEvent | undefined,
  draft: NewEventDraft | undefined,
  timeZone: string,
): FormValues {
  if (event !== undefined) {
    const zone = event.timeZone;
    const start = new TZDate(event.start, zone);
    const end = new TZDate(event.end, zone);
    const shownStart = (event.allDay ? toIsoDate : toIsoDateTime)(start);
    return {
      title: event.title,
      allDay: event.allDay,
      start: shownStart,
      validStart: shownStart,
      // The form shows an all-day event's last day; the server stores the midnight after it.
      end: event.allDay ? toIsoDate(addDays(end, -1)) : toIsoDateTime(end),
      location: event.location ?? "",
      description: event.description ?? "",
      attendees: event.attendees.map((attendee) => attendee.email).join(", "),
      conference: "",
      timeZone: zone,
    };
  }
  const start = new TZDate(draft?.start ?? new Date(), timeZone);
  const end = new TZDate(draft?.end ?? addMinutes(start, 60), timeZone);
  const allDay = draft?.allDay ?? false;
  const shownStart = (allDay ? toIsoDate : toIsoDateTime)(start);
  return {
    title: "",
    allDay,
    start: shownStart,
    validStart: shownStart,
    end: allDay ? toIsoDate(addDays(end, -1)) : toIsoDateTime(end),
    location: "",
    description: "",
    attendees: "",
    conference: "",
    timeZone,
  };
}

/** Reads `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm` as a wall-clock time in `timeZone`. */
function parseLocal(value: string, timeZone: string): TZDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hours = "0", minutes = "0"] = match;
  return new TZDate(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), timeZone);
}

/** Moving the start moves the end with it, as in every calendar, so the duration stays. */
function keepDuration(previous: FormValues, nextStart: string): string {
  const oldStart = parseLocal(previous.start, "UTC");
  const oldEnd = parseLocal(previous.end, "UTC");
  const newStart = parseLocal(nextStart, "UTC");
  if (oldStart === undefined || oldEnd === undefined || newStart === undefined) return previous.end;
  const newEnd = new TZDate(newStart.getTime() + (oldEnd.getTime() - oldStart.getTime()), "UTC");
  return (previous.allDay ? toIsoDate : toIsoDateTime)(newEnd);
}

function convertInput(value: string, wasAllDay: boolean, isAllDay: boolean): string {
  if (wasAllDay === isAllDay) return value;
  return isAllDay ? value.slice(0, 10) : `${value.slice(0, 10)}T09:00`;
}

function splitEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((email) => email.trim())
    .filter((email) => email !== "");
}

function checkValues(
  values: FormValues,
  timeZone: string,
  messages: ReturnType<typeof useAgendaSettings>["messages"],
): { errors: FieldErrors; input?: CreateEventInput } {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (title === "") errors.title = messages.titleRequired;
  const start = parseLocal(values.start, timeZone);
  const lastMoment = parseLocal(values.end, timeZone);
  if (start === undefined) errors.start = messages.invalidDate;
  // An all-day event's end is the midnight after the last day shown in the form.
  const end = lastMoment === undefined ? undefined : values.allDay ? addDays(lastMoment, 1) : lastMoment;
  if (end === undefined) errors.end = messages.invalidDate;
  else if (start !== undefined && end.getTime() <= start.getTime()) errors.end = messages.endBeforeStart;
  const emails = splitEmails(values.attendees);
  const invalid = emails.find((email) => !emailPattern.test(email));
  if (invalid !== undefined) errors.attendees = fillMessage(messages.invalidEmail, { email: invalid });
  if (Object.keys(errors).length > 0 || start === undefined || end === undefined) return { errors };
  return {
    errors,
    input: {
      title,
      start: start.toISOString(),
      end: end.toISOString(),
      allDay: values.allDay,
      timeZone,
      location: values.location.trim() === "" ? null : values.location.trim(),
      description: values.description.trim() === "" ? null : values.description,
      attendees: emails.map((email) => ({ email })),
      ...(values.conference !== "" && { conference: { provider: values.conference } }),
    },
  };
}

/** Only what changed, so an edit never overwrites a field someone else changed meanwhile. */
function changedFields(event: CalendarEvent, input: CreateEventInput): UpdateEventInput {
  const changes: UpdateEventInput = {};
  if (input.title !== event.title) changes.title = input.title;
  if (Date.parse(input.start) !== Date.parse(event.start)) changes.start = input.start;
  if (Date.parse(input.end) !== Date.parse(event.end)) changes.end = input.end;
  if ((input.allDay ?? false) !== event.allDay) changes.allDay = input.allDay;
  if ((input.location ?? null) !== event.location) changes.location = input.location ?? null;
  if ((input.description ?? null) !== event.description) changes.description = input.description ?? null;
  const emails = (input.attendees ?? []).map((attendee) => attendee.email.toLowerCase());
  const previousEmails = event.attendees.map((attendee) => attendee.email.toLowerCase());
  if (emails.join(",") !== previousEmails.join(",")) {
    // Keep the names and answers of attendees who stay.
    changes.attendees = (input.attendees ?? []).map(
      (attendee): Attendee =>
        event.attendees.find((existing) => existing.email.toLowerCase() === attendee.email.toLowerCase()) ?? {
          email: attendee.email,
          responseStatus: "needsAction",
        },
    );
  }
  if (
    changes.start !== undefined ||
    changes.end !== undefined ||
    changes.allDay !== undefined ||
    input.timeZone !== event.timeZone
  ) {
    changes.timeZone = input.timeZone;
  }
  return changes;
}

function fieldOfPath(path: string): FieldName | undefined {
  const first = path.split(".")[0];
  switch (first) {
    case "title":
    case "start":
    case "end":
    case "allDay":
    case "location":
    case "description":
    case "attendees":
    case "conference":
      return first;
    case "timeZone":
      return "timeZone";
    default:
      return undefined;
  }
}
