import { describe, expect, it } from "vitest";
import { contract } from "./contract";
import { bookingRoutes, buildPath, routes } from "./routes";

describe("contract", () => {
  it("has one route per method and path", () => {
    const keys = Object.values(contract).map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("routes", () => {
  it("are the contract's methods and paths, route for route (the booking page's in a table of their own)", () => {
    const tables: Record<string, unknown> = { ...routes, ...bookingRoutes };
    for (const [name, route] of Object.entries(contract)) {
      expect(tables[name], name).toEqual({ method: route.method, path: route.path });
    }
    expect(Object.keys(tables).sort()).toEqual(Object.keys(contract).sort());
    expect(Object.keys(routes).filter((name) => name in bookingRoutes)).toEqual([]);
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
