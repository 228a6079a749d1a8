import { type CallSummary, callSummarySchema } from "@crm-agenda/shared";
import { z } from "zod";
import { ModelOutputError } from "./callErrors";
import { resolveDueDate } from "./resolveDueDate";
import { formatCallTime, type SpeakerTurn, turnId } from "./SpeakerTurn";

/** A point of a model's summary, citing the turns it comes from. */
export interface ModelItem {
  text: string;
  turns: string[];
}

export interface ModelActionItem extends ModelItem {
  owner?: string;
  /** The deadline as spoken; {@link toCallSummary} turns it into a date. */
  due?: string;
}

/** What the model answers at stage 1 (no executive summary) and stage 2. */
export interface ModelSummary {
  executiveSummary?: string;
  keyPoints: ModelItem[];
  decisions: ModelItem[];
  actionItems: ModelActionItem[];
}

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value?.trim() || undefined);
const cited = z.union([z.array(z.string()), z.string().transform((id) => [id])]).nullish();
const itemSchema = z.union([
  z.string().transform((text) => ({ text, turns: [] as string[] })),
  z.object({ text: z.string(), turns: cited, turn: cited }).transform((item) => ({
    text: item.text,
    turns: [...(item.turns ?? []), ...(item.turn ?? [])],
  })),
]);
const actionItemSchema = z.union([
  z.string().transform((text): ModelActionItem => ({ text, turns: [] })),
  z.object({ text: z.string(), turns: cited, turn: cited, owner: optionalText, due: optionalText }).transform(
    (item): ModelActionItem => ({
      text: item.text,
      turns: [...(item.turns ?? []), ...(item.turn ?? [])],
      ...(item.owner ? { owner: item.owner } : {}),
      ...(item.due ? { due: item.due } : {}),
    }),
  ),
]);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
const modelSummarySchema = z.object({
  executiveSummary: z.string().optional(),
  keyPoints: list(itemSchema),
  decisions: list(itemSchema),
  actionItems: list(actionItemSchema),
});

/** Placeholders a model writes for "nobody said": no owner. */
const noOwner =
  /^(\?+|-+|n\/?a|none|null|unknown|inconnu|personne|non précisé|non specifie|non spécifié|tbd)$/i;

/**
 * Checks a model's answer and cleans it: fields outside the shape are dropped, turn ids the
 * transcript does not have are dropped (`T42` is read as `T042`), items with the same text (case,
 * accents and punctuation aside) become one, citing the turns of both.
 *
 * @throws {ModelOutputError} with the first problem, e.g. "keyPoints.2.text: expected string".
 */
export function readModelSummary(
  raw: unknown,
  options: { knownIds: ReadonlySet<string>; requireExecutiveSummary?: boolean },
): ModelSummary {
  const parsed = modelSummarySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelOutputError(`${issue.path.join(".") || "the answer"}: ${issue.message}`);
  }
  const value = parsed.data;
  const executiveSummary = value.executiveSummary?.trim();
  if (options.requireExecutiveSummary && !executiveSummary) {
    throw new ModelOutputError("executiveSummary is missing or empty");
  }
  const knownIds = (ids: string[]) => [
    ...new Set(
      ids.map(normalizeTurnId).filter((id): id is string => id !== undefined && options.knownIds.has(id)),
    ),
  ];
  return {
    ...(executiveSummary ? { executiveSummary } : {}),
    keyPoints: dedupe(
      value.keyPoints.map((item) => ({ text: item.text.trim(), turns: knownIds(item.turns) })),
    ),
    decisions: dedupe(
      value.decisions.map((item) => ({ text: item.text.trim(), turns: knownIds(item.turns) })),
    ),
    actionItems: dedupe(
      value.actionItems.map((item) => ({
        ...item,
        text: item.text.trim(),
        turns: knownIds(item.turns),
        ...(item.owner && noOwner.test(item.owner) ? { owner: undefined } : {}),
      })),
    ).map(({ owner, due, ...item }) => ({ ...item, ...(owner ? { owner } : {}), ...(due ? { due } : {}) })),
  };
}

/**
 * The stored summary from the model's stage-2 answer: cited turns become `at` (the earliest cited
 * turn's start, `HH:MM:SS`), spoken deadlines become ISO dates relative to the call's date, and the
 * result is what the shared `callSummarySchema` accepts, with nothing else in it.
 *
 * @param callDate the call's date, `YYYY-MM-DD`, in the user's time zone
 * @throws {ModelOutputError} when the answer is not a summary
 */
export function toCallSummary(
  raw: unknown,
  turns: readonly SpeakerTurn[],
  callDate: string,
  language = "fr",
): CallSummary {
  const starts = new Map(turns.map((turn) => [turn.id, turn.startMs]));
  const model = readModelSummary(raw, { knownIds: new Set(starts.keys()), requireExecutiveSummary: true });
  const at = (ids: string[]) => {
    const times = ids.map((id) => starts.get(id)!);
    return times.length > 0 ? { at: formatCallTime(Math.min(...times)) } : {};
  };
  return callSummarySchema.parse({
    executiveSummary: model.executiveSummary,
    keyPoints: model.keyPoints.map((item) => ({ text: item.text, ...at(item.turns) })),
    decisions: model.decisions.map((item) => ({ text: item.text, ...at(item.turns) })),
    actionItems: model.actionItems.map((item) => {
      const due = resolveDueDate(item.due, callDate, language);
      return {
        text: item.text,
        ...(item.owner ? { owner: item.owner } : {}),
        ...(due ? { due } : {}),
        ...at(item.turns),
      };
    }),
  });
}

/** `T042` from `T42`, `t042` or `[T042 12:31]`. */
function normalizeTurnId(id: string): string | undefined {
  const match = /T0*(\d+)/i.exec(id);
  return match ? turnId(Number(match[1])) : undefined;
}

/** Items without text are dropped; items with the same text are merged into the first. */
function dedupe<T extends ModelItem & { owner?: string | undefined; due?: string | undefined }>(
  items: T[],
): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = textKey(item.text);
    if (!key) continue;
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, { ...item });
      continue;
    }
    first.turns = [...new Set([...first.turns, ...item.turns])];
    if (!first.owner && item.owner) first.owner = item.owner;
    if (!first.due && item.due) first.due = item.due;
  }
  return [...byKey.values()];
}

/** Case, accents, punctuation and spacing aside. */
export function textKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
