import { describe, expect, it } from "vitest";
import { getDateInputFormat } from "./dateInputFormat";

describe("getDateInputFormat", () => {
  it("writes dates day first in French and month first in English, whatever the browser's language", () => {
    expect(getDateInputFormat("fr").formatDate("2026-11-29")).toBe("29/11/2026");
    expect(getDateInputFormat("en").formatDate("2026-11-29")).toBe("11/29/2026");
  });

  it("reads dates in the agenda's order, with any separator and two-digit years", () => {
    const french = getDateInputFormat("fr");
    expect(french.parseDate("29/11/2026")).toBe("2026-11-29");
    expect(french.parseDate(" 3.2.27 ")).toBe("2027-02-03");
    expect(french.parseDate("3-2-2027")).toBe("2027-02-03");
    expect(getDateInputFormat("en").parseDate("11/29/2026")).toBe("2026-11-29");
    // In French, 11/29 is no month: refused rather than guessed.
    expect(french.parseDate("11/29/2026")).toBeUndefined();
  });

  it("refuses dates that do not exist and text that is no date", () => {
    const french = getDateInputFormat("fr");
    expect(french.parseDate("31/02/2026")).toBeUndefined();
    expect(french.parseDate("29/02/2027")).toBeUndefined();
    expect(french.parseDate("29/02/2028")).toBe("2028-02-29");
    expect(french.parseDate("demain")).toBeUndefined();
    expect(french.parseDate("29/11")).toBeUndefined();
    // A year half typed is no year yet.
    expect(french.parseDate("29/11/202")).toBeUndefined();
    expect(french.parseDate("29/11/2")).toBeUndefined();
  });

  it("writes times on the locale's clock", () => {
    expect(getDateInputFormat("fr").formatTime("14:30")).toBe("14:30");
    expect(getDateInputFormat("en").formatTime("14:30")).toBe("2:30 PM");
    expect(getDateInputFormat("en").formatTime("00:05")).toBe("12:05 AM");
  });

  it("reads times as people type them", () => {
    const french = getDateInputFormat("fr");
    expect(french.parseTime("14:30")).toBe("14:30");
    expect(french.parseTime("14h30")).toBe("14:30");
    expect(french.parseTime("9h")).toBe("09:00");
    expect(french.parseTime("1430")).toBe("14:30");
    expect(french.parseTime("2:30 PM")).toBe("14:30");
    expect(french.parseTime("12 am")).toBe("00:00");
    expect(french.parseTime("12:15 p.m.")).toBe("12:15");
    expect(french.parseTime("24:00")).toBeUndefined();
    expect(french.parseTime("13 pm")).toBeUndefined();
    expect(french.parseTime("9:75")).toBeUndefined();
  });
});
