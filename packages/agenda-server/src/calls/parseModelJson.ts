import { jsonrepair } from "jsonrepair";
import { ModelOutputError } from "./callErrors";

/**
 * The JSON object in a model's answer, which may wrap it in a code fence or in prose ("Voici le
 * résumé : {…} J'espère que…"). The first complete object that parses wins. When none parses, the
 * first object is repaired here (`jsonrepair`: trailing commas, single quotes, unquoted keys, comments,
 * an answer cut off in the middle of a list) rather than paying for a second request to the AI service;
 * whether the repaired object is a summary is for the caller's schema to say.
 *
 * @throws {ModelOutputError} when the answer holds no JSON object, even repaired.
 */
export function parseModelJson(text: string): unknown {
  const strict = findObject(text);
  if (strict !== undefined) return strict;
  const repaired = repairObject(text);
  if (repaired !== undefined) return repaired;
  throw new ModelOutputError(
    text.includes("{")
      ? "the answer's JSON object is malformed or cut off"
      : "the answer contains no JSON object",
  );
}

/** The first object of the answer that `JSON.parse` reads as it is. */
function findObject(text: string): object | undefined {
  for (const span of objectSpans(text)) {
    const value = parseObject(span);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first object of the answer that `jsonrepair` makes readable. */
function repairObject(text: string): object | undefined {
  for (const span of objectSpans(text)) {
    let repaired: string;
    try {
      repaired = jsonrepair(span);
    } catch {
      continue;
    }
    const value = parseObject(repaired);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The outermost `{…}` spans of the fenced block, then of the whole answer, in order: braces in prose
 * ("{voir plus haut}") make spans too, and an object cut off by the end runs to the end.
 */
function* objectSpans(text: string): Generator<string> {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)(?:```|$)/i.exec(text);
  for (const candidate of fenced ? [fenced[1]!, text] : [text]) {
    let start = candidate.indexOf("{");
    for (let attempts = 0; start !== -1 && attempts < 50; attempts += 1) {
      const end = matchingBrace(candidate, start);
      if (end === -1) {
        yield candidate.slice(start);
        break;
      }
      yield candidate.slice(start, end + 1);
      start = candidate.indexOf("{", end + 1);
    }
  }
}

function parseObject(json: string): object | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
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
