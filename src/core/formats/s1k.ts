// s1K-style reasoning rows (simplescaling/s1K): a question, thinking trajectories and an attempt.
import { object, text as bounded, maxFieldChars } from "./entrySchemaHelpers";
import { str } from "./responseHelpers";
import { text } from "./inputHelpers";
import { stringField } from "./textFieldHelpers";
import type { FormatModule } from "./formatModule";
import { fieldParts } from "./rowParts";
import { bookkeeping, requiredText, text as textSpec } from "./schema";

export const s1kFormat: FormatModule = {
  id: "s1k",
  detect: (row) => (Object.hasOwn(row, "question") && Object.hasOwn(row, "attempt")) || Object.hasOwn(row, "thinking_trajectories"),
  schema: {
    ...bookkeeping,
    question: requiredText,
    solution: { types: ["string", "null"] },
    thinking_trajectories: { types: ["array"], required: true },
    attempt: requiredText,
    cot_type: textSpec,
    source_type: textSpec,
    cot: { types: ["string", "null"] },
    gemini_thinking_trajectory: textSpec,
    gemini_attempt: textSpec,
    deepseek_thinking_trajectory: textSpec,
    deepseek_attempt: textSpec,
    gemini_grade: textSpec,
    gemini_grade_reason: textSpec,
    deepseek_grade: textSpec,
    deepseek_grade_reason: textSpec,
  },
  textFields(ctx) {
    const trajectories = Array.isArray(ctx.row.thinking_trajectories) ? ctx.row.thinking_trajectories : [];
    return [
      ...stringField(ctx, ["question"], "user"),
      ...trajectories.flatMap((_, i) => stringField(ctx, ["thinking_trajectories", i], "thinking")),
      ...stringField(ctx, ["attempt"], "assistant", true),
    ];
  },
  trainingInput(row, _options, notes) {
    // simplescaling/s1's tokenization: the question as the user turn, the reasoning trace and
    // the attempt in one assistant turn with Qwen-style think/answer markers.
    const trajectories = Array.isArray(row.thinking_trajectories) ? row.thinking_trajectories.map(text).join("\n") : text(row.thinking_trajectories);
    const attempt = text(row.attempt);
    const answer = attempt.includes("Answer:") ? attempt : `Answer: ${attempt}`;
    const content = `<|im_start|>think\n${trajectories.trim()}\n<|im_start|>answer\n${answer}`;
    return {
      kind: "chat",
      messages: [
        { role: "user", content: text(row.question) },
        { role: "assistant", content },
      ],
      mapping: "s1K layout: question → user; thinking_trajectories and attempt → assistant as <|im_start|>think … <|im_start|>answer Answer: …",
      notes,
    };
  },
  parts: (row) =>
    fieldParts(row, [
      ["question", "question"],
      ["thinking_trajectories", "thinking"],
      ["attempt", "attempt"],
    ]),
  instructionAndAnswer: (row) => ({ instruction: str(row.question), input: "", answer: str(row.attempt) }),
  responseTarget: (row) => ({ path: ["attempt"], context: [{ role: "user", content: str(row.question) }], response: str(row.attempt) }),
  entrySchema: () =>
    object({
      question: bounded(maxFieldChars.instruction, 1),
      thinking_trajectories: { type: "array", items: bounded(maxFieldChars.output, 1), minItems: 1, maxItems: 4 },
      attempt: bounded(maxFieldChars.output, 1),
    }),
};
