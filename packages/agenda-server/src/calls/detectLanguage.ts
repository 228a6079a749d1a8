import { francAll } from "franc-min";
import type { SpeakerTurn } from "./SpeakerTurn";

/**
 * The language a summary is written in when the transcript's cannot be told: too little speech, or
 * two languages scoring alike.
 */
export const fallbackSummaryLanguage = "fr";

/** Below this many letters, trigram statistics say more about the words than about the language. */
const minLetters = 80;
/** How much speech is read: enough to tell any language apart, whatever the call's length. */
const sampleChars = 6_000;
/**
 * franc scores the best language 1 and the others relative to it; a runner-up this close is a tie
 * (in tests, a 15-turn Spanish call puts Portuguese at 0.97, a run of "ok ok ok" two languages at 0.995).
 */
const tieScore = 0.985;

/**
 * The BCP 47 code (`fr`, `es`, `nl`, …; a three-letter code for languages without a two-letter one) of
 * the language spoken in the call, by the trigram statistics of `franc-min` (the 82 languages with 8
 * million speakers or more), read over the turns spread across the call. When it cannot tell, the
 * fallback: `options.fallback`, else {@link fallbackSummaryLanguage}.
 */
export function detectLanguage(turns: readonly SpeakerTurn[], options: { fallback?: string } = {}): string {
  const fallback = options.fallback ?? fallbackSummaryLanguage;
  const text = sample(turns);
  if ((text.match(/\p{L}/gu)?.length ?? 0) < minLetters) return fallback;
  const [best, runnerUp] = francAll(text);
  if (!best || best[0] === "und" || (runnerUp && runnerUp[1] >= tieScore)) return fallback;
  return toBcp47(best[0]);
}

/**
 * Up to {@link sampleChars} of speech taken from turns spread evenly over the call, so the greetings
 * at the start (often in English, whatever the meeting) do not decide alone.
 */
function sample(turns: readonly SpeakerTurn[]): string {
  const total = turns.reduce((sum, turn) => sum + turn.text.length + 1, 0);
  const step = Math.max(1, Math.ceil(total / sampleChars));
  const picked: string[] = [];
  let length = 0;
  for (let index = 0; index < turns.length && length < sampleChars; index += step) {
    const text = turns[index]!.text;
    picked.push(text);
    length += text.length + 1;
  }
  return picked.join("\n");
}

/** `fra` → `fr`: ISO 639-3 as CLDR's aliases canonicalize it; a code with no shorter form stays as it is. */
function toBcp47(iso6393: string): string {
  try {
    return Intl.getCanonicalLocales(iso6393)[0] ?? iso6393;
  } catch {
    return iso6393;
  }
}
