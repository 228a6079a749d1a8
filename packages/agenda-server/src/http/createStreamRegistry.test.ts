import { EventEmitter } from "node:events";
import type { Request, Response } from "express";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgendaSession } from "../options";
import { createStreamRegistry } from "./createStreamRegistry";

/** A request the client can drop, and a response that keeps what was written to it. */
function connection() {
  const req = new EventEmitter() as EventEmitter & Request;
  const written: string[] = [];
  const headers: Record<string, string> = {};
  const res = {
    headersSent: false,
    ended: false,
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
    writeHead(_status: number, head: Record<string, string>) {
      Object.assign(headers, head);
      this.headersSent = true;
    },
    write(chunk: string) {
      written.push(chunk);
      return true;
    },
    end() {
      this.ended = true;
    },
  };
  return { req, res: res as typeof res & Response, written, headers };
}

const alice: AgendaSession = { userId: "alice", tenantId: "acme", email: "alice@acme.test" };
const words = {
  tooManyForUser: (open: number) => `you already have ${open} streams open`,
  tooMany: "too many streams on this server",
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createStreamRegistry", () => {
  it("sends a keep-alive comment every 15 seconds, and none after the stream closed", () => {
    const registry = createStreamRegistry(undefined, words);
    const { req, res, written } = connection();
    const stream = registry.open(alice, req, res);
    stream.begin(2_000);
    expect(written).toEqual(["retry: 2000\n\n"]);

    vi.advanceTimersByTime(14_999);
    expect(written).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(written.slice(1)).toEqual([": keep-alive\n\n"]);
    vi.advanceTimersByTime(15_000);
    expect(written).toHaveLength(3);

    req.emit("close");
    vi.advanceTimersByTime(60_000);
    expect(written).toHaveLength(3);
    expect(registry.size).toBe(0);
  });

  it("ends a stream after its lifetime, freeing its slot", () => {
    const registry = createStreamRegistry({ maxPerUser: 1, maxLifetimeSeconds: 60 }, words);
    const first = connection();
    const stream = registry.open(alice, first.req, first.res);
    stream.begin(1_000);
    vi.advanceTimersByTime(59_999);
    expect(stream.closed).toBe(false);
    expect(() => registry.open(alice, connection().req, connection().res)).toThrow(/already have 1/);

    vi.advanceTimersByTime(1);
    expect(stream.closed).toBe(true);
    expect(first.res.ended).toBe(true);
    expect(registry.size).toBe(0);
    expect(registry.open(alice, connection().req, connection().res).closed).toBe(false);
  });

  it("counts a user's streams per tenant, and frees a slot when the client leaves", () => {
    const registry = createStreamRegistry({ maxPerUser: 2 }, words);
    const kept = [connection(), connection()];
    for (const { req, res } of kept) registry.open(alice, req, res);
    expect(() => registry.open(alice, connection().req, connection().res)).toThrow(
      expect.objectContaining({ code: "rate_limited", details: { limit: 2 } }),
    );
    // The same user id in another tenant is another person.
    registry.open({ ...alice, tenantId: "globex" }, connection().req, connection().res);

    kept[0]!.req.emit("close");
    expect(registry.size).toBe(2);
    expect(() => registry.open(alice, connection().req, connection().res)).not.toThrow();
  });

  it("refuses any user past the instance's cap with a Retry-After", () => {
    const registry = createStreamRegistry({ maxOpen: 2 }, words);
    registry.open(alice, connection().req, connection().res);
    registry.open({ ...alice, userId: "carol" }, connection().req, connection().res);
    const refused = connection();
    expect(() => registry.open({ ...alice, userId: "dan" }, refused.req, refused.res)).toThrow(
      /too many streams on this server/,
    );
    expect(refused.headers["retry-after"]).toBe("30");
  });

  it("ends every stream on closeAll, refuses new ones as unavailable, and accepts them after reopen", () => {
    const registry = createStreamRegistry(undefined, words);
    const open = [connection(), connection()];
    const streams = open.map(({ req, res }) => registry.open(alice, req, res));
    const closedSteps: number[] = [];
    streams[0]!.onClose(() => closedSteps.push(0));

    registry.closeAll();
    expect(streams.every((stream) => stream.closed)).toBe(true);
    expect(closedSteps).toEqual([0]);
    expect(registry.size).toBe(0);
    expect(() => registry.open(alice, connection().req, connection().res)).toThrow(
      expect.objectContaining({ code: "unavailable" }),
    );

    // A step added to a closed stream runs at once: nothing waits for a close that already happened.
    streams[1]!.onClose(() => closedSteps.push(1));
    expect(closedSteps).toEqual([0, 1]);

    registry.reopen();
    expect(registry.open(alice, connection().req, connection().res).closed).toBe(false);
  });
});
