import { QueryClient } from "@tanstack/react-query";
import {
  type ComponentType,
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { createLiveAgenda, type LiveAgenda } from "./_internal/createLiveAgenda";
import { type AgendaClient, createAgendaClient } from "./client/createAgendaClient";
import type { RecurrenceFieldsProps } from "./components/RecurrenceFields";
import type { WeekStartsOn } from "./date/getWeekDays";
import type { AgendaLocale, AgendaMessages } from "./messages/AgendaMessages";
import { frenchMessages } from "./messages/frenchMessages";

/** Props of {@link AgendaProvider} whatever its language. */
export interface AgendaProviderBaseProps {
  /** Where the host mounted the agenda router, e.g. `/api/agenda`. */
  baseUrl: string;
  /**
   * The IANA time zone events are shown in, e.g. `Europe/Paris`.
   * @default the browser's time zone
   */
  timeZone?: string;
  /**
   * The first day of the week: 0 for Sunday, 1 for Monday.
   * @default 1 in French, 0 in English
   */
  weekStartsOn?: WeekStartsOn;
  /**
   * The host's TanStack Query client, so the agenda's cache lives beside the host's.
   * @default a client of the provider's own, one per provider
   */
  queryClient?: QueryClient;
  /**
   * The fetch requests are sent with; stories and tests pass a fake one.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Whether open agendas follow the server's changes live (`GET /events/stream`, one stream per
   * provider however many agendas it shows), so an event changed anywhere appears without a reload.
   * Off, they read again on window focus and once their data is 30 s old.
   * @default true
   */
  live?: boolean;
  /**
   * The repetition fields of the event form, from `@crm-agenda/ui/recurrence`; without them the form
   * makes single events (occurrences of series are still edited and deleted with their scope).
   * @default undefined
   */
  recurrenceFields?: ComponentType<RecurrenceFieldsProps>;
  /** The agenda components, and anything else of the host's. */
  children?: ReactNode;
}

/** The agenda in French, its default language, whose words ship with the package. */
export interface FrenchAgendaProps {
  /**
   * The language of the agenda's words and dates.
   * @default "fr"
   */
  locale?: "fr";
  /**
   * Words to change; the rest are the French dictionary's.
   * @default {}
   */
  messages?: Partial<AgendaMessages>;
}

/**
 * The agenda in English. Its words come from their own entry, so that a French-only host does not
 * download them: `import { englishMessages } from "@crm-agenda/ui/messages/en"`.
 */
export interface EnglishAgendaProps {
  /** The language of the agenda's words and dates. */
  locale: "en";
  /** The English words: `englishMessages`, or a copy with some words changed. */
  messages: AgendaMessages;
}

/**
 * Props of {@link AgendaProvider}. French needs nothing more; English also takes its words,
 * `<AgendaProvider locale="en" messages={englishMessages}>`.
 */
export type AgendaProviderProps = AgendaProviderBaseProps & (FrenchAgendaProps | EnglishAgendaProps);

/** What {@link useAgendaSettings} gives: the provider's settings with their defaults filled in. */
export interface AgendaSettings {
  /** The language of words and dates. */
  locale: AgendaLocale;
  /** The IANA time zone events are shown in. */
  timeZone: string;
  /** The first day of the week: 0 for Sunday, 1 for Monday. */
  weekStartsOn: WeekStartsOn;
  /** The language's words with the host's changes. */
  messages: AgendaMessages;
}

interface AgendaContextValue extends AgendaSettings {
  client: AgendaClient;
  queryClient: QueryClient;
  live: LiveAgenda | null;
  recurrenceFields: ComponentType<RecurrenceFieldsProps> | undefined;
}

const AgendaContext = createContext<AgendaContextValue | null>(null);

/**
 * Gives the agenda components below it their server, language, time zone and cache. Each provider has
 * its own client and (unless the host passes one) its own query cache, so two agendas on one page never
 * share state.
 */
export function AgendaProvider(props: AgendaProviderProps) {
  const { baseUrl, locale = "fr", fetch, children } = props;
  const [ownQueryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000 } } }),
  );
  const queryClient = props.queryClient ?? ownQueryClient;
  // QueryClientProvider would do this; we pass the client to each hook instead, so as not to hide the
  // host's own QueryClientProvider from whatever else the host renders inside the agenda.
  useEffect(() => {
    if (props.queryClient !== undefined) return;
    ownQueryClient.mount();
    return () => ownQueryClient.unmount();
  }, [props.queryClient, ownQueryClient]);
  const timeZone = props.timeZone ?? browserTimeZone();
  const weekStartsOn = props.weekStartsOn ?? (locale === "fr" ? 1 : 0);
  const client = useMemo(() => createAgendaClient({ baseUrl, fetch }), [baseUrl, fetch]);
  const messageOverrides = props.messages;
  // English words arrive whole through `messages`; French ones are the default beneath the host's.
  const messages = useMemo(
    () => (messageOverrides === undefined ? frenchMessages : { ...frenchMessages, ...messageOverrides }),
    [messageOverrides],
  );

  const followsChanges = props.live ?? true;
  const live = useMemo(
    () => (followsChanges ? createLiveAgenda(client, queryClient) : null),
    [followsChanges, client, queryClient],
  );

  const { recurrenceFields } = props;
  const value = useMemo<AgendaContextValue>(
    () => ({ client, queryClient, live, locale, timeZone, weekStartsOn, messages, recurrenceFields }),
    [client, queryClient, live, locale, timeZone, weekStartsOn, messages, recurrenceFields],
  );
  return <AgendaContext.Provider value={value}>{children}</AgendaContext.Provider>;
}

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function useAgendaContext(hookName: string): AgendaContextValue {
  const value = useContext(AgendaContext);
  if (value === null) throw new Error(`${hookName} must be used inside <AgendaProvider>`);
  return value;
}

/** The repetition fields the host gave the nearest {@link AgendaProvider}, if any. */
export function useRecurrenceFields(): ComponentType<RecurrenceFieldsProps> | undefined {
  return useAgendaContext("useRecurrenceFields").recurrenceFields;
}

/** The typed client of the nearest {@link AgendaProvider}, for requests the hooks do not cover. */
export function useAgendaClient(): AgendaClient {
  return useAgendaContext("useAgendaClient").client;
}

/** Keeps the provider's live stream open while the calling component is mounted. */
export function useLiveAgenda(): void {
  const { live } = useAgendaContext("useLiveAgenda");
  useEffect(() => live?.hold(), [live]);
}

/** The TanStack Query client the agenda caches in: the host's, or the provider's own. */
export function useAgendaQueryClient(): QueryClient {
  return useAgendaContext("useAgendaQueryClient").queryClient;
}

/** Language, time zone, first day of the week and words of the nearest {@link AgendaProvider}. */
export function useAgendaSettings(): AgendaSettings {
  const { locale, timeZone, weekStartsOn, messages } = useAgendaContext("useAgendaSettings");
  return useMemo(
    () => ({ locale, timeZone, weekStartsOn, messages }),
    [locale, timeZone, weekStartsOn, messages],
  );
}

/** The words of the nearest {@link AgendaProvider}: its locale's dictionary with the host's changes. */
export function useAgendaMessages(): AgendaMessages {
  return useAgendaContext("useAgendaMessages").messages;
}
