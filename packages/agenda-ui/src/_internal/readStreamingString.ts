const escapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * The text of the string field `name` of a JSON object still being written, as far as it has come:
 * `readStreamingString('{"executiveSummary":"Le client sou', "executiveSummary")` is
 * `"Le client sou"`. Escapes are decoded, an escape cut in half is left out until it is whole, and text
 * around the object (a model's code fences) is ignored. `undefined` until the field's value has started.
 */
export function readStreamingString(text: string, name: string): string | undefined {
  const start = new RegExp(`"${name}"\\s*:\\s*"`).exec(text);
  if (start === null) return undefined;
  let value = "";
  let index = start.index + start[0].length;
  while (index < text.length) {
    const character = text[index] as string;
    if (character === '"') return value;
    if (character !== "\\") {
      value += character;
      index += 1;
      continue;
    }
    const escaped = text[index + 1];
    if (escaped === undefined) return value;
    if (escaped === "u") {
      const hex = text.slice(index + 2, index + 6);
      if (hex.length < 4) return value;
      if (/^[0-9a-fA-F]{4}$/.test(hex)) value += String.fromCharCode(Number.parseInt(hex, 16));
      index += 6;
      continue;
    }
    value += escapes[escaped] ?? escaped;
    index += 2;
  }
  return value;
}
