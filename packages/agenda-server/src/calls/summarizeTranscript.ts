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
import { type ModelItem, type ModelSummary, readModelSummary, toCallSummary } from "./toCallSummary";

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
 * when they do not fit in one request). Broken JSON (a trailing comma, single quotes, a cut-off list) is
 * repaired here; an answer that still is no summary gets one repair request.
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

  // Stage 2: merge what fits in one request, level after level, until one request holds them all.
  const room = budget - encodedLength(stage2Prompt({ ...context, partials: [] }));
  let level = partials;
  let hidden: Omit<ModelSummary, "executiveSummary"> = { keyPoints: [], decisions: [], actionItems: [] };
  for (;;) {
    const { groups, fit } = packPartials(level, room);
    if (fit && groups.length === 1) break;
    if (!fit || groups.length === level.length) {
      // Each partial fills a request alone and the model cannot condense them further: the lists are
      // merged here, the model sees what fits, and what it did not see is added back to its answer.
      const fitted = fitPartial(mergeInCode(level, knownIds), room);
      level = [fitted.shown];
      hidden = fitted.hidden;
      break;
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
  return ask(
    stage2Prompt({ ...context, partials: level }),
    (raw) => {
      const model = readModelSummary(raw, { knownIds, requireExecutiveSummary: true });
      const complete: ModelSummary = {
        ...model,
        keyPoints: [...model.keyPoints, ...hidden.keyPoints],
        decisions: [...model.decisions, ...hidden.decisions],
        actionItems: [...model.actionItems, ...hidden.actionItems],
      };
      return toCallSummary(complete, turns, input.callDate, language);
    },
    { stage: 2, merge: 1, of: 1, final: true },
    input.onToken,
  );
}

/** Consecutive partials grouped so that each group's lines fit in `room`; `fit` is false when one alone does not. */
function packPartials(
  partials: readonly ModelSummary[],
  room: number,
): { groups: ModelSummary[][]; fit: boolean } {
  const groups: ModelSummary[][] = [];
  let group: ModelSummary[] = [];
  let used = 0;
  let fit = true;
  for (const partial of partials) {
    const size = encodedLength(`${renderPartial(partial)}\n`);
    if (size > room) fit = false;
    if (group.length > 0 && used + size > room) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(partial);
    used += size;
  }
  groups.push(group);
  return { groups, fit };
}

/** All the partials' items in one partial, duplicates merged, their summaries joined. */
function mergeInCode(partials: readonly ModelSummary[], knownIds: ReadonlySet<string>): ModelSummary {
  const summaries = partials.flatMap((partial) =>
    partial.executiveSummary ? [partial.executiveSummary] : [],
  );
  return {
    ...(summaries.length > 0 ? { executiveSummary: summaries.join(" ") } : {}),
    ...readModelSummary(
      {
        keyPoints: partials.flatMap((partial) => partial.keyPoints),
        decisions: partials.flatMap((partial) => partial.decisions),
        actionItems: partials.flatMap((partial) => partial.actionItems),
      },
      { knownIds },
    ),
  };
}

/**
 * The part of a partial that fits in `room` — its summary, then decisions, key points and action items
 * in that order of importance — and the items left out.
 */
function fitPartial(
  partial: ModelSummary,
  room: number,
): { shown: ModelSummary; hidden: Omit<ModelSummary, "executiveSummary"> } {
  const shown: ModelSummary = { keyPoints: [], decisions: [], actionItems: [] };
  const hidden: Omit<ModelSummary, "executiveSummary"> = { keyPoints: [], decisions: [], actionItems: [] };
  // Sizes add up item by item (the encoded length of JSON is the sum of its pieces, a comma each).
  let used = encodedLength(`${renderPartial(shown)}\n`);
  if (partial.executiveSummary) {
    const size = encodedLength(JSON.stringify({ executiveSummary: partial.executiveSummary })) - 1;
    if (used + size <= room) {
      shown.executiveSummary = partial.executiveSummary;
      used += size;
    }
  }
  for (const list of ["decisions", "keyPoints", "actionItems"] as const) {
    for (const item of partial[list]) {
      const size = encodedLength(`${JSON.stringify(item)},`);
      if (used + size <= room) {
        (shown[list] as ModelItem[]).push(item);
        used += size;
      } else {
        (hidden[list] as ModelItem[]).push(item);
      }
    }
  }
  return { shown, hidden };
}
