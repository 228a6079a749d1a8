import type { BookingQuestion, BookingType, CreateBookingTypeInput } from "@crm-agenda/shared";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import type { AgendaClient } from "../client/createAgendaClient";
import { fillMessage } from "../messages/describeMessages";
import type { BookingMessages } from "./bookingMessages";
import { describeBookingError } from "./describeBookingError";

/** Props of {@link BookingTypesPanel}. */
export interface BookingTypesPanelProps {
  client: AgendaClient;
  messages: BookingMessages;
  /** The public page's address for a link token, e.g. `(token) => \`https://crm.example/book/${token}\``. */
  bookingUrl(token: string): string;
}

/**
 * The signed-in user's booking types, each with its public link to copy or replace, and a form to add
 * one (title, length, video call, questions).
 */
export function BookingTypesPanel({ client, messages, bookingUrl }: BookingTypesPanelProps) {
  const id = useId();
  const [types, setTypes] = useState<BookingType[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      setFailure(null);
      try {
        await work();
        setTypes((await client.request("listBookingTypes")).bookingTypes);
      } catch (error) {
        setFailure(describeBookingError(error, messages, "linkNotFound", "failed"));
      }
    },
    [client, messages],
  );
  useEffect(() => {
    void run(async () => {});
  }, [run]);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const video = String(form.get("video") ?? "");
    const input: CreateBookingTypeInput = {
      title: String(form.get("title") ?? ""),
      durationMinutes: Number(form.get("duration")),
      conference: video === "zoom" || video === "meet" ? { provider: video } : null,
      questions: parseQuestions(String(form.get("questions") ?? "")),
    };
    await run(async () => {
      await client.request("createBookingType", { body: input });
      formElement.reset();
    });
  }

  async function copy(type: BookingType) {
    try {
      await navigator.clipboard.writeText(bookingUrl(type.linkToken));
      setCopied(type.id);
    } catch {
      // No clipboard (an insecure origin, a refused permission): the link stays shown to copy by hand.
      setCopied(null);
    }
  }

  return (
    <section className="agenda-booking-types" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{messages.bookingTypesHeading}</h2>
      {failure && <p role="alert">{failure}</p>}
      {types === null && !failure && <p role="status">{messages.loading}</p>}
      {types?.length === 0 && <p>{messages.bookingTypesEmpty}</p>}
      {types && types.length > 0 && (
        <ul className="agenda-booking-type-list">
          {types.map((type) => (
            <li key={type.id}>
              <strong>{type.title}</strong> ·{" "}
              {fillMessage(messages.duration, { minutes: String(type.durationMinutes) })}
              <div className="agenda-booking-link">
                <input
                  readOnly
                  value={bookingUrl(type.linkToken)}
                  aria-label={fillMessage(messages.linkOf, { title: type.title })}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <button type="button" onClick={() => copy(type)}>
                  {messages.copyLink}
                </button>
                <button
                  type="button"
                  title={messages.renewLinkHint}
                  onClick={() => run(() => client.request("renewBookingLink", { params: { id: type.id } }))}
                >
                  {messages.renewLink}
                </button>
                <button
                  type="button"
                  data-danger=""
                  onClick={() => run(() => client.request("deleteBookingType", { params: { id: type.id } }))}
                >
                  {messages.deleteBookingType}
                </button>
                {copied === type.id && <span role="status">{messages.copied}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
      <form className="agenda-booking-type-form" onSubmit={add}>
        <label htmlFor={`${id}-title`}>{messages.bookingTypeTitle}</label>
        <input id={`${id}-title`} name="title" required maxLength={200} />
        <label htmlFor={`${id}-duration`}>{messages.bookingTypeDuration}</label>
        <input
          id={`${id}-duration`}
          name="duration"
          type="number"
          min={5}
          max={720}
          step={5}
          defaultValue={30}
          required
        />
        <label htmlFor={`${id}-video`}>{messages.bookingTypeVideo}</label>
        <select id={`${id}-video`} name="video" defaultValue="">
          <option value="">{messages.videoNone}</option>
          <option value="zoom">Zoom</option>
          <option value="meet">Google Meet</option>
        </select>
        <label htmlFor={`${id}-questions`}>{messages.bookingTypeQuestions}</label>
        <textarea
          id={`${id}-questions`}
          name="questions"
          rows={3}
          aria-describedby={`${id}-questions-hint`}
        />
        <p id={`${id}-questions-hint`} className="agenda-booking-hint">
          {messages.bookingTypeQuestionsHint}
        </p>
        <button type="submit">{messages.addBookingType}</button>
      </form>
    </section>
  );
}

/** One question a line; a trailing `*` makes it required. */
export function parseQuestions(text: string): BookingQuestion[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 10)
    .map((line, index) => {
      const required = line.endsWith("*");
      return { id: `q${index + 1}`, label: required ? line.slice(0, -1).trim() : line, required };
    });
}
