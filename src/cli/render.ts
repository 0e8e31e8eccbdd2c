import { readFileSync } from "node:fs";
import { parseTrainingConfig, TrainingConfig } from "../core/config/trainingConfig";
import { parseRow } from "../core/jsonl/parseRow";
import { loadModelTokenizer } from "../core/tokenizers/loadTokenizer";
import { previewConfigured, RowPreview, RowPreviewError } from "../core/training/rowPreview";
import { UsageError } from "./lint";
import { readDataset } from "./readDataset";

export interface RenderOptions {
  line: string;
  tokenizer: string;
  template?: string;
  config?: string;
  json?: boolean;
}

async function readLine(file: string, lineNumber: number): Promise<string> {
  for await (const line of readDataset(file)) {
    if (line.lineNumber < lineNumber) continue;
    if (line.tooLong) throw new UsageError(`${file}:${lineNumber} is longer than the CLI reads (16 MB)`);
    return line.text;
  }
  throw new UsageError(`${file} has no line ${lineNumber}`);
}

/** The text with trained pieces marked: green on a terminal, ⟦…⟧ in a pipe. */
function annotated(preview: RowPreview, colour: boolean): string {
  return preview.segments.map((s) => (!s.trainable ? s.text : colour ? `\x1b[42;30m${s.text}\x1b[0m` : `⟦${s.text}⟧`)).join("");
}

function summary(preview: RowPreview): string {
  const approx = preview.exact ? "" : "≈";
  const limit = preview.sequenceLen ? ` of sequence_len ${preview.sequenceLen}${preview.tokens.length > preview.sequenceLen ? " (OVER)" : ""}` : "";
  return [
    `format: ${preview.formatLabel}; ${preview.mapping}`,
    `template: ${preview.templateLabel}`,
    `tokenizer: ${preview.tokenizerLabel}`,
    `tokens: ${approx}${preview.tokens.length}${limit}; trained ${approx}${preview.trainableTokens}, masked ${approx}${preview.tokens.length - preview.trainableTokens}`,
    `messages: ${preview.messages.map((m) => `${m.role} ${m.tokens}`).join(", ")}`,
    ...preview.warnings.map((w) => `warning: ${w}`),
  ].join("\n");
}

export async function renderCommand(file: string, options: RenderOptions): Promise<number> {
  const lineNumber = Number(options.line);
  if (!Number.isInteger(lineNumber) || lineNumber < 1) throw new UsageError(`--line wants a line number from 1, not "${options.line}"`);
  const config: TrainingConfig | undefined = options.config ? parseTrainingConfig(readFileSync(options.config, "utf8")) : undefined;
  const parsed = parseRow(await readLine(file, lineNumber));
  if (parsed.kind === "blank" || parsed.errors.length > 0) {
    const problem = parsed.kind === "blank" ? "the line is blank" : `not valid JSON (column ${parsed.errors[0].start + 1}: ${parsed.errors[0].message})`;
    process.stderr.write(`${file}:${lineNumber}: ${problem}\n`);
    return 1;
  }
  const tokenizer = await loadModelTokenizer(options.tokenizer);
  try {
    let preview: RowPreview;
    try {
      preview = previewConfigured(parsed.value, { tokenizer, template: options.template, config });
    } catch (error) {
      if (!(error instanceof RowPreviewError)) throw error;
      process.stderr.write(`${file}:${lineNumber}: ${error.message}\n`);
      return 1;
    }
    if (options.json) {
      const { text, tokens, segments, trainableTokens, messages } = preview;
      process.stdout.write(`${JSON.stringify({ text, tokens: tokens.length, segments, trainableTokens, messages })}\n`);
    } else {
      process.stdout.write(`${annotated(preview, process.stdout.isTTY === true)}\n\n${summary(preview)}\n`);
    }
    return 0;
  } finally {
    await tokenizer.dispose?.();
  }
}
