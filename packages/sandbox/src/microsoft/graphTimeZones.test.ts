import { describe, expect, it } from "vitest";
import { expandRecurrence } from "../expandRecurrence";
import { graphWallClock, ianaZone, instantOf, windowsZone } from "./graphTimeZones";

// The stand-ins keep their own zone math, apart from the agenda's: checked here against fixed values
// (offsets from the IANA database for these dates), so a stand-in and a client that share a mistake
// cannot agree by construction.
describe("Graph's zone names", () => {
  it("reads Windows names, IANA names and UTC", () => {
    expect(ianaZone("Romance Standard Time")).toBe("Europe/Paris");
    expect(ianaZone("Eastern Standard Time")).toBe("America/New_York");
    expect(ianaZone("Europe/Paris")).toBe("Europe/Paris");
    expect(ianaZone("UTC")).toBe("UTC");
    expect(ianaZone("tzone://Microsoft/Utc")).toBe("UTC");
  });

  it("records a zone under its Windows name, as Outlook does in originalStartTimeZone", () => {
    expect(windowsZone("Europe/Paris")).toBe("Romance Standard Time");
    expect(windowsZone("America/New_York")).toBe("Eastern Standard Time");
    expect(windowsZone("Romance Standard Time")).toBe("Romance Standard Time");
    expect(windowsZone(undefined)).toBe("UTC");
  });
});

describe("Graph's dateTimeTimeZone", () => {
  it("reads a wall clock in a Windows zone on both sides of a daylight-saving change", () => {
    // New York: EST (UTC-5) until 14 March 2027 02:00, EDT (UTC-4) after.
    expect(instantOf({ dateTime: "2027-03-13T10:00:00.0000000", timeZone: "Eastern Standard Time" })).toBe(
      Date.parse("2027-03-13T15:00:00Z"),
    );
    expect(instantOf({ dateTime: "2027-03-15T10:00:00.0000000", timeZone: "Eastern Standard Time" })).toBe(
      Date.parse("2027-03-15T14:00:00Z"),
    );
    // Paris: CET (UTC+1) in winter, CEST (UTC+2) from 28 March 2027.
    expect(instantOf({ dateTime: "2027-01-12T09:30:00.0000000", timeZone: "Romance Standard Time" })).toBe(
      Date.parse("2027-01-12T08:30:00Z"),
    );
    expect(instantOf({ dateTime: "2027-07-12T09:30:00.0000000", timeZone: "Europe/Paris" })).toBe(
      Date.parse("2027-07-12T07:30:00Z"),
    );
    expect(instantOf({ dateTime: "2027-07-12T09:30:00.0000000", timeZone: "UTC" })).toBe(
      Date.parse("2027-07-12T09:30:00Z"),
    );
  });

  it("writes an instant as Graph does: the zone's wall clock, seven fraction digits, no offset", () => {
    expect(graphWallClock(Date.parse("2027-01-12T15:00:00Z"), "Eastern Standard Time")).toBe(
      "2027-01-12T10:00:00.0000000",
    );
    expect(graphWallClock(Date.parse("2027-04-13T14:00:00Z"), "America/New_York")).toBe(
      "2027-04-13T10:00:00.0000000",
    );
  });
});

describe("series expanded on their zone's wall clock", () => {
  it("keeps 10:00 in New York across the March change, as Outlook's instances do", () => {
    const starts = expandRecurrence({
      rule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
      start: "2027-01-12T10:00:00",
      timeZone: "America/New_York",
      from: Date.parse("2027-01-01T00:00:00Z"),
      to: Date.parse("2027-06-01T00:00:00Z"),
    });
    expect(starts.map((at) => new Date(at).toISOString())).toEqual([
      "2027-01-12T15:00:00.000Z",
      "2027-02-09T15:00:00.000Z",
      "2027-03-09T15:00:00.000Z",
      "2027-04-13T14:00:00.000Z",
    ]);
  });

  it("leaves out an EXDATE given on the wall clock, and stops at an UNTIL given in UTC", () => {
    const starts = expandRecurrence({
      rule: "FREQ=DAILY;UNTIL=20271031T080000Z",
      start: "2027-10-29T09:00:00",
      timeZone: "Europe/Paris",
      from: Date.parse("2027-10-01T00:00:00Z"),
      to: Date.parse("2027-12-01T00:00:00Z"),
      exdates: ["2027-10-30T09:00:00"],
    });
    // 31 October 2027 is the day Paris goes back to UTC+1: 09:00 there is 08:00 UTC, still in.
    expect(starts.map((at) => new Date(at).toISOString())).toEqual([
      "2027-10-29T07:00:00.000Z",
      "2027-10-31T08:00:00.000Z",
    ]);
  });
});
