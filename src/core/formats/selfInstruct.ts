// Self-Instruct seed tasks (yizhongw/self-instruct): an instruction with input/output instances.
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str, withInput } from "./responseHelpers";
import { isPlainObject } from "../jsonl/parseRow";
import { alpacaPrompt, text } from "./inputHelpers";
import { stringField } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { textOf } from "./rowParts";
import { bookkeeping, requiredText, text as textSpec } from "./schema";

export const selfInstructFormat: FormatModule = {
  id: "self-instruct",
  detect: (row) => Object.hasOwn(row, "instruction") && Object.hasOwn(row, "instances"),
  schema: {
    ...bookkeeping,
    name: textSpec,
    instruction: requiredText,
    instances: { types: ["array"], required: true },
    is_classification: { types: ["boolean"] },
  },
  textFields(ctx) {
    const instances = Array.isArray(ctx.row.instances) ? ctx.row.instances : [];
    return [
      ...stringField(ctx, ["instruction"], "user"),
      ...instances.flatMap((_, i) => [
        ...stringField(ctx, ["instances", i, "input"], "user"),
        ...stringField(ctx, ["instances", i, "output"], "assistant", true),
      ]),
    ];
  },
  trainingInput(row, _options, notes) {
    const instances = Array.isArray(row.instances) ? row.instances.filter(isPlainObject) : [];
    const first = instances[0] ?? {};
    if (instances.length > 1) notes.push(`Showing instance 1 of ${instances.length}; each instance becomes its own training example.`);
    return {
      kind: "text",
      prompt: alpacaPrompt(text(row.instruction), text(first.input)),
      completion: text(first.output),
      mapping: "Self-Instruct task as an Alpaca prompt: instruction and the instance's input, the instance's output as the completion",
      notes,
      promptFormat: "Alpaca prompt",
    };
  },
  parts: (row) => [
    { role: "instruction", text: textOf(row.instruction) },
    ...(Array.isArray(row.instances) ? row.instances.filter(isPlainObject) : []).flatMap((inst) => [
      { role: "input", text: textOf(inst.input) },
      { role: "output", text: textOf(inst.output) },
    ]),
  ],
  instructionAndAnswer(row) {
    const first = Array.isArray(row.instances) && isPlainObject(row.instances[0]) ? row.instances[0] : {};
    return { instruction: str(row.instruction), input: str(first.input), answer: str(first.output) };
  },
  responseTarget(row) {
    const first = Array.isArray(row.instances) ? row.instances[0] : undefined;
    if (!isPlainObject(first)) return "the task has no instance";
    return {
      path: ["instances", 0, "output"],
      context: [{ role: "user", content: withInput(str(row.instruction), str(first.input)) }],
      response: str(first.output),
    };
  },
  entrySchema: () =>
    object({
      name: bounded(60, 1),
      instruction: bounded(maxFieldChars.instruction, 1),
      instances: { type: "array", items: object({ input: bounded(maxFieldChars.input), output: bounded(maxFieldChars.output, 1) }), minItems: 1, maxItems: 3 },
      is_classification: { type: "boolean" },
    }),
};
