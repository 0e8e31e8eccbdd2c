import { critiqueFormat, critiqueFromReply, critiqueRequest } from "../core/batch/critiqueRows";
import { defaultRetryPolicy } from "../core/model/retryPolicy";
import { ModelError } from "../core/model/backend";
import { critiqueMaxTokens } from "../core/model/modelDefaults";
import { readCritiqueBatch, writeCritiqueBatch } from "./critiqueBatch";
import { critiqueWholeFile } from "./critiqueFile";
import { parseLineRange } from "./critiqueTargets";
import { escapeControls } from "./output";
import { UsageError } from "./usageError";
import { cliBackend, ModelCliOptions, positive } from "./modelCli";
import { readDataset } from "./readDataset";

export interface CritiqueCliOptions extends Omit<ModelCliOptions, "model"> {
  model?: string;
  line?: string;
  lines?: string;
  concurrency?: string;
  out?: string;
  json?: boolean;
  retries?: string;
  batchRequests?: string;
  batchResults?: string;
}

/** Requests in flight for a whole file unless `--concurrency` says otherwise. */
export const defaultCritiqueConcurrency = 4;

function checkFlags(options: CritiqueCliOptions): void {
  const modes = [
    options.line !== undefined && "--line",
    options.batchRequests !== undefined && "--batch-requests",
    options.batchResults !== undefined && "--batch-results",
  ].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} cannot be combined`);
  if (options.line !== undefined) {
    for (const [flag, value] of [
      ["--lines", options.lines],
      ["--out", options.out],
      ["--concurrency", options.concurrency],
    ] as const) {
      if (value !== undefined) throw new UsageError(`${flag} is for a whole file; --line critiques one row`);
    }
  }
  if (options.batchResults === undefined && !options.model)
    throw new UsageError("--model is required: a .gguf file or a server URL (with --batch-requests: the model name the engine serves)");
}

export async function critiqueCommand(file: string, options: CritiqueCliOptions): Promise<number> {
  checkFlags(options);
  const range = parseLineRange(options.lines);
  if (options.batchRequests !== undefined) return writeCritiqueBatch(file, range, options.batchRequests, options.model!, options.out);
  if (options.batchResults !== undefined) return readCritiqueBatch(file, range, options.batchResults, options.out);
  if (options.line !== undefined) return critiqueOneLine(file, options as CritiqueCliOptions & { line: string; model: string });
  const concurrency = positive("--concurrency", options.concurrency, defaultCritiqueConcurrency);
  const attempts = options.retries === undefined ? defaultRetryPolicy.attempts : Number(options.retries) + 1;
  if (!Number.isInteger(attempts) || attempts < 1) throw new UsageError(`--retries wants a whole number from 0, not "${options.retries}"`);
  const backend = cliBackend({ ...options, model: options.model!, parallel: String(concurrency) });
  try {
    return await critiqueWholeFile(file, backend, { range, concurrency, out: options.out, json: options.json, policy: { ...defaultRetryPolicy, attempts } });
  } finally {
    backend.dispose();
  }
}

/** `--line N`: one row, its critique printed (as text, or `{score, rationale, issues}` with `--json`). */
async function critiqueOneLine(file: string, options: CritiqueCliOptions & { line: string; model: string }): Promise<number> {
  const lineNumber = Number(options.line);
  if (!Number.isInteger(lineNumber) || lineNumber < 1) throw new UsageError(`--line wants a line number from 1, not "${options.line}"`);
  let text: string | undefined;
  for await (const line of readDataset(file)) {
    if (line.lineNumber !== lineNumber) continue;
    if (line.tooLong) throw new UsageError(`${file}:${lineNumber} is longer than the CLI reads (16 MB)`);
    text = line.text;
    break;
  }
  if (text === undefined) throw new UsageError(`${file} has no line ${lineNumber}`);
  const format = critiqueFormat(text);
  if ("reason" in format) {
    process.stderr.write(`${file}:${lineNumber}: not an instruction row (invalid JSON or an unknown format); nothing to critique\n`);
    return 1;
  }
  const backend = cliBackend(options);
  try {
    const result = await backend.generate(critiqueRequest(text, format.formatLabel));
    let critique;
    try {
      critique = critiqueFromReply(result.text, result.stopReason);
    } catch (error) {
      if (error instanceof ModelError && result.stopReason === "maxTokens")
        throw new UsageError(`the model's critique was cut off at ${critiqueMaxTokens} tokens`);
      throw error;
    }
    const { score, rationale, issues } = critique;
    if (options.json) process.stdout.write(`${JSON.stringify({ score, rationale, issues })}\n`);
    // The model's text is shown with its control characters escaped: a reply must not drive the terminal.
    else
      process.stdout.write(
        `score: ${score}/5\n${escapeControls(rationale)}\n${issues.map((i) => escapeControls(`- ${i.field}: ${i.problem}${i.suggestion ? ` → ${i.suggestion}` : ""}`)).join("\n")}\n`,
      );
    return 0;
  } finally {
    backend.dispose();
  }
}
