import { describe, expect, it } from "vitest";
import { ModelOutputError } from "./callErrors";
import { parseModelJson } from "./parseModelJson";

describe("parseModelJson", () => {
  it("reads a bare object", () => {
    expect(parseModelJson('{"keyPoints":[]}')).toEqual({ keyPoints: [] });
  });

  it("reads an object in a code fence with prose around it", () => {
    const answer =
      'Voici le résumé :\n```json\n{"executiveSummary":"Réunion {courte}.","keyPoints":[]}\n```\nBonne journée !';
    expect(parseModelJson(answer)).toEqual({ executiveSummary: "Réunion {courte}.", keyPoints: [] });
  });

  it("skips braces in prose before the object, and strings holding braces and escaped quotes", () => {
    const answer = 'Le format {voir plus haut} est respecté : {"text":"il a dit \\"}\\" puis {"}';
    expect(parseModelJson(answer)).toEqual({ text: 'il a dit "}" puis {' });
  });

  it("repairs what models get wrong instead of asking again: trailing commas, single quotes, fences, cut-off lists", () => {
    expect(parseModelJson('{"keyPoints":[{"text":"Budget validé","turns":["T001"]},],}')).toEqual({
      keyPoints: [{ text: "Budget validé", turns: ["T001"] }],
    });
    expect(
      parseModelJson("Voici :\n```json\n{'decisions': [{'text': 'On part sur B'}], // fin\n}\n```"),
    ).toEqual({
      decisions: [{ text: "On part sur B" }],
    });
    expect(
      parseModelJson('```json\n{"executiveSummary":"Accord.","keyPoints":[{"text":"Prix","turns":["T0'),
    ).toEqual({ executiveSummary: "Accord.", keyPoints: [{ text: "Prix", turns: ["T0"] }] });
    expect(parseModelJson('Le format {voir plus haut} : {"text":"ok",}')).toEqual({ text: "ok" });
  });

  it("fails with a reason when there is no object, or one beyond repair", () => {
    expect(() => parseModelJson("PWNED")).toThrow(new ModelOutputError("the answer contains no JSON object"));
    expect(() => parseModelJson('{"keyPoints":,,,}')).toThrow(
      new ModelOutputError("the answer's JSON object is malformed or cut off"),
    );
    expect(() => parseModelJson("[1, 2]")).toThrow(ModelOutputError);
  });
});
