import { describe, expect, it } from "vitest";
import { createSseParser, type ServerSentEvent } from "./createSseParser";

function parse(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("createSseParser", () => {
  it("dispatches on blank lines and joins data lines with a line feed", () => {
    expect(parse(["data: un\ndata: deux\n\ndata:trois\n\n"])).toEqual([
      { data: "un\ndeux", event: "message" },
      { data: "trois", event: "message" },
    ]);
  });

  it("ignores comments, id and retry, and reads event names", () => {
    expect(parse([": keep-alive\n\nid: 7\nretry: 1000\nevent: token\ndata: x\n\n:\n\n"])).toEqual([
      { data: "x", event: "token" },
    ]);
  });

  it("reads CRLF, CR and LF line ends, a CR and its LF split across chunks being one line end", () => {
    expect(parse(["data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r", "\n\r", "\n"])).toEqual([
      { data: "a", event: "message" },
      { data: "b", event: "message" },
      { data: "c", event: "message" },
      { data: "d", event: "message" },
    ]);
  });

  it("reads fields split anywhere across chunks, and drops an event cut off by the end", () => {
    expect(parse(["da", 'ta: {"tok', 'en":1}', "\n", "\ndata: unfinished\n"])).toEqual([
      { data: '{"token":1}', event: "message" },
    ]);
  });

  it("keeps a leading space beyond the first, and an empty data line", () => {
    expect(parse(["data:  two spaces\ndata\n\n"])).toEqual([{ data: " two spaces\n", event: "message" }]);
  });
});
