/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `data:` lines of the event joined by `\n`. */
  data: string;
  /** The `event:` field; `"message"` when the event named none. */
  event: string;
  /** The last `id:` given, on this event or an earlier one (`""` once cleared); undefined before any. */
  id: string | undefined;
}

/**
 * A streaming parser of `text/event-stream`, after the WHATWG HTML "event stream interpretation":
 * lines end with CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are one
 * line end); `:` lines are comments (keep-alives); `data:` lines are joined by `\n`; a blank line
 * dispatches the event when it has data; `id:` sets the last event id (unless it holds a NUL), kept
 * for later events as `EventSource` keeps it; `retry:` made of digits only is the reconnection delay
 * the server asks for; an event cut off by the end of the stream is dropped. Feed it text already
 * decoded (a `TextDecoder` in stream mode keeps multi-byte characters split across chunks whole).
 *
 * The server reads the AI service's stream with eventsource-parser; the browser has its own 60 lines,
 * a quarter of that library's weight in the UI bundle, whose 45 kB budget it would otherwise break.
 */
export function createSseParser(handlers: {
  onEvent: (event: ServerSentEvent) => void;
  onRetry?: (milliseconds: number) => void;
}): { push(text: string): void } {
  let pending = "";
  let skipLineFeed = false;
  let data: string[] = [];
  let eventType = "";
  let lastEventId: string | undefined;

  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0)
        handlers.onEvent({ data: data.join("\n"), event: eventType || "message", id: lastEventId });
      data = [];
      eventType = "";
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") eventType = value;
    else if (field === "id" && !value.includes("\0")) lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) handlers.onRetry?.(Number(value));
  };

  return {
    push(text) {
      let start = 0;
      for (let index = 0; index < text.length; index += 1) {
        const code = text.charCodeAt(index);
        if (skipLineFeed) {
          skipLineFeed = false;
          if (code === 10) {
            start = index + 1;
            continue;
          }
        }
        if (code === 10 || code === 13) {
          line(pending + text.slice(start, index));
          pending = "";
          start = index + 1;
          skipLineFeed = code === 13;
        }
      }
      pending += text.slice(start);
    },
  };
}
