import { describe, expect, it } from "vitest";
import { createEventInputSchema, listEventsQuerySchema, updateEventInputSchema } from "./event";

const valid = {
  title: "Revue de contrat",
  start: "2026-03-29T09:00:00+02:00",
  end: "2026-03-29T10:00:00+02:00",
  timeZone: "Europe/Paris",
};

describe("createEventInputSchema", () => {
  it("accepts a minimal event", () => {
    expect(createEventInputSchema.parse(valid)).toMatchObject({ title: "Revue de contrat" });
  });

  it("names the field when end is not after start", () => {
    const result = createEventInputSchema.safeParse({ ...valid, end: valid.start });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["end"], message: "end must be after start" });
  });

  it("refuses an unknown time zone", () => {
    const result = createEventInputSchema.safeParse({ ...valid, timeZone: "Europe/Atlantis" });
    expect(result.error?.issues[0]?.path).toEqual(["timeZone"]);
  });

  it("refuses a date-time without an offset", () => {
    const result = createEventInputSchema.safeParse({ ...valid, start: "2026-03-29T09:00:00" });
    expect(result.error?.issues[0]?.path).toEqual(["start"]);
  });

  it("refuses unknown fields so a typo is not silently dropped", () => {
    const result = createEventInputSchema.safeParse({ ...valid, titel: "x" });
    expect(result.success).toBe(false);
  });

  it("trims the title and refuses a blank one", () => {
    expect(createEventInputSchema.safeParse({ ...valid, title: "   " }).success).toBe(false);
  });
});

describe("updateEventInputSchema", () => {
  it("refuses an empty change", () => {
    expect(updateEventInputSchema.safeParse({}).success).toBe(false);
  });

  it("checks start and end only when both are given", () => {
    expect(updateEventInputSchema.safeParse({ end: "2026-03-29T08:00:00+02:00" }).success).toBe(true);
  });
});

describe("listEventsQuerySchema", () => {
  it("refuses a range wider than the limit", () => {
    const result = listEventsQuerySchema.safeParse({
      from: "2020-01-01T00:00:00Z",
      to: "2026-01-01T00:00:00Z",
    });
    expect(result.error?.issues[0]?.message).toMatch(/at most/);
  });
});
