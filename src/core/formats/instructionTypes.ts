import { isPlainObject } from "../jsonl/parseRow";
import { text } from "./inputHelpers";
import type { ChatLayout, RoleAliases } from "./layout";
import type { FormatSchema } from "./schema";

/** How a training config maps a dataset's keys (Axolotl's type, field mapping and roles). */
export interface FieldMapping {
  /** Chat field and turn keys (`field_messages`, `message_property_mappings`). */
  layout?: ChatLayout;
  /** Role names (`roles`). */
  roles?: RoleAliases;
  /** An Alpaca-family type other than plain Alpaca (`type: oasst`, a custom `type:` mapping). */
  instructionType?: InstructionType;
  /** The text key of `type: completion` or `pretrain` (`field`, default `text`). */
  textField?: string;
  /** A chat row's system-prompt key beside its turns (LLaMA-Factory's `system` column, default `system`). */
  chatSystemKey?: string;
  /** Other top-level keys the trainer is told to read (tools, media columns): never "unused". */
  extraKeys?: string[];
}

/** How a format module reads a row: the config's field mapping. */
export type InputOptions = FieldMapping;

/** Only the mapping of a config (which holds much else). */
export const mappingOf = (config: FieldMapping | undefined): FieldMapping => ({
  layout: config?.layout,
  roles: config?.roles,
  instructionType: config?.instructionType,
  textField: config?.textField,
  chatSystemKey: config?.chatSystemKey,
  extraKeys: config?.extraKeys,
});

/** The text key of a plain-text row. */
export const textKeyOf = (mapping: FieldMapping | undefined) => mapping?.textField ?? "text";

/**
 * An instruction layout Axolotl builds an Alpaca-style prompt from: which keys hold the
 * instruction, the input and the answer, and how its `parse_instruction_fields` joins them.
 * Every such type is validated and previewed as an Alpaca row with its own keys.
 */
export interface InstructionType {
  /** Axolotl's `type:` name, or "custom" for a `type: {field_instruction: ...}` mapping. */
  name: string;
  /** How messages call a row of it ("a GPTeacher row"). */
  label: string;
  instruction: string;
  input?: string;
  /** The answer key; `alternatives` are read in its place when it is absent. */
  output: string;
  outputAlternatives?: string[];
  system?: string;
  /** The input is a list of strings (multiple-choice types). */
  inputIsList?: boolean;
  /** Other keys the type reads, required or not. */
  columns?: FormatSchema;
  /** Axolotl's prompt for a custom type: `format`, `no_input_format`, `system_format`, `system_prompt`. */
  prompt?: { format?: string; noInputFormat?: string; systemFormat?: string; systemPrompt?: string };
}

const alpaca: InstructionType = { name: "alpaca", label: "Alpaca", instruction: "instruction", input: "input", output: "output", system: "system" };
const gpteacher: InstructionType = { name: "gpteacher", label: "GPTeacher", instruction: "instruction", input: "input", output: "response" };
const choice = (name: string): InstructionType => ({
  name,
  label: "multiple-choice",
  instruction: "question",
  input: "choices",
  inputIsList: true,
  output: "solution",
  outputAlternatives: ["explanation"],
});

/** Axolotl's instruction types whose keys differ from Alpaca's (its prompt_tokenizers and prompt_strategies). */
export const axolotlInstructionTypes: Record<string, InstructionType> = {
  alpaca,
  gpteacher,
  oasst: {
    name: "oasst",
    label: "OpenAssistant",
    instruction: "INSTRUCTION",
    output: "RESPONSE",
    columns: { SOURCE: { types: ["string"] }, METADATA: { types: ["string", "object", "null"] } },
  },
  explainchoice: choice("explainchoice"),
  concisechoice: choice("concisechoice"),
  summarizetldr: { name: "summarizetldr", label: "TL;DR summary", instruction: "article", output: "summary" },
  context_qa: { name: "context_qa", label: "context QA", instruction: "question", input: "article", output: "answer" },
  jeopardy: { name: "jeopardy", label: "Jeopardy", instruction: "question", input: "category", output: "answer" },
};

/** The instruction type of a row of the Alpaca family: the configured one, else the one its keys name. */
export function instructionTypeOf(row: Record<string, unknown>, configured?: InstructionType): InstructionType {
  if (configured) return configured;
  const has = (key: string) => Object.hasOwn(row, key);
  if (has("INSTRUCTION") || has("RESPONSE")) return axolotlInstructionTypes.oasst;
  if (has("question") && has("choices")) return axolotlInstructionTypes.explainchoice;
  if (has("article") && has("summary")) return axolotlInstructionTypes.summarizetldr;
  if (has("article") && has("question") && has("answer")) return axolotlInstructionTypes.context_qa;
  if (!has("output") && has("response")) return gpteacher;
  return alpaca;
}

/** Whether a row's keys name one of the non-Alpaca instruction types (for format detection). */
export function looksLikeInstructionType(row: Record<string, unknown>): boolean {
  const type = instructionTypeOf(row);
  return type !== alpaca && type !== gpteacher;
}

/** The key the row's answer is read from. */
export function outputKeyOf(row: Record<string, unknown>, type: InstructionType): string {
  if (Object.hasOwn(row, type.output)) return type.output;
  return type.outputAlternatives?.find((key) => Object.hasOwn(row, key)) ?? type.output;
}

export interface InstructionParts {
  instruction: string;
  input: string;
  output: string;
  system?: string;
}

/** What Axolotl feeds its prompter for a row of this type (its `parse_instruction_fields`). */
export function instructionParts(row: Record<string, unknown>, type: InstructionType): InstructionParts {
  const output = text(row[outputKeyOf(row, type)]);
  const input = type.input ? row[type.input] : undefined;
  switch (type.name) {
    case "explainchoice":
    case "concisechoice":
      return { instruction: text(row.question), input: (Array.isArray(input) ? input : []).map((c) => `- "${text(c)}"`).join("\n"), output };
    case "context_qa":
      return { instruction: `${text(row.article)}\n===\n${text(row.question)}`, input: "", output };
    case "jeopardy":
      return { instruction: text(row.question), input: text(row.category), output: `what is ${text(row.answer)}` };
    default:
      return {
        instruction: text(row[type.instruction]),
        input: type.input ? text(input) : "",
        output,
        system: type.system && typeof row[type.system] === "string" ? (row[type.system] as string) : undefined,
      };
  }
}

/**
 * A custom Axolotl type (`type: {field_instruction, field_input, field_output, field_system,
 * format, no_input_format, system_format, system_prompt}`), or undefined when `type` is not one.
 */
export function customInstructionType(type: unknown): InstructionType | undefined {
  if (!isPlainObject(type)) return undefined;
  const key = (name: string) => (typeof type[name] === "string" && type[name] !== "" ? (type[name] as string) : undefined);
  const instruction = key("field_instruction") ?? "instruction";
  const output = key("field_output") ?? "output";
  return {
    name: "custom",
    label: "custom-type",
    instruction,
    input: key("field_input"),
    output,
    system: key("field_system"),
    prompt: { format: key("format"), noInputFormat: key("no_input_format"), systemFormat: key("system_format"), systemPrompt: key("system_prompt") },
  };
}
