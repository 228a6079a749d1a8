import { describe, expect, it } from "vitest";
import { defaultReconnectDelay } from "./reconnect";

// The README: streams reconnect "after the server's `retry:` when it sent one (else 1 s), doubling up
// to 30 s".
describe("defaultReconnectDelay", () => {
  const delays = (serverDelay: number | undefined) =>
    Array.from({ length: 8 }, (_, attempt) => defaultReconnectDelay(attempt, serverDelay));

  it("waits 1 s without a retry from the server, doubling with each drop in a row up to 30 s", () => {
    expect(delays(undefined)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts from the server's retry when it sent one", () => {
    expect(delays(2_000)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it("never waits less than a server asking for more than 30 s", () => {
    expect(delays(45_000)).toEqual(Array(8).fill(45_000));
  });
});
