import { describe, expect, it } from "vitest";
import { buildPath, contract } from "./contract";

describe("contract", () => {
  it("has one route per method and path", () => {
    const keys = Object.values(contract).map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("buildPath", () => {
  it("encodes each parameter", () => {
    expect(buildPath("/events/:id/client", { id: "a/b" })).toBe("/events/a%2Fb/client");
  });

  it("says which parameter is missing", () => {
    expect(() => buildPath("/events/:id", {})).toThrow(/missing path parameter "id"/);
  });
});
