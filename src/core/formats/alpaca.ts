// Alpaca (tatsu-lab/stanford_alpaca, LLaMA-Factory) and the Alpaca-family layouts Axolotl builds an
// Alpaca prompt from (GPTeacher, OASST, multiple choice, TL;DR, context QA, custom types).
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str, withInput } from "./responseHelpers";
import { alpacaPrompt } from "./inputHelpers";
import type { TrainingInput } from "./inputHelpers";
import { addStringField, TextField } from "./textFieldHelpers";
import type { Converted, Turn } from "../convert/turns";
import type { FormatModule } from "./formatModule";
import { InstructionType, instructionParts, instructionTypeOf, looksLikeInstructionType, outputKeyOf } from "./instructionTypes";
import { fieldParts } from "./rowParts";
import { bookkeeping, FormatSchema, requiredText, text } from "./schema";

const alpacaSchema: FormatSchema = {
  ...bookkeeping,
  instruction: requiredText,
  input: text,
  output: requiredText,
  system: text,
  history: { types: ["array"] },
};

/** The top-level fields of a row of an Alpaca-family type: its own keys in place of Alpaca's. */
export function instructionSchema(type: InstructionType, row: Record<string, unknown>): FormatSchema {
  if (type.name === "alpaca") return alpacaSchema;
  const schema: FormatSchema = { ...bookkeeping, [type.instruction]: requiredText };
  if (type.input) schema[type.input] = type.inputIsList ? { types: ["array"] } : text;
  const output = outputKeyOf(row, type);
  schema[output] = requiredText;
  for (const alternative of [type.output, ...(type.outputAlternatives ?? [])]) if (alternative !== output) schema[alternative] = text;
  if (type.system) schema[type.system] = text;
  Object.assign(schema, type.columns);
  return schema;
}

/**
 * An Alpaca-family row as Axolotl builds it: its type's instruction, input and answer in the
 * Alpaca prompt, or in a custom type's `format` / `no_input_format` / `system_format`.
 */
function instructionInput(row: Record<string, unknown>, type: InstructionType, notes: string[]): TrainingInput {
  const parts = instructionParts(row, type);
  const output = outputKeyOf(row, type);
  const read = [type.instruction, type.input].filter(Boolean).join(" and ");
  const custom = type.prompt;
  if (custom?.format) {
    const system = parts.system ?? custom.systemPrompt;
    const systemText = system && custom.systemFormat ? custom.systemFormat.replace("{system}", () => system) : "";
    const turn = parts.input ? custom.format : (custom.noInputFormat ?? custom.format);
    const prompt = systemText + turn.replace("{instruction}", () => parts.instruction).replace("{input}", () => parts.input);
    return {
      kind: "text",
      prompt,
      completion: parts.output,
      mapping: `The custom type's format: ${read} in the prompt, ${output} as the completion`,
      notes,
      promptFormat: "the custom type's format",
    };
  }
  if (type.name === "custom") notes.push("The custom type gives no `format`: shown with the Alpaca prompt.");
  return {
    kind: "text",
    prompt: alpacaPrompt(parts.instruction, parts.input),
    completion: parts.output,
    mapping: `Alpaca prompt (Axolotl type: ${type.name}): ${read} in the prompt, ${output} as the completion`,
    notes,
    promptFormat: "Alpaca prompt",
  };
}

function alpacaTurns(row: Record<string, unknown>): Turn[] | string {
  const turns: Turn[] = [];
  if (typeof row.system === "string" && row.system) turns.push({ role: "system", content: row.system });
  for (const pair of Array.isArray(row.history) ? row.history : []) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") return "a history entry is not a [question, answer] pair";
    turns.push({ role: "user", content: pair[0] }, { role: "assistant", content: pair[1] });
  }
  const type = instructionTypeOf(row);
  if (typeof row[type.instruction] !== "string" || typeof row[outputKeyOf(row, type)] !== "string") return "instruction or output is missing";
  const parts = instructionParts(row, type);
  // LLaMA-Factory's Alpaca converter joins instruction and input with a newline.
  turns.push({ role: "user", content: parts.instruction + (parts.input ? `\n${parts.input}` : "") }, { role: "assistant", content: parts.output });
  return turns;
}

function fromTurns(turns: Turn[]): Converted {
  const system = turns[0]?.role === "system" ? turns[0].content : undefined;
  const dialogue = system === undefined ? turns : turns.slice(1);
  if (dialogue.length < 2 || dialogue.length % 2 !== 0 || dialogue.some((t, i) => t.role !== (i % 2 === 0 ? "user" : "assistant"))) {
    return { skipped: "Alpaca needs user and assistant turns alternating, ending with the assistant" };
  }
  const history: string[][] = [];
  for (let i = 0; i < dialogue.length - 2; i += 2) history.push([dialogue[i].content, dialogue[i + 1].content]);
  const last = dialogue.length - 2;
  return {
    row: {
      instruction: dialogue[last].content,
      input: "",
      output: dialogue[last + 1].content,
      ...(system !== undefined ? { system } : {}),
      ...(history.length ? { history } : {}),
    },
  };
}

export const alpacaFormat: FormatModule = {
  id: "alpaca",
  detect: (row) => Object.hasOwn(row, "instruction") || (Object.hasOwn(row, "output") && Object.hasOwn(row, "input")) || looksLikeInstructionType(row),
  schema: alpacaSchema,
  textFields(ctx) {
    const row = ctx.row;
    const type = instructionTypeOf(row, ctx.mapping.instructionType);
    const history = Array.isArray(row.history) ? row.history : [];
    const input = type.input ? row[type.input] : undefined;
    // Built in one array: an array per field, spread into the next, was a tenth of lint's allocations.
    const fields: TextField[] = [];
    if (type.system) addStringField(fields, ctx, [type.system], "system");
    history.forEach((_, i) => {
      addStringField(fields, ctx, ["history", i, 0], "user");
      addStringField(fields, ctx, ["history", i, 1], "assistant");
    });
    addStringField(fields, ctx, [type.instruction], "user");
    if (type.input && type.inputIsList && Array.isArray(input)) input.forEach((_, i) => addStringField(fields, ctx, [type.input!, i], "user"));
    else if (type.input) addStringField(fields, ctx, [type.input], "user");
    return addStringField(fields, ctx, [outputKeyOf(row, type)], "assistant", true);
  },
  trainingInput: (row, options, notes) => instructionInput(row, instructionTypeOf(row, options.instructionType), notes),
  parts(row) {
    const type = instructionTypeOf(row);
    return fieldParts(row, [
      [type.system ?? "system", "system"],
      [type.instruction, "instruction"],
      [type.input ?? "input", "input"],
      [outputKeyOf(row, type), "output"],
    ]);
  },
  instructionAndAnswer(row) {
    const parts = instructionParts(row, instructionTypeOf(row));
    return { instruction: parts.instruction, input: parts.input, answer: parts.output };
  },
  responseTarget(row) {
    const type = instructionTypeOf(row);
    const parts = instructionParts(row, type);
    const key = outputKeyOf(row, type);
    const system = typeof row.system === "string" && row.system ? [{ role: "system" as const, content: row.system }] : [];
    return { path: [key], context: [...system, { role: "user", content: withInput(parts.instruction, parts.input) }], response: str(row[key]) };
  },
  entrySchema: () =>
    object({ instruction: bounded(maxFieldChars.instruction, 1), input: bounded(maxFieldChars.input), output: bounded(maxFieldChars.output, 1) }),
  conversion: { toTurns: alpacaTurns, fromTurns },
};
