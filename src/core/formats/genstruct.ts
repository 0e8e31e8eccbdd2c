// Genstruct passages (NousResearch/Genstruct-7B): a title and content a question is generated about.
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str } from "./responseHelpers";
import { text } from "./inputHelpers";
import { stringField } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { fieldParts } from "./rowParts";
import { bookkeeping, requiredText } from "./schema";

export const genstructFormat: FormatModule = {
  id: "genstruct",
  detect: (row) => Object.hasOwn(row, "title") && Object.hasOwn(row, "content"),
  schema: { ...bookkeeping, title: requiredText, content: requiredText },
  textFields: (ctx) => [...stringField(ctx, ["title"], "user"), ...stringField(ctx, ["content"], "user")],
  trainingInput(row, _options, notes) {
    const prompt = `[[[Title]]] ${text(row.title)}\n[[[Content]]] ${text(row.content)}\n\nThe following is an interaction between a user and an AI assistant that is related to the above text.\n\n[[[User]]] `;
    const question = text(row.question ?? row.instruction);
    const answer = text(row.answer ?? row.response ?? row.output);
    if (!question && !answer) notes.push("A passage with no question or answer: it is Genstruct's input, nothing here is trained.");
    const completion = question || answer ? `${question}\n\n[[[Assistant]]] ${answer}` : "";
    return {
      kind: "text",
      prompt,
      completion,
      mapping: 'Genstruct layout: [[[Title]]] and [[[Content]]] up to "[[[User]]] " as the prompt, the question and [[[Assistant]]] answer as the completion',
      notes,
      promptFormat: "Genstruct layout",
    };
  },
  parts: (row) =>
    fieldParts(row, [
      ["title", "title"],
      ["content", "content"],
    ]),
  instructionAndAnswer: (row) => ({ instruction: str(row.title), input: "", answer: str(row.content) }),
  responseTarget: () => "genstruct rows have no response to rewrite",
  entrySchema: () => object({ title: bounded(120, 1), content: bounded(maxFieldChars.output, 1) }),
};
