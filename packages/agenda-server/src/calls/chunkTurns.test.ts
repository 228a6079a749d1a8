import { describe, expect, it } from "vitest";
import { chunkTurns } from "./chunkTurns";
import type { SpeakerTurn } from "./SpeakerTurn";

function turn(
  index: number,
  startS: number,
  endS: number,
  text = `Phrase ${index}.`,
  speaker = `S${index % 2}`,
) {
  return {
    id: `T${String(index).padStart(3, "0")}`,
    speaker,
    startMs: startS * 1000,
    endMs: endS * 1000,
    text,
  } satisfies SpeakerTurn;
}

describe("chunkTurns", () => {
  it("cuts at turn boundaries into chunks of at most maxMs", () => {
    // 40 turns of 30 s: 20 minutes.
    const turns = Array.from({ length: 40 }, (_, index) => turn(index + 1, index * 30, index * 30 + 30));
    const chunks = chunkTurns(turns);
    expect(chunks.map((chunk) => chunk.turns.length)).toEqual([10, 10, 10, 10]);
    expect(chunks.map((chunk) => [chunk.startMs, chunk.endMs])).toEqual([
      [0, 300_000],
      [300_000, 600_000],
      [600_000, 900_000],
      [900_000, 1_200_000],
    ]);
    expect(chunks.flatMap((chunk) => chunk.turns)).toEqual(turns);
  });

  it("joins a short last chunk to the one before when both fit", () => {
    const turns = [turn(1, 0, 100), turn(2, 100, 200), turn(3, 200, 230)];
    const chunks = chunkTurns(turns, { minMs: 120_000, maxMs: 240_000 });
    expect(chunks.map((chunk) => chunk.turns.map((t) => t.id))).toEqual([["T001", "T002", "T003"]]);
  });

  it("keeps each chunk under maxChars by the given measure", () => {
    const turns = Array.from({ length: 30 }, (_, index) => turn(index + 1, index, index + 1, "x".repeat(90)));
    const chunks = chunkTurns(turns, { maxChars: 1_000, measure: (t) => t.text.length + 10 });
    expect(chunks.map((chunk) => chunk.turns.length)).toEqual([10, 10, 10]);
  });

  it("cuts a turn longer than maxMs at sentence ends, its parts keeping the turn's id", () => {
    const text = Array.from({ length: 10 }, (_, index) => `Phrase numéro ${index} du long monologue.`).join(
      " ",
    );
    const long = turn(2, 60, 660, text, "Marie");
    const chunks = chunkTurns([turn(1, 0, 60), long, turn(3, 660, 670)], { maxMs: 300_000 });
    const parts = chunks.flatMap((chunk) => chunk.turns).filter((t) => t.id === "T002");
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((part) => part.text).join(" ")).toBe(text);
    for (const part of parts) expect(part.text).toMatch(/^Phrase numéro \d.*monologue\.$/);
    expect(parts[0]!.startMs).toBe(60_000);
    expect(parts.at(-1)!.endMs).toBe(660_000);
    for (const chunk of chunks) expect(chunk.endMs - chunk.startMs).toBeLessThanOrEqual(300_000);
  });

  it("cuts a sentence heavier than maxChars at word ends", () => {
    const text = Array.from({ length: 100 }, (_, index) => `mot${index}`).join(" ");
    const chunks = chunkTurns([turn(1, 0, 10, text)], { maxChars: 100 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.turns[0]!.text.length).toBeLessThanOrEqual(100);
    expect(chunks.map((chunk) => chunk.turns[0]!.text).join(" ")).toBe(text);
  });

  it("gives no chunk for no turns, and handles 2 hours of turns in one pass", () => {
    expect(chunkTurns([])).toEqual([]);
    // 18,000 turns of 400 ms: 2 hours, 750 turns in each 5-minute chunk.
    const turns = Array.from({ length: 18_000 }, (_, index) => ({
      ...turn(index + 1, 0, 0),
      startMs: index * 400,
      endMs: index * 400 + 400,
    }));
    const started = performance.now();
    const chunks = chunkTurns(turns);
    expect(performance.now() - started).toBeLessThan(200);
    expect(chunks).toHaveLength(24);
  });
});
