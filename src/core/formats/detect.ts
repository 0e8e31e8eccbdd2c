import { isPlainObject } from "../jsonl/parseRow";
import type { FormatId } from "./formatLabels";
import type { ChatLayout } from "./layout";
import { looksLikeInstructionType } from "./instructionTypes";

export { formatIds, formatLabels } from "./formatLabels";
export type { FormatId } from "./formatLabels";

/** "an Alpaca row", "a ShareGPT row", "an s1K row" (said "ess-one-kay"). */
export function withArticle(label: string): string {
  return `${/^(?:[AEIOU]|s1K)/i.test(label) ? "an" : "a"} ${label}`;
}

const has = (row: Record<string, unknown>, ...keys: string[]) => keys.every((k) => Object.hasOwn(row, k));

/**
 * Detects the dataset format of one row from its keys. Order matters: more specific shapes
 * (KTO, preference, s1K, Self-Instruct) are tested before the generic ones they contain.
 */
export function detectRowFormat(row: unknown, configuredChat?: ChatLayout): FormatId | undefined {
  if (!isPlainObject(row)) return undefined;
  if (configuredChat && Object.hasOwn(row, configuredChat.field)) return configuredChat.roleKey === "from" ? "sharegpt" : "openai";
  if (has(row, "conversations")) return "sharegpt";
  if (has(row, "chosen", "rejected")) return "preference";
  if (has(row, "completion", "label") && typeof row.label === "boolean") return "kto";
  if (has(row, "messages")) return "openai";
  if (has(row, "question", "attempt") || has(row, "thinking_trajectories")) return "s1k";
  if (has(row, "instruction", "instances")) return "self-instruct";
  if (has(row, "instruction") || has(row, "output", "input") || looksLikeInstructionType(row)) return "alpaca";
  if (has(row, "prompt", "completion")) return "prompt-completion";
  if (has(row, "title", "content")) return "genstruct";
  if (has(row, "text") && typeof row.text === "string") return "text";
  return undefined;
}

/** The format most rows share; `undefined` when no row looks like instruction data. */
export function dominantFormat(counts: ReadonlyMap<FormatId, number>): FormatId | undefined {
  let best: FormatId | undefined;
  let bestCount = 0;
  for (const [format, count] of counts) {
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return best;
}
