import { describe, expect, it } from "vitest";
import { createSseParser, type ServerSentEvent } from "./createSseParser";

function parseAll(chunks: string[]): { events: ServerSentEvent[]; retries: number[] } {
  const events: ServerSentEvent[] = [];
  const retries: number[] = [];
  const parser = createSseParser({
    onEvent: (event) => events.push(event),
    onRetry: (milliseconds) => retries.push(milliseconds),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries };
}

describe("createSseParser", () => {
  it("dispatches named events on a blank line and skips keep-alive comments", () => {
    expect(
      parseAll([': keep-alive\n\nevent: token\ndata: {"token":"Le"}\n\n', "event: reset\ndata: {}\n\n"])
        .events,
    ).toEqual([
      { event: "token", data: '{"token":"Le"}', id: undefined },
      { event: "reset", data: "{}", id: undefined },
    ]);
  });

  it("joins data lines, names unnamed events message, and reads lines cut across chunks", () => {
    expect(parseAll(["da", "ta: one\r", "\ndata:two\r\n", "\r\n"]).events).toEqual([
      { event: "message", data: "one\ntwo", id: undefined },
    ]);
  });

  it("drops an event the stream ends in the middle of", () => {
    expect(parseAll(['event: token\ndata: {"token":"x"}\n']).events).toEqual([]);
  });

  it("keeps the last id for the events after it, until cleared, ignoring an id with a NUL", () => {
    const { events } = parseAll([
      "id: 41\ndata: a\n\n",
      "data: b\n\n",
      "id: 4\u00002\ndata: c\n\n",
      "id\ndata: d\n\n",
    ]);
    expect(events.map((event) => [event.data, event.id])).toEqual([
      ["a", "41"],
      ["b", "41"],
      ["c", "41"],
      ["d", ""],
    ]);
  });

  it("reports a retry made of digits only, and skips any other", () => {
    expect(parseAll(["retry: 2500\n\nretry: 1.5\nretry: soon\n\nretry:300\n\n"]).retries).toEqual([
      2500, 300,
    ]);
  });
});
