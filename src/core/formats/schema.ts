export type JsonType = "string" | "number" | "boolean" | "array" | "object" | "null";

/** A field of a format: the JSON types it may hold. */
export interface FieldSpec {
  types: JsonType[];
  required?: boolean;
}

export type FormatSchema = Record<string, FieldSpec>;

export const text: FieldSpec = { types: ["string"] };
export const requiredText: FieldSpec = { types: ["string"], required: true };
export const textOrMessages: FieldSpec = { types: ["string", "array"], required: true };
/** Bookkeeping fields that datasets carry and trainers ignore without complaint. */
export const bookkeeping: FormatSchema = {
  id: { types: ["string", "number"] },
  source: text,
  category: text,
  metadata: { types: ["object", "string", "null"] },
};

/**
 * Columns LLaMA-Factory's chat layouts read beside the messages (`dataset_info.json` tags and
 * columns): KTO's `kto_tag` (TRL's unpaired preference `label` too), and media lists.
 */
export const llamaFactoryColumns: FormatSchema = {
  kto_tag: { types: ["boolean"] },
  label: { types: ["boolean"] },
  images: { types: ["array", "string"] },
  videos: { types: ["array", "string"] },
  audios: { types: ["array", "string"] },
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
