import { pgSchema } from "drizzle-orm/pg-core";
import { createAvailabilitySettingsTable } from "./availability";
import { createBookingTypesTable, createGuestBookingsTable } from "./bookingPages";
import {
  createCalendarChannelsTable,
  createCalendarSyncsTable,
  createSyncConflictsTable,
} from "./calendarSync";
import { createConnectionsTable, createOAuthStatesTable } from "./connections";
import { createDeliveriesTable, createDeliveryJobsTable } from "./deliveries";
import { createEventChangeHorizonTable, createEventChangesTable } from "./eventChanges";
import { createEventsTable, createOccurrenceAnswersTable } from "./events";
import { createHostNotificationsTable } from "./hostNotifications";
import { createIcsFeedsTable } from "./icsFeeds";
import { createMeetSubscriptionsTable } from "./meetSubscriptions";
import { createRemindersTable } from "./reminders";
import { createSummariesTable } from "./summaries";

/** The schema name drizzle-kit writes into the shipped migrations; `migrate()` swaps in the host's. */
export const migrationSchemaName = "agenda";

/** The agenda's tables, in a Postgres schema of the host's choosing. */
export function createTables(schemaName: string) {
  const schema = pgSchema(schemaName);
  const events = createEventsTable(schema);
  const connections = createConnectionsTable(schema);
  const bookingTypes = createBookingTypesTable(schema);
  return {
    schema,
    events,
    summaries: createSummariesTable(schema, events),
    hostNotifications: createHostNotificationsTable(schema, events),
    connections,
    calendarSyncs: createCalendarSyncsTable(schema, connections),
    calendarChannels: createCalendarChannelsTable(schema, connections),
    syncConflicts: createSyncConflictsTable(schema),
    oauthStates: createOAuthStatesTable(schema),
    meetSubscriptions: createMeetSubscriptionsTable(schema, connections),
    deliveries: createDeliveriesTable(schema),
    deliveryJobs: createDeliveryJobsTable(schema),
    bookingTypes,
    guestBookings: createGuestBookingsTable(schema, bookingTypes),
    icsFeeds: createIcsFeedsTable(schema),
    availabilitySettings: createAvailabilitySettingsTable(schema),
    eventChanges: createEventChangesTable(schema),
    eventChangeHorizon: createEventChangeHorizonTable(schema),
    reminders: createRemindersTable(schema, events),
    occurrenceAnswers: createOccurrenceAnswersTable(schema, events),
  };
}

export type AgendaTables = ReturnType<typeof createTables>;
