// The `@crm-agenda/ui/recurrence` entry: the repetition fields of the event form, kept out of the main
// entry so that hosts without series do not download them. Nothing here reads the agenda's context:
// the event form gives the fields all they need as props.
export type { RecurrenceFieldsProps } from "./components/RecurrenceFields";
export { RecurrenceFields } from "./components/RecurrenceFields";
export type { RecurrenceChoice } from "./date/composeRecurrence";
export { composeRecurrence, readRecurrence } from "./date/composeRecurrence";
export type { RecurrenceMessages } from "./messages/recurrenceMessages";
export { englishRecurrenceMessages, frenchRecurrenceMessages } from "./messages/recurrenceMessages";
