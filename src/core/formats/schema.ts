import type { FormatId } from "./detect";
import { InstructionType, outputKeyOf } from "./instructionTypes";

export type JsonType = "string" | "number" | "boolean" | "array" | "object" | "null";

/** A field of a format: the JSON types it may hold. */
export interface FieldSpec {
  types: JsonType[];
  required?: boolean;
}

export type FormatSchema = Record<string, FieldSpec>;

const text: FieldSpec = { types: ["string"] };
const requiredText: FieldSpec = { types: ["string"], required: true };
const textOrMessages: FieldSpec = { types: ["string", "array"], required: true };
/** Bookkeeping fields that datasets carry and trainers ignore without complaint. */
const bookkeeping: FormatSchema = {
  id: { types: ["string", "number"] },
  source: text,
  category: text,
  metadata: { types: ["object", "string", "null"] },
};

/**
 * Columns LLaMA-Factory's chat layouts read beside the messages (`dataset_info.json` tags and
 * columns): KTO's `kto_tag` (TRL's unpaired preference `label` too), and media lists.
 */
const llamaFactoryColumns: FormatSchema = {
  kto_tag: { types: ["boolean"] },
  label: { types: ["boolean"] },
  images: { types: ["array", "string"] },
  videos: { types: ["array", "string"] },
  audios: { types: ["array", "string"] },
};

/**
 * Top-level fields per format (Alpaca: tatsu-lab/stanford_alpaca and LLaMA-Factory; TRL's
 * dataset formats; s1K's columns; Self-Instruct's seed tasks). Chat turns are checked apart.
 */
export const formatSchemas: Record<FormatId, FormatSchema> = {
  alpaca: { ...bookkeeping, instruction: requiredText, input: text, output: requiredText, system: text, history: { types: ["array"] } },
  sharegpt: { ...bookkeeping, conversations: { types: ["array"], required: true }, system: text, tools: { types: ["string", "array"] }, chosen: { types: ["object"] }, rejected: { types: ["object"] }, ...llamaFactoryColumns },
  openai: { ...bookkeeping, messages: { types: ["array"], required: true }, tools: { types: ["string", "array"] }, parallel_tool_calls: { types: ["boolean"] }, chosen: { types: ["object"] }, rejected: { types: ["object"] }, ...llamaFactoryColumns },
  "prompt-completion": { ...bookkeeping, prompt: textOrMessages, completion: textOrMessages },
  preference: { ...bookkeeping, prompt: { types: ["string", "array"] }, chosen: textOrMessages, rejected: textOrMessages, score_chosen: { types: ["number"] }, score_rejected: { types: ["number"] } },
  kto: { ...bookkeeping, prompt: textOrMessages, completion: textOrMessages, label: { types: ["boolean"], required: true } },
  s1k: {
    ...bookkeeping,
    question: requiredText,
    solution: { types: ["string", "null"] },
    thinking_trajectories: { types: ["array"], required: true },
    attempt: requiredText,
    cot_type: text,
    source_type: text,
    cot: { types: ["string", "null"] },
    gemini_thinking_trajectory: text,
    gemini_attempt: text,
    deepseek_thinking_trajectory: text,
    deepseek_attempt: text,
    gemini_grade: text,
    gemini_grade_reason: text,
    deepseek_grade: text,
    deepseek_grade_reason: text,
  },
  genstruct: { ...bookkeeping, title: requiredText, content: requiredText },
  "self-instruct": { ...bookkeeping, name: text, instruction: requiredText, instances: { types: ["array"], required: true }, is_classification: { types: ["boolean"] } },
  text: { ...bookkeeping, text: requiredText },
};

/** Keys of one chat turn per layout key set; OpenAI's checker rejects any other key. */
export const messageKeys: Record<string, FormatSchema> = {
  role: {
    role: { types: ["string"], required: true },
    content: { types: ["string", "null", "array"] },
    name: text,
    weight: { types: ["number"] },
    // Axolotl's per-turn training controls.
    loss_weight: { types: ["number"] },
    training: { types: ["boolean"] },
    training_detail: { types: ["array"] },
    tool_calls: { types: ["array"] },
    tool_call_id: text,
    function_call: { types: ["object"] },
    reasoning_content: text,
    thinking: text,
    refusal: { types: ["string", "null"] },
  },
  from: {
    from: { types: ["string"], required: true },
    value: { types: ["string"], required: true },
    weight: { types: ["number"] },
    loss_weight: { types: ["number"] },
    training: { types: ["boolean"] },
    training_detail: { types: ["array"] },
    reasoning_content: text,
  },
};

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as JsonType;
}

/** The top-level fields of a row of an Alpaca-family type: its own keys in place of Alpaca's. */
export function instructionSchema(type: InstructionType, row: Record<string, unknown>): FormatSchema {
  if (type.name === "alpaca") return formatSchemas.alpaca;
  const schema: FormatSchema = { ...bookkeeping, [type.instruction]: requiredText };
  if (type.input) schema[type.input] = type.inputIsList ? { types: ["array"] } : text;
  const output = outputKeyOf(row, type);
  schema[output] = requiredText;
  for (const alternative of [type.output, ...(type.outputAlternatives ?? [])]) if (alternative !== output) schema[alternative] = text;
  if (type.system) schema[type.system] = text;
  Object.assign(schema, type.columns);
  return schema;
}
