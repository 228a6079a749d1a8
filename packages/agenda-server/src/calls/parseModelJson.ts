import { ModelOutputError } from "./callErrors";

/**
 * The JSON object in a model's answer, which may wrap it in a code fence or in prose ("Voici le
 * résumé : {…} J'espère que…"). The first complete object that parses wins.
 *
 * @throws {ModelOutputError} when the answer holds no JSON object.
 */
export function parseModelJson(text: string): unknown {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const candidates = fenced ? [fenced[1]!, text] : [text];
  let sawBrace = false;
  for (const candidate of candidates) {
    let start = candidate.indexOf("{");
    for (let attempts = 0; start !== -1 && attempts < 50; attempts += 1) {
      sawBrace = true;
      const end = matchingBrace(candidate, start);
      if (end === -1) break;
      try {
        const value: unknown = JSON.parse(candidate.slice(start, end + 1));
        if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
      } catch {
        // Braces in prose ("{voir plus haut}"): try the next one.
      }
      start = candidate.indexOf("{", start + 1);
    }
  }
  throw new ModelOutputError(
    sawBrace ? "the answer's JSON object is malformed or cut off" : "the answer contains no JSON object",
  );
}

/** The index of the brace closing the object opened at `start`, skipping strings; -1 when unclosed. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{") {
      depth += 1;
    } else if (char === "}") {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}
