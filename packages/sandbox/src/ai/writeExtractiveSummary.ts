/**
 * The sandbox AI service's "model": no model at all, an extractive summarizer that reads the agenda's
 * own prompts (packages/agenda-server/src/calls/buildPrompts.ts) and answers the JSON they ask for.
 *
 * - Stage 1 (`<<<TRANSCRIPT` … `TRANSCRIPT>>>`, lines `[T042 12:31] Name: text`): key points are the
 *   sentences that score highest by word frequency; decisions are sentences with a decision cue ("on
 *   part sur", "we'll go with", "hemos decidido", "beschlossen", "abbiamo deciso", "ficou decidido",
 *   "besloten"); action items are sentences with a commitment cue ("je vais", "I'll", "me encargo",
 *   "ich schicke", "mi occupo", "eu vou", "ik stuur") or a request ("tu peux", "can you", "puedes",
 *   "kannst du", "puoi", "você pode", "kun je"), owned by the participant they name or else by the
 *   speaker when they commit themselves, with the deadline words kept as said. The cues cover French,
 *   English, Spanish, German, Italian, Portuguese and Dutch.
 * - Stage 2 (`<<<PARTIALS` … `PARTIALS>>>`, one JSON partial a line): the lists merged without
 *   duplicates (the 10 best key points, as the prompt asks), and an executive summary made of the top
 *   three after a label in the language the prompt asks for ("Points clés de l'appel :", "Puntos
 *   clave de la llamada:"), so a summary shows its language even though its sentences are quoted.
 * - Anything else: a short sentence of prose, in that language.
 *
 * Like a model, it treats the transcript as text: an instruction spoken in the call is just a sentence.
 */
export function writeExtractiveSummary(prompt: string): string {
  const language = /Write every text value in [^\n]*?\(([\w-]+)\)/.exec(prompt)?.[1] ?? "fr";
  const transcript = between(prompt, "<<<TRANSCRIPT\n", "\nTRANSCRIPT>>>");
  if (transcript !== undefined) return JSON.stringify(summarizeTurns(readTurns(transcript)));
  const partials = between(prompt, "<<<PARTIALS\n", "\nPARTIALS>>>");
  if (partials !== undefined)
    return JSON.stringify(mergePartials(readPartials(partials), labelsFor(language)));
  return labelsFor(language).prose;
}

interface Labels {
  /** Put before the executive summary's sentences. */
  lead: string;
  /** The executive summary when no key point was found. */
  empty: string;
  /** The answer to a prompt that is not the agenda's. */
  prose: string;
}

/** The labels the sandbox writes, by language; English for any other. */
const labels: Record<string, Labels> = {
  fr: {
    lead: "Points clés de l'appel :",
    empty: "Aucun point clé n'a été relevé dans cet appel.",
    prose: "Je suis le service d'IA du bac à sable ; je ne résume que les transcriptions de l'agenda.",
  },
  en: {
    lead: "Key points of the call:",
    empty: "No key point was found in this call.",
    prose: "I am the sandbox AI service; I only summarize the agenda's transcripts.",
  },
  es: {
    lead: "Puntos clave de la llamada:",
    empty: "No se encontró ningún punto clave en esta llamada.",
    prose: "Soy el servicio de IA de pruebas; solo resumo las transcripciones de la agenda.",
  },
  de: {
    lead: "Die wichtigsten Punkte des Gesprächs:",
    empty: "In diesem Gespräch wurde kein wichtiger Punkt gefunden.",
    prose: "Ich bin der KI-Testdienst; ich fasse nur die Transkripte der Agenda zusammen.",
  },
  it: {
    lead: "Punti chiave della chiamata:",
    empty: "Nessun punto chiave è stato trovato in questa chiamata.",
    prose: "Sono il servizio di IA di prova; riassumo solo le trascrizioni dell'agenda.",
  },
  pt: {
    lead: "Pontos-chave da chamada:",
    empty: "Nenhum ponto-chave foi encontrado nesta chamada.",
    prose: "Sou o serviço de IA de testes; só resumo as transcrições da agenda.",
  },
  nl: {
    lead: "Belangrijkste punten van het gesprek:",
    empty: "In dit gesprek is geen belangrijk punt gevonden.",
    prose: "Ik ben de AI-testdienst; ik vat alleen de transcripties van de agenda samen.",
  },
};

