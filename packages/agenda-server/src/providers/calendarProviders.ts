import type { Provider } from "@crm-agenda/shared";
import type { AgendaModule } from "../AgendaModule";
import type { OAuthProvider } from "../connections/OAuthProvider";
import type { CalendarProviders } from "../sync/CalendarProvider";
import type { CalendarSync } from "../sync/createCalendarSync";
import type { DeliveryRecorder } from "../webhooks/recordDelivery";
import { createGoogleCalendar } from "./google/googleCalendar";
import { mountGoogleCalendarWebhookRoutes } from "./google/googleCalendarWebhookRoutes";
import { createMicrosoftCalendar } from "./microsoft/microsoftCalendar";
import { mountMicrosoftWebhookRoutes } from "./microsoft/microsoftWebhookRoutes";

/** The calendar adapter of each configured provider that has a calendar, for the sync to look up. */
export function createCalendarProviders(
  providers: Partial<Record<Provider, OAuthProvider>>,
): CalendarProviders {
  return {
    ...(providers.google && { google: createGoogleCalendar(providers.google) }),
    ...(providers.microsoft && { microsoft: createMicrosoftCalendar(providers.microsoft) }),
  };
}

/**
 * The calendar push webhooks of Google Calendar and Outlook, mounted while sync runs (with
 * `calendarSync: false`, none). A push for a channel the agenda does not know is answered and ignored.
 */
export function createCalendarWebhooksModule(input: {
  calendarSync: CalendarSync | null;
  deliveries: DeliveryRecorder;
}): AgendaModule {
  const { calendarSync: sync, deliveries } = input;
  return {
    mount(router, context) {
      if (!sync) return;
      mountGoogleCalendarWebhookRoutes(router, context, { sync, deliveries });
      mountMicrosoftWebhookRoutes(router, context, { sync, deliveries });
    },
  };
}
