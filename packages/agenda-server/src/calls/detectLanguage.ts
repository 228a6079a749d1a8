import type { SpeakerTurn } from "./SpeakerTurn";

const french = new Set(
  "le la les un une des et est que qui pour pas dans sur avec nous vous je tu il elle ce cette mais ou donc très aussi être avoir fait".split(
    " ",
  ),
);
const english = new Set(
  "the an and is are that which for not in with we you i he she it this but or so very also be have has does".split(
    " ",
  ),
);

/**
 * `fr` or `en`, by counting common words in the first turns; French when it cannot tell. Zoom
 * transcripts say nothing of their language; Meet entries carry a `languageCode`, which wins.
 */
export function detectLanguage(turns: readonly SpeakerTurn[]): "fr" | "en" {
  let frenchCount = 0;
  let englishCount = 0;
  let seen = 0;
  for (const turn of turns) {
    for (const word of turn.text.toLowerCase().split(/[^\p{L}']+/u)) {
      if (french.has(word)) frenchCount += 1;
      if (english.has(word)) englishCount += 1;
      seen += 1;
    }
    if (seen > 2_000) break;
  }
  return englishCount > frenchCount * 1.5 ? "en" : "fr";
}