function labelsFor(language: string): Labels {
  return labels[language.toLowerCase().split(/[-_]/)[0]!] ?? labels.en!;
}

interface Turn {
  id: string;
  speaker: string;
  text: string;
}
interface Item {
  text: string;
  turns: string[];
}
interface ActionItem extends Item {
  owner?: string;
  due?: string;
}
interface PartialSummary {
  executiveSummary?: string;
  keyPoints: Item[];
  decisions: Item[];
  actionItems: ActionItem[];
}

/** A case-blind pattern matching whole words, accented ones included (`\b` knows only ASCII). */
function wholeWords(alternatives: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, "iu");
}

const decisionCue = wholeWords(
  [
    "on part sur|on a décidé|nous avons décidé|c'est décidé|décidée?s?|validée?s?|on valide|on retient|on garde",
    "we'll go with|we will go with|agreed|we decided|decided|let's go with",
    "hemos decidido|decidimos|queda decidido|vamos con|acordado|aprobado",
    "wir haben (?:uns )?entschieden|beschlossen|wir nehmen|abgemacht",
    "abbiamo deciso|deciso|andiamo con|approvato",
    "ficou decidido|decidimos|vamos com|combinado|aprovado",
    "we hebben besloten|besloten|we gaan voor|afgesproken",
  ].join("|"),
);
const selfCommitment = wholeWords(
  [
    "je vais|je m'occupe|je m'en occupe|je me charge|je (?:te|vous) (?:l'|les )?envoie|je prépare",
    "i'll|i will|i'm going to|let me",
    "(?:yo )?me encargo|voy a|te envío|os envío|les envío|yo preparo",
    "ich werde|ich kümmere mich|ich schicke|ich bereite|ich mache",
    "mi occupo|me ne occupo|ti mando|vi mando|preparo io|mando io",
    "eu vou|eu envio|eu preparo|eu trato|fico com",
    "ik ga|ik zorg|ik stuur|ik regel|ik maak",
  ].join("|"),
);
const requestCue = wholeWords(
  [
    "tu peux|tu pourras|peux-tu|pourrais-tu|vous pouvez|pouvez-vous|pourriez-vous|il faut que",
    "can you|could you|please",
    "puedes|podrías|podéis|puede usted|por favor",
    "kannst du|könntest du|können sie|könnten sie|bitte",
    "puoi|potresti|potete|per favore",
    "você pode|podes|poderia|pode confirmar|pode enviar",
    "kun je|kan je|kunt u|zou je|wil je",
  ].join("|"),
);
const weekdays = [
  "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
  "monday|tuesday|wednesday|thursday|friday|saturday|sunday",
  "lunes|martes|miércoles|jueves|viernes|sábado|domingo",
  "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag",
  "lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica",
  "segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira",
  "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag",
].join("|");
const dueCue = wholeWords(
  [
    "(?:d'ici |avant |pour |by |before |hasta |antes del |para el |bis |vor |entro |até |voor )?(?:après-demain|demain|aujourd'hui|tomorrow|today|pasado mañana|mañana|hoy|übermorgen|morgen|heute|dopodomani|domani|oggi|depois de amanhã|amanhã|hoje|overmorgen|vandaag)",
    `(?:d'ici |avant |pour |by |before |next |hasta el |antes del |para el |el |bis |am |vor |entro |até |antes de |voor |op )?(?:${weekdays})(?: prochain)?`,
    "(?:le )?\\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)",
    "\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?",
    "\\d{4}-\\d{2}-\\d{2}",
  ].join("|"),
);
const stopwords = new Set(
  (
    "alors aussi avec avoir bien cela cette comme dans donc elle elles est être fait faire il ils les leur mais même nous " +
    "on ou où par pas plus pour que quand qui sans ses son sont sur tous tout très une vous votre vos voilà ça c'est " +
    "about also because been being from have just like more only other really should that their them then there these " +
    "they this those very what when where which will with would your yeah okay d'accord euh bon ben"
  ).split(" "),
);

function readTurns(block: string): Turn[] {
  return block.split("\n").flatMap((line) => {
    const match = /^\[(T\d+) [\d:]+\] (.*?): (.*)$/.exec(line);
    return match ? [{ id: match[1]!, speaker: match[2]!, text: match[3]! }] : [];
  });
}

