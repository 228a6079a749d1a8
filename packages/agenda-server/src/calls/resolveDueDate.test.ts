import { describe, expect, it } from "vitest";
import { resolveDueDate } from "./resolveDueDate";

// Wednesday 10 December 2025.
const call = "2025-12-10";

describe("resolveDueDate", () => {
  it("reads weekdays in French and English as the next such day after the call", () => {
    expect(resolveDueDate("vendredi", call)).toBe("2025-12-12");
    expect(resolveDueDate("d'ici Vendredi !", call)).toBe("2025-12-12");
    expect(resolveDueDate("by Friday", call, "en")).toBe("2025-12-12");
    expect(resolveDueDate("mercredi", call)).toBe("2025-12-17");
    expect(resolveDueDate("lundi prochain", call)).toBe("2025-12-15");
    expect(resolveDueDate("next Monday", call, "en")).toBe("2025-12-15");
  });

  it("reads tomorrow, the day after and today", () => {
    expect(resolveDueDate("demain", call)).toBe("2025-12-11");
    expect(resolveDueDate("tomorrow", call, "en")).toBe("2025-12-11");
    expect(resolveDueDate("après-demain", call)).toBe("2025-12-12");
    expect(resolveDueDate("aujourd'hui", call)).toBe("2025-12-10");
    expect(resolveDueDate("dans 3 jours", call)).toBe("2025-12-13");
  });

  it("reads explicit dates, in the next year when the day has passed", () => {
    expect(resolveDueDate("15/12", call)).toBe("2025-12-15");
    expect(resolveDueDate("le 15 décembre", call)).toBe("2025-12-15");
    expect(resolveDueDate("1er mars", call)).toBe("2026-03-01");
    expect(resolveDueDate("December 15", call, "en")).toBe("2025-12-15");
    expect(resolveDueDate("05/01/2026", call)).toBe("2026-01-05");
    expect(resolveDueDate("12/15", call, "en-US")).toBe("2025-12-15");
    expect(resolveDueDate("2026-02-03", call)).toBe("2026-02-03");
  });

  it("reads the same deadlines in Spanish, German, Italian, Portuguese and Dutch", () => {
    for (const [spoken, language] of [
      ["el viernes", "es"],
      ["bis Freitag", "de"],
      ["entro venerdì", "it"],
      ["até sexta-feira", "pt"],
      ["voor vrijdag", "nl"],
    ]) {
      expect(resolveDueDate(spoken, call, language), spoken).toBe("2025-12-12");
    }
    for (const spoken of ["mañana", "morgen", "domani", "amanhã"])
      expect(resolveDueDate(spoken, call)).toBe("2025-12-11");
    for (const spoken of ["pasado mañana", "übermorgen", "dopodomani", "depois de amanhã", "overmorgen"])
      expect(resolveDueDate(spoken, call), spoken).toBe("2025-12-12");
    expect(resolveDueDate("hoy", call)).toBe("2025-12-10");
    expect(resolveDueDate("en 3 días", call)).toBe("2025-12-13");
    expect(resolveDueDate("binnen 3 dagen", call)).toBe("2025-12-13");
    expect(resolveDueDate("15 de marzo", call)).toBe("2026-03-15");
    expect(resolveDueDate("15. März", call)).toBe("2026-03-15");
    expect(resolveDueDate("1 de fevereiro de 2026", call)).toBe("2026-02-01");
    expect(resolveDueDate("12 maart", call)).toBe("2026-03-12");
    for (const spoken of [
      "el viernes pasado",
      "letzten Freitag",
      "venerdì scorso",
      "sexta-feira passada",
      "afgelopen vrijdag",
    ])
      expect(resolveDueDate(spoken, call), spoken).toBeUndefined();
  });

  it("gives no date for anything vague, past or impossible", () => {
    for (const spoken of [
      "bientôt",
      "la semaine prochaine",
      "vendredi dernier",
      "31/02",
      "ASAP",
      "",
      undefined,
    ]) {
      expect(resolveDueDate(spoken, call)).toBeUndefined();
    }
    expect(resolveDueDate("vendredi", "not a date")).toBeUndefined();
  });
});
