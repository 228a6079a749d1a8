import { describe, expect, it } from "vitest";
import { createSseParser, type ServerSentEvent } from "./createSseParser";

function parseAll(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("createSseParser", () => {
  it("dispatches named events on a blank line and skips keep-alive comments", () => {
    expect(
      parseAll([': keep-alive\n\nevent: token\ndata: {"token":"Le"}\n\n', "event: reset\ndata: {}\n\n"]),
    ).toEqual([
      { event: "token", data: '{"token":"Le"}' },
      { event: "reset", data: "{}" },
    ]);
  });

  it("joins data lines, names unnamed events message, and reads lines cut across chunks", () => {
    expect(parseAll(["da", "ta: one\r", "\ndata:two\r\n", "\r\n"])).toEqual([
      { event: "message", data: "one\ntwo" },
    ]);
  });

  it("drops an event the stream ends in the middle of", () => {
    expect(parseAll(['event: token\ndata: {"token":"x"}\n'])).toEqual([]);
  });
});
