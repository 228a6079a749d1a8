export type {
  AgendaProviderBaseProps,
  AgendaProviderProps,
  AgendaSettings,
  EnglishAgendaProps,
  FrenchAgendaProps,
} from "./AgendaProvider";
export {
  AgendaProvider,
  useAgendaClient,
  useAgendaMessages,
  useAgendaQueryClient,
  useAgendaSettings,
} from "./AgendaProvider";
export type { AgendaRequestErrorCode, AgendaRequestErrorOptions } from "./client/AgendaRequestError";
export { AgendaRequestError, isAgendaRequestError } from "./client/AgendaRequestError";
export type { AgendaClient, AgendaClientOptions, AgendaRequestInput } from "./client/createAgendaClient";
export { createAgendaClient } from "./client/createAgendaClient";
export type { AgendaProps } from "./components/Agenda";
export { Agenda } from "./components/Agenda";
export type { AgendaToolbarProps } from "./components/AgendaToolbar";
export { AgendaToolbar } from "./components/AgendaToolbar";
export type { CallSummaryPanelProps } from "./components/CallSummaryPanel";
export { CallSummaryPanel } from "./components/CallSummaryPanel";
export type { ClientPickerProps } from "./components/ClientPicker";
export { ClientPicker } from "./components/ClientPicker";
export type { EventChipProps } from "./components/EventChip";
export { EventChip } from "./components/EventChip";
export type { EventDialogContentProps, EventDialogRootProps } from "./components/EventDialog";
export { EventDialog } from "./components/EventDialog";
export type { EventFormProps, NewEventDraft } from "./components/EventForm";
export { EventForm } from "./components/EventForm";
export type { ListViewProps } from "./components/ListView";
export { ListView } from "./components/ListView";
export type { MonthViewProps } from "./components/MonthView";
export { MonthView } from "./components/MonthView";
export type { ProviderMarkProps } from "./components/ProviderMark";
export { ProviderMark } from "./components/ProviderMark";
export type { EventTimeChange, WeekViewProps } from "./components/WeekView";
export { WeekView } from "./components/WeekView";
export type { EventTiming, FormatEventWhenOptions } from "./date/formatEventWhen";
export { formatEventTimes, formatEventWhen } from "./date/formatEventWhen";
export { formatWeekTitle } from "./date/formatWeekTitle";
export type { AgendaView } from "./date/getViewDays";
export { getViewDays, shiftViewDate } from "./date/getViewDays";
export type { WeekStartsOn } from "./date/getWeekDays";
export { getDaysRange, getStartOfDay, getWeekDays } from "./date/getWeekDays";
export type { AllDayEventLike, PositionedAllDayEvent } from "./date/layoutAllDayEvents";
export { layoutAllDayEvents } from "./date/layoutAllDayEvents";
export type { LayoutDayEventsOptions, PositionedEvent, TimedEventLike } from "./date/layoutDayEvents";
export { layoutDayEvents } from "./date/layoutDayEvents";
export type { MonthEventLike, PositionedMonthEvent } from "./date/layoutMonthWeek";
export { layoutMonthWeek } from "./date/layoutMonthWeek";
export type { AgendaLocale, AgendaMessages } from "./messages/AgendaMessages";
export { describeError, describeSummaryStatus } from "./messages/describeMessages";
export { frenchMessages } from "./messages/frenchMessages";
export { agendaQueryKeys } from "./queries/agendaQueryKeys";
export {
  connectionCalendarsQueryOptions,
  connectionsQueryOptions,
} from "./queries/connectionsQueryOptions";
export { eventQueryOptions, eventsQueryOptions } from "./queries/eventsQueryOptions";
export { clientSearchQueryOptions, useClientSearch } from "./queries/useClientSearch";
export type { DisconnectVariables, UpdateConnectionVariables } from "./queries/useConnections";
export {
  useConnectionCalendars,
  useConnections,
  useDisconnect,
  useUpdateConnection,
} from "./queries/useConnections";
export type { DeleteEventVariables, UpdateEventVariables } from "./queries/useEventMutations";
export { useCreateEvent, useDeleteEvent, useUpdateEvent } from "./queries/useEventMutations";
export { eventSummaryQueryOptions, useEventSummary } from "./queries/useEventSummary";
export { useEvent, useEvents } from "./queries/useEvents";
export type { RegenerateSummaryVariables } from "./queries/useRegenerateSummary";
export { useRegenerateSummary } from "./queries/useRegenerateSummary";
export type { SetEventClientVariables } from "./queries/useSetEventClient";
export { useSetEventClient } from "./queries/useSetEventClient";
export type {
  SummaryProgress,
  SummaryStreamState,
  UseSummaryStreamOptions,
} from "./queries/useSummaryStream";
export { useSummaryStream } from "./queries/useSummaryStream";
