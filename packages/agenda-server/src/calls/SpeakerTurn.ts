/** One person speaking without interruption, the unit the summary cites. */
export interface SpeakerTurn {
  /** `T001`, `T002`, … in call order (four digits and more past `T999`). */
  id: string;
  /** The speaker's display name; empty when the transcript does not say who spoke. */
  speaker: string;
  /** When the provider gives it; Zoom often hides it, Meet never gives one. */
  email?: string;
  /** Milliseconds from the start of the call. */
  startMs: number;
  endMs: number;
  text: string;
}

/** A piece of speech as a parser reads it, before consecutive pieces of one speaker are merged. */
export interface SpeechPiece {
  speaker: string;
  email?: string | undefined;
  startMs: number;
  endMs: number;
  text: string;
}

/** `T001` for 1; ids keep sorting by call order up to 999 and stay unique after. */
export function turnId(index: number): string {
  return `T${String(index).padStart(3, "0")}`;
}

/** Merges consecutive pieces of one speaker into numbered turns; pieces without text are left out. */
export function toSpeakerTurns(pieces: Iterable<SpeechPiece>): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  let current: SpeakerTurn | undefined;
  for (const piece of pieces) {
    const text = piece.text.replace(/\s+/g, " ").trim();
    if (!text) continue;
    if (current && current.speaker === piece.speaker) {
      current.text += ` ${text}`;
      current.endMs = Math.max(current.endMs, piece.endMs);
      if (!current.email && piece.email) current.email = piece.email;
      continue;
    }
    current = {
      id: turnId(turns.length + 1),
      speaker: piece.speaker,
      ...(piece.email ? { email: piece.email } : {}),
      startMs: piece.startMs,
      endMs: Math.max(piece.startMs, piece.endMs),
      text,
    };
    turns.push(current);
  }
  return turns;
}

/** `HH:MM:SS` into the call, the shape of `at` in the shared `CallSummary`. */
export function formatCallTime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return [hours, minutes, seconds % 60].map((part) => String(part).padStart(2, "0")).join(":");
}
