import type { BookingSlot, GuestBookingAnswer } from "@crm-agenda/shared";
import { useCallback, useEffect, useMemo, useState } from "react";
import { fillMessage } from "../messages/describeMessages";
import type { PublicBookingProps } from "./BookingPage";
import { bookingMessagesFor } from "./bookingMessages";
import { browserTimeZone, describeBookingError, icsFileName, icsHref } from "./describeBookingError";
import { formatSlotWhen } from "./groupSlotsByDay";
import { SlotPicker } from "./SlotPicker";
import { useBookingClient } from "./useBookingClient";

/** Props of {@link GuestBookingPage}: `token` is the guest's secret from their confirmation. */
export type GuestBookingPageProps = PublicBookingProps;

type Mode = "view" | "confirmCancel" | "reschedule";

/**
 * The guest's page of their booking, reached by the signed link of their confirmation without
 * signing in: it shows the appointment, and lets them cancel it or move it to another free slot.
 */
export function GuestBookingPage(props: GuestBookingPageProps) {
  const { baseUrl, token, locale = "fr", fetch } = props;
  const messages = useMemo(() => bookingMessagesFor(locale, props.messages), [locale, props.messages]);
  const client = useBookingClient(baseUrl, fetch);
  const [timeZone, setTimeZone] = useState(() => props.defaultTimeZone ?? browserTimeZone());
  const [answer, setAnswer] = useState<GuestBookingAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>("view");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.request("getGuestBooking", { params: { token } }).then(
      (loaded) => current && setAnswer(loaded),
      (error: unknown) => current && setFailure(describeBookingError(error, messages, "bookingNotFound")),
    );
    return () => {
      current = false;
    };
  }, [client, token, messages]);

  const loadSlots = useCallback(
    async (range: { from: string; to: string }) =>
      (await client.request("listGuestBookingSlots", { params: { token }, query: range })).slots,
    [client, token],
  );

  async function act(work: () => Promise<GuestBookingAnswer>, done: (result: GuestBookingAnswer) => string) {
    setBusy(true);
    setFailure(null);
    try {
      const result = await work();
      setAnswer(result);
      setNotice(done(result));
      setMode("view");
    } catch (error) {
      setFailure(
        describeBookingError(
          error,
          messages,
          "bookingNotFound",
          mode === "reschedule" ? "slotTaken" : "failed",
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  const cancel = () =>
    act(
      () => client.request("cancelGuestBooking", { params: { token } }),
      () => messages.cancelledText,
    );
  const move = (slot: BookingSlot) =>
    act(
      () =>
        client.request("rescheduleGuestBooking", {
          params: { token },
          body: { start: slot.start, timeZone },
        }),
      (result) =>
        fillMessage(messages.rescheduled, { when: formatSlotWhen(result.booking.start, timeZone, locale) }),
    );

  const className = ["agenda-root agenda-booking", props.className].filter(Boolean).join(" ");
  if (!answer) {
    return (
      <div className={className} lang={locale}>
        <p role={failure ? "alert" : "status"}>{failure ?? messages.loading}</p>
      </div>
    );
  }
  const { booking, ics } = answer;
  const cancelled = booking.status === "cancelled";

  return (
    <div className={className} lang={locale}>
      <header className="agenda-booking-header">
        <h1>{messages.yourBooking}</h1>
        <p>
          <strong>{booking.title}</strong> · {formatSlotWhen(booking.start, timeZone, locale)} ·{" "}
          {fillMessage(messages.duration, { minutes: String(booking.durationMinutes) })}
        </p>
        {cancelled && <p data-cancelled="">{messages.cancelled}</p>}
      </header>
      <div aria-live="polite">{notice && <p role="status">{notice}</p>}</div>
      {failure && <p role="alert">{failure}</p>}
      {!cancelled && mode === "view" && (
        <div className="agenda-booking-actions">
          {booking.joinUrl && <a href={booking.joinUrl}>{messages.joinCall}</a>}
          {ics && (
            <a href={icsHref(ics)} download={icsFileName(locale)}>
              {messages.downloadIcs}
            </a>
          )}
          <button type="button" onClick={() => setMode("reschedule")}>
            {messages.reschedule}
          </button>
          <button type="button" onClick={() => setMode("confirmCancel")}>
            {messages.cancelBooking}
          </button>
        </div>
      )}
      {!cancelled && mode === "confirmCancel" && (
        <div className="agenda-booking-actions" role="group" aria-label={messages.cancelBooking}>
          <button type="button" data-danger="" onClick={cancel} disabled={busy}>
            {messages.cancelConfirm}
          </button>
          <button type="button" onClick={() => setMode("view")} disabled={busy}>
            {messages.keepBooking}
          </button>
        </div>
      )}
      {!cancelled && mode === "reschedule" && (
        <section aria-label={messages.rescheduleTitle}>
          <h2>{messages.rescheduleTitle}</h2>
          <button type="button" onClick={() => setMode("view")}>
            {messages.keepBooking}
          </button>
          <SlotPicker
            loadSlots={loadSlots}
            timeZone={timeZone}
            onTimeZoneChange={setTimeZone}
            onPick={(slot) => {
              if (!busy) void move(slot);
            }}
            locale={locale}
            messages={messages}
            describeFailure={(error) => describeBookingError(error, messages, "bookingNotFound")}
            {...(props.now && { now: props.now })}
          />
        </section>
      )}
    </div>
  );
}
