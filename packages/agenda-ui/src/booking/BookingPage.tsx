import type { BookingConfirmation, BookingSlot, PublicBookingType } from "@crm-agenda/shared";
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { fillMessage } from "../messages/describeMessages";
import { type BookingMessages, bookingMessagesFor } from "./bookingMessages";
import { browserTimeZone, describeBookingError, icsFileName, icsHref } from "./describeBookingError";
import { formatSlotWhen } from "./groupSlotsByDay";
import { SlotPicker } from "./SlotPicker";
import { useBookingClient } from "./useBookingClient";

/** Props shared by the public booking pages. */
export interface PublicBookingProps {
  /** Where the host mounted the agenda router, e.g. `/api/agenda`. */
  baseUrl: string;
  /** The secret of the link, from the page's address. */
  token: string;
  /**
   * The language of words and dates.
   * @default "fr"
   */
  locale?: "fr" | "en";
  /** Words to change; the rest are the locale's. */
  messages?: Partial<BookingMessages>;
  /**
   * The time zone slots are first shown in; the guest can change it.
   * @default the browser's time zone
   */
  defaultTimeZone?: string;
  /**
   * The fetch requests are sent with; tests and stories pass a fake one.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /** The first week shown starts here; for stories and tests. @default the current time */
  now?: Date;
  /** Added to the root's `agenda-root agenda-booking` classes. */
  className?: string;
}

/** Props of {@link BookingPage}. */
export interface BookingPageProps extends PublicBookingProps {
  /**
   * The address of the guest's page to cancel or reschedule (where the host renders
   * `<GuestBookingPage token={…}>`), made from the secret the booking answers; shown on the
   * confirmation. Left out, the confirmation shows no such link.
   */
  manageUrl?: (manageToken: string) => string;
}

/**
 * The public page of a booking link: the guest sees the free slots in their own time zone, picks
 * one, gives their name, e-mail and the answers the booking type asks for, and gets a confirmation
 * with an .ics file and, with `manageUrl`, their link to cancel or reschedule.
 */
export function BookingPage(props: BookingPageProps) {
  const { baseUrl, token, locale = "fr", fetch } = props;
  const messages = useMemo(() => bookingMessagesFor(locale, props.messages), [locale, props.messages]);
  const client = useBookingClient(baseUrl, fetch);
  const [timeZone, setTimeZone] = useState(() => props.defaultTimeZone ?? browserTimeZone());
  const [type, setType] = useState<
    | { status: "loading" }
    | { status: "failed"; message: string }
    | { status: "ready"; type: PublicBookingType }
  >({ status: "loading" });
  const [slot, setSlot] = useState<BookingSlot | null>(null);
  const [confirmation, setConfirmation] = useState<BookingConfirmation | null>(null);
  const [pickerKey, setPickerKey] = useState(0);

  useEffect(() => {
    let current = true;
    client.request("getPublicBookingType", { params: { token } }).then(
      (loaded) => current && setType({ status: "ready", type: loaded }),
      (error: unknown) =>
        current &&
        setType({ status: "failed", message: describeBookingError(error, messages, "linkNotFound") }),
    );
    return () => {
      current = false;
    };
  }, [client, token, messages]);

  const loadSlots = useCallback(
    async (range: { from: string; to: string }) =>
      (await client.request("listPublicBookingSlots", { params: { token }, query: range })).slots,
    [client, token],
  );

  const className = ["agenda-root agenda-booking", props.className].filter(Boolean).join(" ");
  if (type.status !== "ready") {
    return (
      <div className={className} lang={locale}>
        <p role={type.status === "failed" ? "alert" : "status"}>
          {type.status === "failed" ? type.message : messages.loading}
        </p>
      </div>
    );
  }

  return (
    <div className={className} lang={locale}>
      <header className="agenda-booking-header">
        <h1>{type.type.title}</h1>
        <p>
          {fillMessage(messages.duration, { minutes: String(type.type.durationMinutes) })}
          {type.type.video && ` · ${type.type.video === "zoom" ? messages.videoZoom : messages.videoMeet}`}
        </p>
        {type.type.description && <p className="agenda-booking-description">{type.type.description}</p>}
      </header>
      {confirmation ? (
        <Confirmation
          confirmation={confirmation}
          timeZone={timeZone}
          locale={locale}
          messages={messages}
          manageUrl={props.manageUrl}
        />
      ) : slot ? (
        <GuestForm
          type={type.type}
          slot={slot}
          timeZone={timeZone}
          locale={locale}
          messages={messages}
          onChangeSlot={() => setSlot(null)}
          onTaken={() => {
            setSlot(null);
            setPickerKey(pickerKey + 1);
          }}
          book={(input) => client.request("bookThroughLink", { params: { token }, body: input })}
          onBooked={setConfirmation}
        />
      ) : (
        <SlotPicker
          key={pickerKey}
          loadSlots={loadSlots}
          timeZone={timeZone}
          onTimeZoneChange={setTimeZone}
          onPick={setSlot}
          locale={locale}
          messages={messages}
          describeFailure={(error) => describeBookingError(error, messages, "linkNotFound")}
          {...(props.now && { now: props.now })}
        />
      )}
    </div>
  );
}

