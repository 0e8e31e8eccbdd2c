import type { Severity } from "../lint/diagnostic";

export interface RuleInfo {
  severity: Severity;
  description: string;
}

/** Every rule, its default severity and what it checks. Settings may turn any off or re-rank it. */
export const ruleCatalog = {
  syntax: { severity: "error", description: "The line is not valid JSON (exact range of the first problem)." },
  "too-deep": { severity: "error", description: "A row nested deeper than trainers' JSON readers go (Python's json stops near 1,000 levels)." },
  "duplicate-key": { severity: "warning", description: "A key repeated in one object: every JSON reader keeps only the last value." },
  "unreadable-row": { severity: "error", description: "A row the validator could not check (the message says why); other rows are still checked." },
  "line-ending": { severity: "error", description: "A line ended by a lone carriage return (CR): trainers split rows at LF and read it with the next row." },
  "not-object": { severity: "error", description: "A row is not a JSON object." },
  "blank-line": { severity: "warning", description: "A blank line between rows." },
  "invalid-utf8": { severity: "error", description: "The line is not valid UTF-8." },
  "line-too-long": { severity: "error", description: "The line is too long to hold in memory." },
  "missing-field": { severity: "error", description: "A field the format requires is missing." },
  "wrong-type": { severity: "error", description: "A field has the wrong JSON type." },
  "unknown-key": { severity: "warning", description: "A key that looks like a misspelt known key (did you mean ...)." },
  "unused-key": { severity: "hint", description: "A key that trainers of this format ignore." },
  "no-instruction-format": { severity: "info", description: "A file whose rows match no instruction format: said once, with the keys seen." },
  "mixed-formats": { severity: "warning", description: "A row of another format than the file's." },
  "unknown-role": { severity: "error", description: "A role name trainers do not recognise." },
  "role-order": { severity: "error", description: "Roles out of order (LLaMA-Factory alternation; Invalid role tag)." },
  "message-count": { severity: "warning", description: "A message count LLaMA-Factory rejects (Invalid message count)." },
  "system-not-first": { severity: "warning", description: "A system turn that is not the first turn." },
  "no-assistant-turn": { severity: "error", description: "A conversation with no assistant turn: nothing to train on." },
  "last-turn-not-assistant": { severity: "warning", description: "A conversation that does not end with the assistant." },
  "empty-content": { severity: "error", description: "Empty or null content without a tool call." },
  "tool-call-mismatch": { severity: "error", description: "A tool result whose id matches no earlier tool call." },
  "empty-output": { severity: "error", description: "An empty output, or a placeholder such as N/A or <No Output>." },
  "placeholder-input": { severity: "warning", description: "A placeholder input (N/A, <noinput>, No input, ...) instead of an empty one." },
  "refusal-boilerplate": { severity: "warning", description: "Refusal boilerplate such as 'As an AI language model'." },
  "leaked-template": { severity: "warning", description: "Chat-template markers or special tokens inside content." },
  "merged-instructions": { severity: "warning", description: "Several numbered instructions merged into one output." },
  "unbalanced-think": { severity: "error", description: "Unbalanced <think> or begin/end-of-thought tags." },
  "empty-attempt": { severity: "error", description: "An s1K row whose attempt is empty." },
  "unfilled-placeholder": { severity: "warning", description: "A template slot never filled in: {{name}}, [INSERT ...], {author}." },
  "degenerate-repetition": { severity: "warning", description: "An answer where a phrase repeats 8 or more times in a row (a generation stuck in a loop)." },
  "run-on-generation": { severity: "warning", description: "An answer that runs on into another example (Instruction:, Input:, ### Instruction)." },
  "prompt-label": { severity: "warning", description: "A field that starts with a prompt label (Output:, ### Response:, 输入：) the template adds anyway." },
  "unseen-reference": { severity: "warning", description: "An input that is only a URL or a file name: the model never sees the content." },
  "no-output-marker": { severity: "warning", description: "Alpaca's <nooutput>/<noinput> marker inside an answer." },
  "control-characters": { severity: "warning", description: "Control characters inside text." },
  mojibake: { severity: "warning", description: "Text that is UTF-8 decoded in a legacy code page." },
  "surrounding-whitespace": { severity: "info", description: "Leading or trailing whitespace in a text field." },
  "duplicate-row": { severity: "warning", description: "A row identical to an earlier one (after normalising whitespace)." },
  "near-duplicate": {
    severity: "info",
    description:
      "A row asking nearly what an earlier one asks (MinHash, Jaccard >= 0.7 over word 5-grams of the prompt side) whose prompt differs little where it differs (text both share, a tool preamble or a passage, set aside), or whose answer is close too; prompts with other numbers ask other questions. A warning when the prompts reach 0.9 with the same answer, or when short prompts with the same answer reach ROUGE-L 0.7 (Self-Instruct's filter), unless the rule's severity is set. Rows linked by such pairs are one group with one finding, on the first row that repeats another, naming every row of the group.",
  },
  "target-rejects": {
    severity: "error",
    description: "A message key, role or weight the trainer chosen with instructStudio.target (lint: --target) rejects, where others accept it.",
  },
  "target-format": {
    severity: "error",
    description: "A file whose format the trainer chosen with instructStudio.target (lint: --target) does not read: said once.",
  },
  "too-many-tokens": { severity: "warning", description: "A row longer than the training sequence length." },
} satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof ruleCatalog;
export const ruleIds = Object.keys(ruleCatalog) as RuleId[];

export type RuleSetting = Severity | "off";
export type RuleSettings = Partial<Record<string, RuleSetting>>;

/** The severity a rule reports with under the user's settings; undefined when turned off. */
export function effectiveSeverity(rule: RuleId, settings: RuleSettings | undefined): Severity | undefined {
  const setting = settings?.[rule] ?? ruleCatalog[rule].severity;
  return setting === "off" ? undefined : setting;
}
