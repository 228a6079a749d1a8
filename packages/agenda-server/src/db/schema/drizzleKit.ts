// Entry point for drizzle-kit only: the tables under the schema name the shipped migrations use.
import { createTables, migrationSchemaName } from "./index";

const tables = createTables(migrationSchemaName);
export const agenda = tables.schema;
export const events = tables.events;
export const connections = tables.connections;
export const oauthStates = tables.oauthStates;
export const deliveries = tables.deliveries;
export const deliveryJobs = tables.deliveryJobs;
export const summaries = tables.summaries;
export const calendarSyncs = tables.calendarSyncs;
export const calendarChannels = tables.calendarChannels;
export const syncConflicts = tables.syncConflicts;
export const meetSubscriptions = tables.meetSubscriptions;
export const availabilitySettings = tables.availabilitySettings;
export const bookingTypes = tables.bookingTypes;
export const guestBookings = tables.guestBookings;
export const icsFeeds = tables.icsFeeds;
export const eventChanges = tables.eventChanges;
export const eventChangeHorizon = tables.eventChangeHorizon;
export const reminders = tables.reminders;
export const hostNotifications = tables.hostNotifications;
export const occurrenceAnswers = tables.occurrenceAnswers;
