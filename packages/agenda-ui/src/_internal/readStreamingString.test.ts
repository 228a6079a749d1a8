import { describe, expect, it } from "vitest";
import { readStreamingString } from "./readStreamingString";

describe("readStreamingString", () => {
  it("is undefined until the field's value starts", () => {
    expect(readStreamingString("", "executiveSummary")).toBeUndefined();
    expect(readStreamingString('```json\n{"executiveSum', "executiveSummary")).toBeUndefined();
    expect(readStreamingString('{"executiveSummary": ', "executiveSummary")).toBeUndefined();
  });

  it("grows with the text written so far, behind a model's code fence", () => {
    expect(readStreamingString('```json\n{"executiveSummary": "Le client', "executiveSummary")).toBe(
      "Le client",
    );
    expect(
      readStreamingString(
        '{"executiveSummary":"Le client signe.","keyPoints":[{"text":"x"}]}',
        "executiveSummary",
      ),
    ).toBe("Le client signe.");
  });

  it("decodes escapes and leaves out one cut in half until it is whole", () => {
    const whole = '{"executiveSummary":"Il dit \\"oui\\"\\nPuis \\u00e9crit';
    expect(readStreamingString(whole, "executiveSummary")).toBe('Il dit "oui"\nPuis écrit');
    expect(readStreamingString('{"executiveSummary":"fin\\', "executiveSummary")).toBe("fin");
    expect(readStreamingString('{"executiveSummary":"caf\\u00', "executiveSummary")).toBe("caf");
  });

  it("reads the named field, not another one holding the same words", () => {
    expect(readStreamingString('{"keyPoints":[],"executiveSummary":"Bon', "executiveSummary")).toBe("Bon");
  });
});
