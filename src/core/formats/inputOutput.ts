// Axolotl's input_output type: `segments` of text, each trained or masked by its `label`, with no
// prompt template (for templates the trainer does not know).
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { isPlainObject } from "../jsonl/parseRow";
import { text } from "./inputHelpers";
import { stringField } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { bookkeeping } from "./schema";

const segmentsOf = (row: Record<string, unknown>) => (Array.isArray(row.segments) ? row.segments : []);

export const inputOutputFormat: FormatModule = {
  id: "input-output",
  detect: (row) => Array.isArray(row.segments) && row.segments.some((s) => isPlainObject(s) && Object.hasOwn(s, "text")),
  schema: { ...bookkeeping, segments: { types: ["array"], required: true } },
  textFields: (ctx) =>
    segmentsOf(ctx.row).flatMap((segment, i) =>
      isPlainObject(segment) ? stringField(ctx, ["segments", i, "text"], segment.label === true ? "assistant" : "user", segment.label === true) : [],
    ),
  trainingInput(row, _options, notes) {
    const segments = segmentsOf(row)
      .filter(isPlainObject)
      .map((s) => ({ text: text(s.text), label: s.label === true }));
    return {
      kind: "segments",
      segments,
      mapping: "Input-output segments (Axolotl type: input_output): each segment tokenized alone, trained where label is true",
      notes,
      promptFormat: "input-output segments",
    };
  },
  parts: (row) =>
    segmentsOf(row)
      .filter(isPlainObject)
      .map((s) => ({ role: s.label === true ? "output" : "input", text: text(s.text) })),
  instructionAndAnswer(row) {
    const segments = segmentsOf(row).filter(isPlainObject);
    return {
      instruction: segments
        .filter((s) => s.label !== true)
        .map((s) => text(s.text))
        .join(""),
      input: "",
      answer: segments
        .filter((s) => s.label === true)
        .map((s) => text(s.text))
        .join(""),
    };
  },
  responseTarget(row) {
    const segments = segmentsOf(row);
    let last = -1;
    segments.forEach((s, i) => isPlainObject(s) && s.label === true && typeof s.text === "string" && (last = i));
    if (last < 0) return "the row has no trained segment with text";
    const context = segments
      .slice(0, last)
      .filter(isPlainObject)
      .map((s) => text(s.text))
      .join("");
    return {
      path: ["segments", last, "text"],
      context: [{ role: "user", content: context }],
      response: text((segments[last] as Record<string, unknown>).text),
    };
  },
  entrySchema: () =>
    object({
      segments: {
        type: "array",
        prefixItems: [
          object({ label: { const: false }, text: bounded(maxFieldChars.instruction, 1) }),
          object({ label: { const: true }, text: bounded(maxFieldChars.output, 1) }),
        ],
        minItems: 2,
        maxItems: 2,
      },
    }),
};
