/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `data:` lines of the event joined by `\n`. */
  data: string;
  /** The `event:` field; `"message"` when the event named none. */
  event: string;
}

/**
 * A streaming parser of `text/event-stream`, after the WHATWG HTML "event stream interpretation":
 * lines end with CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are one
 * line end); `:` lines are comments (keep-alives); `data:` lines are joined by `\n`; a blank line
 * dispatches the event when it has data; `id:` and `retry:` are read and ignored; an event cut off by
 * the end of the stream is dropped. Feed it text already decoded (a `TextDecoder` in stream mode keeps
 * multi-byte characters split across network chunks whole).
 *
 * The UI's own copy of the server's parser: the packages ship apart and share only Zod and types.
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void): {
  push(text: string): void;
} {
  let pending = "";
  let skipLineFeed = false;
  let data: string[] = [];
  let eventType = "";

  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent({ data: data.join("\n"), event: eventType || "message" });
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
