// Format ids and their names, with no imports: the webview bundles this file.
export const formatIds = [
  "alpaca",
  "sharegpt",
  "openai",
  "prompt-completion",
  "preference",
  "kto",
  "s1k",
  "genstruct",
  "self-instruct",
  "input-output",
  "text",
] as const;

export type FormatId = (typeof formatIds)[number];

export const formatLabels: Record<FormatId, string> = {
  alpaca: "Alpaca",
  sharegpt: "ShareGPT",
  openai: "OpenAI messages",
  "prompt-completion": "Prompt-completion",
  preference: "Preference",
  kto: "KTO",
  s1k: "s1K reasoning",
  genstruct: "Genstruct passage",
  "self-instruct": "Self-Instruct seed task",
  "input-output": "Input-output segments",
  text: "Plain text",
};
