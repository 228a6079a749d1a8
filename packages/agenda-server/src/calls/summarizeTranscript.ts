import type { CallSummary } from "@crm-agenda/shared";
import {
  type MeetingContext,
  renderPartial,
  renderTurn,
  repairPrompt,
  repairReasonLength,
  stage1Prompt,
  stage2Prompt,
} from "./buildPrompts";
import { ModelOutputError, SummaryFailedError } from "./callErrors";
import { chunkTurns } from "./chunkTurns";
import { type AiClient, encodedLength, type GenerateOptions } from "./createAiClient";
import { detectLanguage } from "./detectLanguage";
import { parseModelJson } from "./parseModelJson";
import type { SpeakerTurn } from "./SpeakerTurn";
import { type ModelSummary, readModelSummary, toCallSummary } from "./toCallSummary";

/**
 * Where the summary is, before each request to the AI service (counts start at 1). A `repair` request
 * follows an answer that was not usable; a live display should clear the tokens shown so far.
 */
export type SummaryProgress =
  | { stage: 1; chunk: number; of: number; repair?: true }
  | { stage: 2; merge: number; of: number; final: boolean; repair?: true };

export interface SummarizeInput {
  /** The AI service; anything with `generate` and `promptBudget` (an instant stand-in for benches). */
  ai: Pick<AiClient, "generate" | "promptBudget">;
  turns: readonly SpeakerTurn[];
  title: string;
  /** The call's date, `YYYY-MM-DD` in the user's time zone: spoken deadlines are read against it. */
  callDate: string;
  /** Display names of the participants. */
  participants: readonly string[];
  /** BCP 47 language of the summary. @default the transcript's, French when unclear */
  language?: string | undefined;
  onProgress?: ((progress: SummaryProgress) => void) | undefined;
  /** The tokens of the final stage-2 answer as they arrive, for live display. */
  onToken?: ((token: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Chunk length bounds. @default 120_000 and 300_000 */
  minChunkMs?: number;
  maxChunkMs?: number;
}

/** Room kept in each URL for the repair note, and for turn times a few characters longer than measured. */
const repairRoom = encodedLength(repairPrompt("", "x".repeat(repairReasonLength)));
const slack = 16;

/**
 * Writes the summary of a call in two stages: the turns are cut into chunks of 2–5 minutes that fit the
 * AI service's URL limit; stage 1 asks for each chunk's key points, decisions and action items (one
 * request after the other); stage 2 merges them and writes the executive summary (in a tree of merges
 * when they do not fit in one request). An unusable answer gets one repair request.
 *
 * Resolves with a complete summary or rejects: never a partial one.
 *
 * @throws {SummaryFailedError} no spoken text, a URL limit too small, or unusable JSON twice in a row
 * @throws errors of the AI client unchanged ({@link AiUnavailableError} is the one worth retrying)
 */
export async function summarizeTranscript(input: SummarizeInput): Promise<CallSummary> {
  const { ai, turns, signal } = input;
  if (turns.length === 0) throw new SummaryFailedError("the transcript has no spoken text");
  const language = input.language || detectLanguage(turns);
  const context: MeetingContext = {
    title: input.title,
    date: input.callDate,
    participants: input.participants,
    language,
  };
  const knownIds = new Set(turns.map((turn) => turn.id));
  const budget = ai.promptBudget - repairRoom - slack;

  const ask = async <T>(
    prompt: string,
    read: (raw: unknown) => T,
    progress: SummaryProgress,
    onToken?: GenerateOptions["onToken"],
  ): Promise<T> => {
    input.onProgress?.(progress);
    const answer = await ai.generate(prompt, { signal, onToken });
    try {
      return read(parseModelJson(answer));
    } catch (error) {
      if (!(error instanceof ModelOutputError)) throw error;
      input.onProgress?.({ ...progress, repair: true });
      const second = await ai.generate(repairPrompt(prompt, error.message), { signal, onToken });
      try {
        return read(parseModelJson(second));
      } catch (secondError) {
        if (!(secondError instanceof ModelOutputError)) throw secondError;
        throw new SummaryFailedError(
          `the AI service's answer is not a valid summary: ${secondError.message}`,
          {
            cause: secondError,
          },
        );
      }
    }
  };

  // Stage 1: each chunk as large as the URL allows, within 2–5 minutes.
  const fixed = encodedLength(stage1Prompt({ ...context, chunk: { turns: [] } }));
  const maxChars = budget - fixed;
  if (maxChars < 500) {
    throw new SummaryFailedError(
      `the AI service's URL limit (${ai.promptBudget} characters for the prompt) leaves no room for the transcript`,
    );
  }
  const chunks = chunkTurns(turns, {
    ...(input.minChunkMs === undefined ? {} : { minMs: input.minChunkMs }),
    ...(input.maxChunkMs === undefined ? {} : { maxMs: input.maxChunkMs }),
    maxChars,
    measure: (turn) => encodedLength(`${renderTurn(turn)}\n`),
  });
  const partials: ModelSummary[] = [];
  for (const [index, chunk] of chunks.entries()) {
    partials.push(
      await ask(stage1Prompt({ ...context, chunk }), (raw) => readModelSummary(raw, { knownIds }), {
        stage: 1,
        chunk: index + 1,
        of: chunks.length,
      }),
    );
  }

  // Stage 2: merge what fits in one request, again and again, until one request holds them all.
  const mergeFixed = encodedLength(stage2Prompt({ ...context, partials: [] }));
  let level = partials;
  for (;;) {
    const groups = packPartials(level, budget - mergeFixed);
    if (groups.length === 1) {
      return ask(
        stage2Prompt({ ...context, partials: groups[0]! }),
        (raw) => toCallSummary(raw, turns, input.callDate, language),
        { stage: 2, merge: 1, of: 1, final: true },
        input.onToken,
      );
    }
    if (groups.length === level.length) {
      throw new SummaryFailedError(
        "the partial summaries are too long to merge within the AI service's URL limit",
      );
    }
    const merged: ModelSummary[] = [];
    for (const [index, group] of groups.entries()) {
      merged.push(
        await ask(
          stage2Prompt({ ...context, partials: group }),
          (raw) => readModelSummary(raw, { knownIds, requireExecutiveSummary: true }),
          { stage: 2, merge: index + 1, of: groups.length, final: false },
        ),
      );
    }
    level = merged;
  }
}

/** Consecutive partials grouped so that each group's lines fit in `room`. */
function packPartials(partials: readonly ModelSummary[], room: number): ModelSummary[][] {
  const groups: ModelSummary[][] = [];
  let group: ModelSummary[] = [];
  let used = 0;
  for (const partial of partials) {
    const size = encodedLength(`${renderPartial(partial)}\n`);
    if (size > room) {
      throw new SummaryFailedError("a partial summary is too long for the AI service's URL limit");
    }
    if (group.length > 0 && used + size > room) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(partial);
    used += size;
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);
  return groups;
}
