import { TranscriptFormatError } from "../../calls/callErrors";
import { type SpeakerTurn, type SpeechPiece, toSpeakerTurns } from "../../calls/SpeakerTurn";

const timestamp = String.raw`(?:(\d{1,}):)?([0-5]\d):([0-5]\d)[.,](\d{3})`;
const timingLine = new RegExp(`^${timestamp}[ \\t]+-->[ \\t]+${timestamp}(?:[ \\t].*)?$`);
const voiceTag = /<v(?:\.[^\s>]*)?[ \t]+([^>]+)>/;
/** `Marie Dupont: …`, `Dupont, Marie (Acme) : …`, `[Support] Léa: …`: a short name before the colon. */
const speakerPrefix = /^([^:!?]{1,80}?)[ \t]*:[ \t]+(.*)$/;

/**
 * Reads a Zoom cloud-recording transcript (WebVTT) into numbered speaker turns.
 *
 * Zoom writes one cue per caption: a cue number line, a timing line `00:00:01.000 --> 00:00:04.500`, and
 * the text as `Name: text`. Other WebVTT writers use voice tags (`<v Name>text</v>`); both are read, and
 * so are multi-line cues, cues without a speaker (speaker `""`), NOTE/STYLE/REGION blocks, a BOM and
 * CRLF line ends. Consecutive cues of one speaker become one turn.
 *
 * @throws {TranscriptFormatError} with a reason a person can read, e.g. "cue 12 has a malformed timing line".
 */
export function parseZoomVtt(text: string): SpeakerTurn[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? "")) {
    throw new TranscriptFormatError("not a WebVTT file: the first line must be WEBVTT");
  }
  const pieces: SpeechPiece[] = [];
  let cueCount = 0;
  for (const block of blocks(lines)) {
    const first = block[0]!;
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes("-->")) continue;
    cueCount += 1;
    const timingIndex = first.includes("-->") ? 0 : 1;
    const identifier = timingIndex === 1 ? first.trim() : "";
    const cueName = `cue ${/^\d+$/.test(identifier) ? identifier : cueCount}`;
    const timing = block[timingIndex];
    if (timing === undefined || !timing.includes("-->")) {
      throw new TranscriptFormatError(`${cueName} has no timing line`);
    }
    const match = timingLine.exec(timing.trim());
    if (!match) throw new TranscriptFormatError(`${cueName} has a malformed timing line`);
    const startMs = toMs(match[1], match[2]!, match[3]!, match[4]!);
    const endMs = toMs(match[5], match[6]!, match[7]!, match[8]!);
    if (endMs < startMs) throw new TranscriptFormatError(`${cueName} ends before it starts`);
    pieces.push({ ...readPayload(block.slice(timingIndex + 1)), startMs, endMs });
  }
  const turns = toSpeakerTurns(pieces);
  if (turns.length === 0) throw new TranscriptFormatError("the transcript has no spoken text");
  return turns;
}

/** The blocks after the header, separated by blank lines. */
function* blocks(lines: string[]): Generator<string[]> {
  let index = 1;
  // The header block (WEBVTT and any header lines) ends at the first blank line.
  while (index < lines.length && lines[index]!.trim() !== "") index += 1;
  let block: string[] = [];
  for (; index <= lines.length; index += 1) {
    const line = lines[index];
    if (line === undefined || line.trim() === "") {
      if (block.length > 0) yield block;
      block = [];
    } else {
      block.push(line);
    }
  }
}

function readPayload(payload: string[]): { speaker: string; text: string } {
  const joined = payload.join("\n");
  const voice = voiceTag.exec(joined);
  if (voice) return { speaker: plainText(voice[1]!), text: plainText(joined) };
  // The speaker is named at the start of the cue's first line only.
  const prefix = speakerPrefix.exec(plainText(payload[0] ?? ""));
  if (prefix && looksLikeName(prefix[1]!)) {
    return {
      speaker: prefix[1]!.trim(),
      text: `${prefix[2]!} ${plainText(payload.slice(1).join("\n"))}`.trim(),
    };
  }
  return { speaker: "", text: plainText(joined) };
}

/** A speaker name is a few words; a sentence with a colon in a cue without speaker is left as text. */
function looksLikeName(candidate: string): boolean {
  return candidate.trim().split(/\s+/).length <= 6;
}

/** Cue text without its tags (`<v>`, `<c>`, `<i>`, `<00:01.000>`) and with its character references read. */
function plainText(cue: string): string {
  return cue
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|nbsp|lrm|rlm|quot|apos|#\d+|#x[\da-f]+);/gi, (_, name: string) => entity(name))
    .replace(/\s+/g, " ")
    .trim();
}

function entity(name: string): string {
  const lower = name.toLowerCase();
  if (lower.startsWith("#")) {
    const code = lower.startsWith("#x")
      ? Number.parseInt(lower.slice(2), 16)
      : Number.parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  }
  const named: Record<string, string> = {
    amp: "&",
    lt: "<",
    gt: ">",
    nbsp: " ",
    lrm: "",
    rlm: "",
    quot: '"',
    apos: "'",
  };
  return named[lower] ?? "";
}

function toMs(hours: string | undefined, minutes: string, seconds: string, millis: string): number {
  return ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);
}
