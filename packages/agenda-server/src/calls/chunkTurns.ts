import type { SpeakerTurn } from "./SpeakerTurn";

/** A stretch of the call sent to the AI service in one stage-1 request. */
export interface TranscriptChunk {
  /** Whole turns, or the parts of one long turn (parts keep their turn's id). */
  turns: SpeakerTurn[];
  startMs: number;
  endMs: number;
}

export interface ChunkOptions {
  /**
   * A chunk shorter than this is only cut when the next turn would not fit; a short last chunk joins
   * the one before when both fit together.
   * @default 120_000
   */
  minMs?: number;
  /** @default 300_000 */
  maxMs?: number;
  /** The most a chunk may weigh, in the unit of `measure`. @default Infinity */
  maxChars?: number;
  /**
   * The weight of a turn in a chunk, e.g. the URL-encoded length of its line in the prompt; must add
   * up (the weight of a text is the sum of its pieces' weights).
   * @default the length of the turn's text
   */
  measure?: (turn: SpeakerTurn) => number;
}

/**
 * Cuts the turns into chunks of `minMs`–`maxMs` at turn boundaries, each weighing at most `maxChars`.
 * A turn longer than `maxMs` or heavier than `maxChars` on its own is cut at sentence ends (at word
 * ends for a sentence too heavy by itself), its parts keeping the turn's id with times shared out by
 * length. One pass over the turns.
 */
export function chunkTurns(turns: readonly SpeakerTurn[], options: ChunkOptions = {}): TranscriptChunk[] {
  const minMs = options.minMs ?? 120_000;
  const maxMs = options.maxMs ?? 300_000;
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  const measure = options.measure ?? ((turn: SpeakerTurn) => turn.text.length);
  const chunks: TranscriptChunk[] = [];
  const weights: number[] = [];
  let current: TranscriptChunk | undefined;
  let weight = 0;

  const close = () => {
    if (current) {
      chunks.push(current);
      weights.push(weight);
    }
    current = undefined;
    weight = 0;
  };

  for (const whole of turns) {
    const wholeWeight = measure(whole);
    const parts =
      whole.endMs - whole.startMs > maxMs || wholeWeight > maxChars
        ? splitTurn(whole, maxMs, maxChars, measure)
        : [{ turn: whole, weight: wholeWeight }];
    for (const part of parts) {
      if (current && (part.turn.endMs - current.startMs > maxMs || weight + part.weight > maxChars)) {
        close();
      }
      if (!current) current = { turns: [], startMs: part.turn.startMs, endMs: part.turn.endMs };
      current.turns.push(part.turn);
      current.endMs = Math.max(current.endMs, part.turn.endMs);
      weight += part.weight;
    }
  }
  close();

  // A short last chunk joins the one before when together they still fit.
  const last = chunks.at(-1);
  const before = chunks.at(-2);
  if (
    last &&
    before &&
    last.endMs - last.startMs < minMs &&
    last.endMs - before.startMs <= maxMs &&
    weights.at(-1)! + weights.at(-2)! <= maxChars
  ) {
    before.turns.push(...last.turns);
    before.endMs = Math.max(before.endMs, last.endMs);
    chunks.pop();
  }
  return chunks;
}

/** The parts of a turn too long for one chunk, each within `maxMs` and `maxChars`. */
function splitTurn(
  turn: SpeakerTurn,
  maxMs: number,
  maxChars: number,
  measure: (turn: SpeakerTurn) => number,
): { turn: SpeakerTurn; weight: number }[] {
  const base = measure({ ...turn, text: "" });
  const pieces = sentences(turn.text).flatMap((sentence) =>
    measure({ ...turn, text: sentence }) > maxChars ? words(sentence) : [sentence],
  );
  const msPerChar = (turn.endMs - turn.startMs) / Math.max(1, turn.text.length);
  const parts: { turn: SpeakerTurn; weight: number }[] = [];
  let text = "";
  let weight = base;
  let offset = 0;
  let partStart = 0;
  const flush = () => {
    if (!text) return;
    const startMs = turn.startMs + Math.round(partStart * msPerChar);
    const endMs = turn.startMs + Math.round(offset * msPerChar);
    parts.push({ turn: { ...turn, startMs, endMs, text: text.trim() }, weight });
    text = "";
    weight = base;
    partStart = offset;
  };
  for (const piece of pieces) {
    const pieceWeight = measure({ ...turn, text: piece }) - base;
    const tooHeavy = weight + pieceWeight > maxChars;
    const tooLong = (offset + piece.length - partStart) * msPerChar > maxMs;
    if (text && (tooHeavy || tooLong)) flush();
    text += piece;
    weight += pieceWeight;
    offset += piece.length;
  }
  flush();
  return parts;
}

/** Sentences with their trailing spaces, so that joining them gives the text back. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?…]["»”)]*\s+)(?=\S)/);
}

function words(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/);
}
