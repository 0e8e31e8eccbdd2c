import type { FormatId } from "../formats/formatLabels";
import { formatLabels } from "../formats/formatLabels";

/** The trainer a dataset is written for, where trainers disagree on what they accept. */
export type TrainerTarget = "axolotl" | "trl" | "llama-factory" | "openai";
export const trainerTargets: readonly TrainerTarget[] = ["axolotl", "trl", "llama-factory", "openai"];

export const targetLabels: Record<TrainerTarget, string> = {
  axolotl: "Axolotl",
  trl: "TRL",
  "llama-factory": "LLaMA-Factory",
  openai: "OpenAI fine-tuning",
};

export function isTrainerTarget(value: unknown): value is TrainerTarget {
  return typeof value === "string" && (trainerTargets as readonly string[]).includes(value);
}

/**
 * Keys OpenAI's fine-tuning upload accepts in a chat message (its data-preparation checks in
 * the OpenAI cookbook, plus the tool-calling keys): any other key rejects the whole file, where
 * Axolotl, TRL and LLaMA-Factory read the keys they know and ignore the rest.
 */
export const openaiMessageKeys = ["role", "content", "name", "weight", "function_call", "tool_calls", "tool_call_id"];
export const openaiRoles = ["system", "developer", "user", "assistant", "tool", "function"];

/**
 * Formats each trainer reads without a conversion or a column mapping. OpenAI reads chat rows
 * only; TRL's trainers read its own dataset types (conversational rows with `messages` or
 * ShareGPT's `conversations`, which it converts to ChatML, prompt/completion, preference, KTO,
 * plain text), not Alpaca's or research datasets' columns. Axolotl and LLaMA-Factory map any of
 * these with a dataset type or `dataset_info.json` columns.
 */
const formatsRead: Record<TrainerTarget, readonly FormatId[] | "all"> = {
  axolotl: "all",
  "llama-factory": "all",
  trl: ["openai", "sharegpt", "prompt-completion", "preference", "kto", "text"],
  openai: ["openai"],
};

/** Why the target cannot read a file of this format, or undefined when it can. */
export function unreadFormatMessage(format: FormatId, target: TrainerTarget): string | undefined {
  const read = formatsRead[target];
  if (read === "all" || read.includes(format)) return undefined;
  const advice = target === "openai" ? "it accepts chat rows with `messages` only" : `it reads ${read.map((f) => formatLabels[f]).join(", ")} rows`;
  return `${targetLabels[target]} cannot read ${formatLabels[format]} rows (the target set by instructStudio.target / --target): ${advice}. Convert it (Instruct Studio: Convert Dataset to Another Format).`;
}