interface GuestFormProps {
  type: PublicBookingType;
  slot: BookingSlot;
  timeZone: string;
  locale: "fr" | "en";
  messages: BookingMessages;
  onChangeSlot(): void;
  onTaken(): void;
  book(input: {
    start: string;
    name: string;
    email: string;
    answers: Record<string, string>;
    timeZone: string;
  }): Promise<BookingConfirmation>;
  onBooked(confirmation: BookingConfirmation): void;
}

function GuestForm(props: GuestFormProps) {
  const { type, slot, timeZone, locale, messages } = props;
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const when = formatSlotWhen(slot.start, timeZone, locale);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setFailure(null);
    try {
      props.onBooked(
        await props.book({
          start: slot.start,
          name: text("name"),
          email: text("email"),
          answers: Object.fromEntries(
            type.questions
              .map((question) => [question.id, text(`answer-${question.id}`)])
              .filter(([, value]) => value),
          ),
          timeZone,
        }),
      );
    } catch (error) {
      setBusy(false);
      setFailure(describeBookingError(error, messages, "linkNotFound"));
      setTaken((error as { code?: string }).code === "conflict");
    }
  }

  return (
    <form className="agenda-booking-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} tabIndex={-1} ref={useFocusOnMount()}>
        {fillMessage(messages.yourDetails, { when })}
      </h2>
      <button type="button" onClick={props.onChangeSlot}>
        {messages.changeSlot}
      </button>
      <label htmlFor={`${id}-name`}>{messages.name}</label>
      <input id={`${id}-name`} name="name" required autoComplete="name" maxLength={200} />
      <label htmlFor={`${id}-email`}>{messages.email}</label>
      <input id={`${id}-email`} name="email" type="email" required autoComplete="email" maxLength={320} />
      {type.questions.map((question) => (
        <div key={question.id} className="agenda-booking-question">
          <label htmlFor={`${id}-${question.id}`}>
            {question.label}
            {question.required && <span className="agenda-booking-required"> ({messages.required})</span>}
          </label>
          <textarea
            id={`${id}-${question.id}`}
            name={`answer-${question.id}`}
            required={question.required}
            maxLength={2000}
            rows={3}
          />
        </div>
      ))}
      {failure && (
        <div role="alert">
          <p>{failure}</p>
          {taken && (
            <button type="button" onClick={props.onTaken}>
              {messages.changeSlot}
            </button>
          )}
        </div>
      )}
      <button type="submit" className="agenda-booking-submit" disabled={busy}>
        {busy ? messages.booking : messages.book}
      </button>
    </form>
  );
}

function Confirmation(props: {
  confirmation: BookingConfirmation;
  timeZone: string;
  locale: "fr" | "en";
  messages: BookingMessages;
  manageUrl: BookingPageProps["manageUrl"];
}) {
  const { confirmation, messages } = props;
  const { booking } = confirmation;
  return (
    <section className="agenda-booking-confirmation" aria-labelledby="agenda-booking-confirmed">
      <h2 id="agenda-booking-confirmed" tabIndex={-1} ref={useFocusOnMount()}>
        {messages.confirmed}
      </h2>
      <p>
        {fillMessage(messages.confirmedText, {
          when: formatSlotWhen(booking.start, props.timeZone, props.locale),
          email: booking.email,
        })}
      </p>
      {booking.joinUrl && (
        <p>
          <a href={booking.joinUrl}>{messages.joinCall}</a>
        </p>
      )}
      <p>
        <a href={icsHref(confirmation.ics)} download={icsFileName(props.locale)}>
          {messages.downloadIcs}
        </a>
      </p>
      {props.manageUrl && (
        <p>
          <a href={props.manageUrl(confirmation.manageToken)}>{messages.manageLink}</a>
        </p>
      )}
    </section>
  );
}

/** Moves focus to the element once, when it appears: a screen reader then reads the new step. */
function useFocusOnMount() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
