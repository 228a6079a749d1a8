import type { CalendarEvent, EventSummary, SummaryStreamMessage } from "@crm-agenda/shared";
import { useEffect, useReducer, useRef } from "react";
import { findCachedEvent, writeEventToCaches } from "../_internal/optimisticEvents";
import { readSummaryStream } from "../_internal/readSummaryStream";
import { defaultReconnectDelay, isTransientFailure, sleep } from "../_internal/reconnect";
import { useAgendaClient, useAgendaQueryClient } from "../AgendaProvider";
import { agendaQueryKeys } from "./agendaQueryKeys";

/** Where a summary being written has got to: stage 1 reads each excerpt, stage 2 writes the summary. */
export interface SummaryProgress {
  /** 1 while the excerpts are read, 2 while they are merged and the summary is written. */
  stage: 1 | 2;
  /** Which step of the stage, from 1. */
  step: number;
  /** How many steps the stage has. */
  of: number;
}

/** Options of {@link useSummaryStream}. */
export interface UseSummaryStreamOptions {
  /**
   * Whether to hold the stream open; turn it on while the summary is `pending`, `waiting_for_ai` or
   * `in_progress`.
   * @default true
   */
  enabled?: boolean;
  /**
   * How long to wait before reconnecting after the stream dropped for the `attempt`-th time in a row
   * (from 0), in milliseconds. `serverDelay` is the delay the server asked for with `retry:`, if it did.
   * @default the server's `retry:` (else 1 s), doubling up to 30 s
   */
  reconnectDelay?: (attempt: number, serverDelay: number | undefined) => number;
}

/** What {@link useSummaryStream} gives. */
export interface SummaryStreamState {
  /** `connecting` until the first message, `open` while messages come, `reconnecting` after a drop. */
  connection: "idle" | "connecting" | "open" | "reconnecting" | "closed";
  /** The latest progress message; `null` before the first. */
  progress: SummaryProgress | null;
  /** The final stage's text as the model writes it (JSON); emptied when a repair starts it over. */
  text: string;
  /** Why the stream gave up for good (e.g. 401 or 404); `null` otherwise. */
  error: unknown;
}

type Action =
  | { type: "connecting"; again: boolean; resume: boolean }
  | { type: "message"; message: SummaryStreamMessage }
  | { type: "closed"; error: unknown };

const initialState: SummaryStreamState = { connection: "idle", progress: null, text: "", error: null };

function reduce(state: SummaryStreamState, action: Action): SummaryStreamState {
  switch (action.type) {
    case "connecting": {
      const connection = action.again ? "reconnecting" : "connecting";
      // A server that resumes after `Last-Event-ID` sends the rest of the text; otherwise a new
      // connection only hears what comes next, so the text of the last one would stay cut.
      return { ...state, connection, text: action.resume ? state.text : "", error: null };
    }
    case "closed":
      return { ...state, connection: "closed", error: action.error };
    case "message": {
      const { message } = action;
      const open = state.connection === "open" ? state : { ...state, connection: "open" as const };
      switch (message.type) {
        case "summary":
          return open;
        case "progress":
          return { ...open, progress: { stage: message.stage, step: message.step, of: message.of } };
        case "token":
          return { ...open, text: open.text + message.token };
        case "reset":
          return { ...open, text: "" };
        default:
          return message satisfies never;
      }
    }
    default:
      return action satisfies never;
  }
}

/**
 * Follows `GET /events/:id/summary/stream` while a summary is being written: the progress, and the
 * final stage's text token by token. Each `summary` message goes into the summary's query cache (see
 * `eventSummaryQueryOptions`) and the event's status into the cached events, so the panel and the
 * agenda show the final summary the moment it is stored. Reads the stream with the provider's fetch and
 * credentials; when it drops before the last summary it reconnects with a growing delay, starting from
 * the server's `retry:` when it sent one, and with `Last-Event-ID` when its events carry ids. Answers
 * that will not change (401, 403, 404) end it with `error`.
 */
export function useSummaryStream(eventId: string, options: UseSummaryStreamOptions = {}): SummaryStreamState {
  const { enabled = true, reconnectDelay = defaultReconnectDelay } = options;
  const client = useAgendaClient();
  const queryClient = useAgendaQueryClient();
  const [state, dispatch] = useReducer(reduce, initialState);

  // The delay function is read when needed, so an inline one does not restart the stream each render.
  const delayRef = useRef(reconnectDelay);
  delayRef.current = reconnectDelay;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const { signal } = controller;
    const { baseUrl } = client;

    const onMessage = (message: SummaryStreamMessage) => {
      if (message.type === "summary") {
        queryClient.setQueryData<EventSummary>(
          agendaQueryKeys.eventSummary(baseUrl, eventId),
          message.summary,
        );
        const cached = findCachedEvent(queryClient, baseUrl, eventId);
        if (cached !== undefined && cached.summaryStatus !== message.summary.status) {
          writeEventToCaches(queryClient, baseUrl, eventId, {
            ...cached,
            summaryStatus: message.summary.status,
          } satisfies CalendarEvent);
        }
      }
      dispatch({ type: "message", message });
    };

    const follow = async () => {
      let attempt = 0;
      let lastEventId = "";
      let serverDelay: number | undefined;
      dispatch({ type: "connecting", again: false, resume: false });
      while (!signal.aborted) {
        let heard = false;
        try {
          const end = await readSummaryStream(client, eventId, {
            signal,
            lastEventId,
            onEventId: (id) => {
              lastEventId = id;
            },
            onRetry: (milliseconds) => {
              serverDelay = milliseconds;
            },
            onMessage: (message) => {
              heard = true;
              onMessage(message);
            },
          });
          if (end === "final") {
            dispatch({ type: "closed", error: null });
            return;
          }
        } catch (error) {
          if (signal.aborted) return;
          if (!isTransientFailure(error)) {
            dispatch({ type: "closed", error });
            return;
          }
        }
        // A stream that carried messages before dropping starts the delays over.
        if (heard) attempt = 0;
        dispatch({ type: "connecting", again: true, resume: lastEventId !== "" });
        await sleep(delayRef.current(attempt, serverDelay), signal);
        attempt += 1;
      }
    };
    void follow();
    return () => controller.abort();
  }, [client, queryClient, eventId, enabled]);

  return enabled ? state : { ...state, connection: state.connection === "idle" ? "idle" : "closed" };
}
