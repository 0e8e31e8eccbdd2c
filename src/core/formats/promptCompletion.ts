// TRL's prompt-completion rows (standard or conversational), and KTO's with their `label`.
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str } from "./responseHelpers";
import { asMessages, text } from "./inputHelpers";
import type { TrainingInput } from "./inputHelpers";
import { promptOrTurns } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { promptOrMessageParts } from "./rowParts";
import { bookkeeping, textOrMessages } from "./schema";

/**
 * A prompt and one answer field, each a string or a list of messages: rendered with the chat
 * template when conversational, else joined as plain text; loss on the answer.
 */
export function promptAndAnswerInput(row: Record<string, unknown>, answerField: string, notes: string[]): TrainingInput {
  const tools = Array.isArray(row.tools) ? row.tools : undefined;
  if (Array.isArray(row.prompt) || Array.isArray(row[answerField])) {
    const messages = [...(Object.hasOwn(row, "prompt") ? asMessages(row.prompt, "user") : []), ...asMessages(row[answerField], "assistant")];
    return {
      kind: "chat",
      messages,
      tools,
      mapping: `Conversational prompt + ${answerField}: rendered with the chat template, loss on the ${answerField}`,
      notes,
    };
  }
  return {
    kind: "text",
    prompt: text(row.prompt),
    completion: text(row[answerField]),
    mapping: `prompt + ${answerField} as plain text (TRL), loss on the ${answerField}`,
    notes,
    promptFormat: "prompt and completion as plain text",
  };
}

const shared: Omit<FormatModule, "id" | "detect" | "schema" | "entrySchema"> = {
  textFields: (ctx) => [...promptOrTurns(ctx, "prompt", "user", false), ...promptOrTurns(ctx, "completion", "assistant", true)],
  trainingInput: (row, _options, notes) => promptAndAnswerInput(row, "completion", notes),
  parts: (row) => [...promptOrMessageParts(row.prompt, "prompt"), ...promptOrMessageParts(row.completion, "completion")],
  instructionAndAnswer: (row) => ({ instruction: str(row.prompt), input: "", answer: str(row.completion) }),
  responseTarget(row) {
    if (typeof row.prompt !== "string" || typeof row.completion !== "string") return "only string prompts and completions can be rewritten";
    return { path: ["completion"], context: [{ role: "user", content: row.prompt }], response: row.completion };
  },
};

export const promptCompletionFormat: FormatModule = {
  ...shared,
  id: "prompt-completion",
  detect: (row) => Object.hasOwn(row, "prompt") && Object.hasOwn(row, "completion"),
  schema: { ...bookkeeping, prompt: textOrMessages, completion: textOrMessages },
  entrySchema: () => object({ prompt: bounded(maxFieldChars.instruction, 1), completion: bounded(maxFieldChars.output, 1) }),
};

export const ktoFormat: FormatModule = {
  ...shared,
  id: "kto",
  detect: (row) => Object.hasOwn(row, "completion") && typeof row.label === "boolean",
  schema: { ...bookkeeping, prompt: textOrMessages, completion: textOrMessages, label: { types: ["boolean"], required: true } },
  entrySchema: () => object({ prompt: bounded(maxFieldChars.instruction, 1), completion: bounded(maxFieldChars.output, 1), label: { type: "boolean" } }),
};
