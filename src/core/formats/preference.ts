// TRL's preference rows: an optional prompt, a chosen and a rejected answer (strings or messages).
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str } from "./responseHelpers";
import { promptOrTurns } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { promptAndAnswerInput } from "./promptCompletion";
import { promptOrMessageParts } from "./rowParts";
import { bookkeeping, textOrMessages } from "./schema";

export const preferenceFormat: FormatModule = {
  id: "preference",
  detect: (row) => Object.hasOwn(row, "chosen") && Object.hasOwn(row, "rejected"),
  schema: {
    ...bookkeeping,
    prompt: { types: ["string", "array"] },
    chosen: textOrMessages,
    rejected: textOrMessages,
    score_chosen: { types: ["number"] },
    score_rejected: { types: ["number"] },
  },
  textFields: (ctx) => [
    ...promptOrTurns(ctx, "prompt", "user", false),
    ...promptOrTurns(ctx, "chosen", "assistant", true),
    ...promptOrTurns(ctx, "rejected", "assistant", true),
  ],
  trainingInput(row, _options, notes) {
    notes.push("Showing prompt + chosen; the rejected completion is built the same way.");
    return promptAndAnswerInput(row, "chosen", notes);
  },
  parts: (row) => [
    ...(Object.hasOwn(row, "prompt") ? promptOrMessageParts(row.prompt, "prompt") : []),
    ...promptOrMessageParts(row.chosen, "chosen"),
    ...promptOrMessageParts(row.rejected, "rejected"),
  ],
  instructionAndAnswer: (row) => ({ instruction: str(row.prompt), input: "", answer: str(row.chosen) }),
  responseTarget(row) {
    if (typeof row.prompt !== "string" || typeof row.chosen !== "string") return "only string prompts and chosen responses can be rewritten";
    return { path: ["chosen"], context: [{ role: "user", content: row.prompt }], response: row.chosen };
  },
  entrySchema: () =>
    object({ prompt: bounded(maxFieldChars.instruction, 1), chosen: bounded(maxFieldChars.output, 1), rejected: bounded(maxFieldChars.output, 1) }),
};
