import { describe, expect, it } from "vitest";
import { formatSlotWhen, groupSlotsByDay, listTimeZones } from "./groupSlotsByDay";

describe("groupSlotsByDay", () => {
  const slots = [
    { start: "2026-12-01T22:00:00Z", end: "2026-12-01T22:30:00Z" },
    { start: "2026-12-01T23:30:00Z", end: "2026-12-02T00:00:00Z" },
    { start: "2026-12-02T08:00:00Z", end: "2026-12-02T08:30:00Z" },
  ];

  it("groups slots by their local day in the guest's zone, not in UTC", () => {
    const paris = groupSlotsByDay(slots, "Europe/Paris", "fr");
    expect(paris.map((day) => day.key)).toEqual(["2026-12-01", "2026-12-02"]);
    expect(paris[1]!.slots.map((slot) => slot.time)).toEqual(["00:30", "09:00"]);
    const newYork = groupSlotsByDay(slots, "America/New_York", "en");
    expect(newYork.map((day) => day.key)).toEqual(["2026-12-01", "2026-12-02"]);
    expect(newYork[0]!.slots.map((slot) => slot.time)).toEqual(["05:00 PM", "06:30 PM"]);
  });

  it("words a slot whole, with its zone, for screen readers", () => {
    expect(formatSlotWhen("2026-12-02T08:00:00Z", "Europe/Paris", "fr")).toBe(
      "mercredi 2 décembre 2026 à 09:00 (Europe/Paris)",
    );
  });

  it("always offers the current zone among the choices", () => {
    expect(listTimeZones("Europe/Paris")).toContain("Europe/Paris");
    expect(listTimeZones("Etc/Unknown")[0]).toBe("Etc/Unknown");
  });
});
