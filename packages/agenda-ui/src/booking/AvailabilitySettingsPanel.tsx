import type { AvailabilitySettings } from "@crm-agenda/shared";
import { useEffect, useMemo, useState } from "react";
import { AvailabilityForm } from "./AvailabilityForm";
import { BookingTypesPanel } from "./BookingTypesPanel";
import { type BookingMessages, bookingMessagesFor } from "./bookingMessages";
import { describeBookingError } from "./describeBookingError";
import { useBookingClient } from "./useBookingClient";

/** Props of {@link AvailabilitySettingsPanel}. */
export interface AvailabilitySettingsPanelProps {
  /** Where the host mounted the agenda router, e.g. `/api/agenda`. */
  baseUrl: string;
  /**
   * The address of the public booking page for a link token, where the host renders `<BookingPage>`.
   * @default (token) => `${location.origin}/book/${token}`
   */
  bookingUrl?: (token: string) => string;
  /**
   * The language of words and dates.
   * @default "fr"
   */
  locale?: "fr" | "en";
  /** Words to change; the rest are the locale's. */
  messages?: Partial<BookingMessages>;
  /**
   * The fetch requests are sent with; tests and stories pass a fake one.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /** Added to the root's `agenda-root agenda-availability-settings` classes. */
  className?: string;
}

/**
 * The signed-in user's booking settings: when they can be booked (working hours per weekday, time
 * zone, buffers, minimum notice, daily cap) and their booking types with the public links to copy.
 */
export function AvailabilitySettingsPanel(props: AvailabilitySettingsPanelProps) {
  const { baseUrl, fetch, locale = "fr" } = props;
  const messages = useMemo(() => bookingMessagesFor(locale, props.messages), [locale, props.messages]);
  const client = useBookingClient(baseUrl, fetch);
  const bookingUrl =
    props.bookingUrl ?? ((token: string) => `${globalThis.location?.origin ?? ""}/book/${token}`);
  const [settings, setSettings] = useState<AvailabilitySettings | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    client.request("getAvailabilitySettings").then(
      (loaded) => current && setSettings(loaded),
      (error: unknown) =>
        current && setFailure(describeBookingError(error, messages, "linkNotFound", "failed")),
    );
    return () => {
      current = false;
    };
  }, [client, messages]);
  const className = ["agenda-root agenda-availability-settings", props.className].filter(Boolean).join(" ");
  return (
    <div className={className} lang={locale}>
      {failure && <p role="alert">{failure}</p>}
      {!settings && !failure && <p role="status">{messages.loading}</p>}
      {settings && (
        <AvailabilityForm
          value={settings}
          locale={locale}
          messages={messages}
          onSave={async (value) => {
            setSettings(await client.request("putAvailabilitySettings", { body: value }));
          }}
        />
      )}
      <BookingTypesPanel client={client} messages={messages} bookingUrl={bookingUrl} />
    </div>
  );
}
