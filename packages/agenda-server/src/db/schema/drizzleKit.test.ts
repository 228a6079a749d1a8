import { expect, it } from "vitest";
import * as forDrizzleKit from "./drizzleKit";
import { createTables } from "./index";

// drizzle-kit sees only what this entry exports: a table left out would be missing from the next
// generated migration's snapshot, and its hand-written SQL would never be checked against the schema.
it("gives drizzle-kit every table the agenda has", () => {
  const tables = Object.keys(createTables("agenda")).filter((name) => name !== "schema");
  const exported = Object.keys(forDrizzleKit).filter((name) => name !== "agenda");
  expect(exported.sort()).toEqual(tables.sort());
});