function readPartials(block: string): PartialSummary[] {
  return block.split("\n").flatMap((line) => {
    try {
      const value = JSON.parse(line) as PartialSummary;
      return [
        {
          ...(value.executiveSummary ? { executiveSummary: value.executiveSummary } : {}),
          keyPoints: value.keyPoints ?? [],
          decisions: value.decisions ?? [],
          actionItems: value.actionItems ?? [],
        },
      ];
    } catch {
      return [];
    }
  });
}

function summarizeTurns(turns: Turn[]): PartialSummary {
  const sentences = turns.flatMap((turn) =>
    splitSentences(turn.text).map((text) => ({ text, turn: turn.id, speaker: turn.speaker })),
  );
  const frequencies = wordFrequencies(sentences.map((sentence) => sentence.text));
  const keyCount = Math.min(5, Math.max(1, Math.ceil(sentences.length / 8)));
  const candidates = sentences.filter((sentence) => words(sentence.text).length >= 4);
  const keyPoints = topInOrder(candidates.length > 0 ? candidates : sentences, keyCount, (sentence) =>
    score(sentence.text, frequencies),
  ).map((sentence) => ({ text: sentence.text, turns: [sentence.turn] }));
  const decisions = sentences
    .filter((sentence) => decisionCue.test(sentence.text))
    .map((sentence) => ({ text: sentence.text, turns: [sentence.turn] }));
  const names = [...new Set(turns.map((turn) => turn.speaker).filter((name) => name && name !== "?"))];
  const actionItems = sentences
    .filter((sentence) => selfCommitment.test(sentence.text) || requestCue.test(sentence.text))
    .map((sentence): ActionItem => {
      const named = names.find(
        (name) => name !== sentence.speaker && wholeWords(escapeRegExp(firstName(name))).test(sentence.text),
      );
      const owner = named ?? (selfCommitment.test(sentence.text) ? sentence.speaker : undefined);
      const due = dueCue.exec(sentence.text)?.[0];
      return {
        text: sentence.text,
        ...(owner && owner !== "?" ? { owner } : {}),
        ...(due ? { due } : {}),
        turns: [sentence.turn],
      };
    });
  return { keyPoints, decisions, actionItems };
}

function mergePartials(partials: PartialSummary[], labels: Labels): Required<PartialSummary> {
  const keyPoints = dedupe(partials.flatMap((partial) => partial.keyPoints));
  const frequencies = wordFrequencies(keyPoints.map((item) => item.text));
  const kept = topInOrder(keyPoints, 10, (item) => score(item.text, frequencies));
  const top = topInOrder(kept, 3, (item) => score(item.text, frequencies));
  const executiveSummary =
    top.length > 0
      ? [labels.lead, ...top.map((item) => (/[.!?…]$/.test(item.text) ? item.text : `${item.text}.`))].join(
          " ",
        )
      : labels.empty;
  return {
    executiveSummary,
    keyPoints: kept,
    decisions: dedupe(partials.flatMap((partial) => partial.decisions)),
    actionItems: dedupe(partials.flatMap((partial) => partial.actionItems)),
  };
}

/** The `count` best items by `rank`, in their original order. */
function topInOrder<T>(items: T[], count: number, rank: (item: T) => number): T[] {
  const best = new Set(
    items
      .map((item, index) => ({ index, value: rank(item) }))
      .sort((a, b) => b.value - a.value || a.index - b.index)
      .slice(0, count)
      .map((entry) => entry.index),
  );
  return items.filter((_, index) => best.has(index));
}

function dedupe<T extends Item>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = item.text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    const first = byKey.get(key);
    if (first) first.turns = [...new Set([...first.turns, ...item.turns])];
    else byKey.set(key, { ...item, turns: [...item.turns] });
  }
  return [...byKey.values()];
}

function wordFrequencies(texts: string[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const text of texts) {
    for (const word of words(text)) {
      if (word.length >= 4 && !stopwords.has(word)) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
    }
  }
  return frequencies;
}

function score(text: string, frequencies: Map<string, number>): number {
  const all = words(text);
  const total = [...new Set(all)].reduce((sum, word) => sum + (frequencies.get(word) ?? 0), 0);
  return total / Math.sqrt(all.length + 1);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function between(text: string, start: string, end: string): string | undefined {
  const from = text.indexOf(start);
  if (from === -1) return undefined;
  const to = text.indexOf(end, from + start.length);
  return to === -1 ? undefined : text.slice(from + start.length, to);
}

function firstName(name: string): string {
  return name.split(/\s+/)[0] ?? name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
