// Plain text rows (Axolotl's `type: completion` / `pretrain`, TRL's language-modeling type).
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str } from "./responseHelpers";
import { text } from "./inputHelpers";
import { stringField } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { textKeyOf } from "./instructionTypes";
import { textOf } from "./rowParts";
import { bookkeeping, requiredText } from "./schema";

export const textFormat: FormatModule = {
  id: "text",
  detect: (row) => typeof row.text === "string",
  schema: { ...bookkeeping, text: requiredText },
  textFields: (ctx) => stringField(ctx, [textKeyOf(ctx.mapping)], "other"),
  trainingInput(row, options, notes) {
    const key = textKeyOf(options);
    return {
      kind: "text",
      prompt: "",
      completion: text(row[key]),
      mapping: `Plain text from "${key}" (Axolotl type: completion): every token is trained`,
      notes,
      promptFormat: "plain text",
    };
  },
  parts: (row) => [{ role: "text", text: textOf(row.text) }],
  instructionAndAnswer: (row) => ({ instruction: str(row.text), input: "", answer: str(row.text) }),
  responseTarget: () => "text rows have no response to rewrite",
  entrySchema: () => object({ text: bounded(maxFieldChars.output, 1) }),
};
