import { statSync } from "node:fs";
import { join } from "node:path";
import { WorkerProcess, WorkerTimeoutError } from "../workers/workerProcess";
import type { TrainingConfig } from "../core/config/trainingConfig";
import { parseRow } from "../core/jsonl/parseRow";
import type { RowPreview } from "../core/training/rowPreview";
import type { PreviewRequest, PreviewResponse } from "../protocol/previewWorker";
import { readTrainingConfig } from "./configFile";
import { escapeControls, write } from "./output";
import { readDataset } from "./readDataset";
import { cliDatasetInfo } from "./templateContext";
import { defaultPreviewTimeoutSeconds } from "../core/training/trainingSettings";
import { cliTemplateContext, viewTarget } from "./templateContext";
import { UsageError } from "./usageError";

/** The preview's limits: a template runs in its own process, capped in memory and time. */
const renderHeapMb = 1024;
const defaultTimeoutSeconds = defaultPreviewTimeoutSeconds;
/** Tokenizer loads get this much on top of the render's own limit, as in the editor. */
const loadAllowanceMs = 60_000;

export interface RenderOptions {
  line: string;
  tokenizer: string;
  template?: string;
  config?: string;
  axolotl?: string;
  json?: boolean;
  timeout?: string;
  target?: string;
}

async function readLine(file: string, lineNumber: number): Promise<string> {
  for await (const line of readDataset(file)) {
    if (line.lineNumber < lineNumber) continue;
    if (line.tooLong) throw new UsageError(`${file}:${lineNumber} is longer than the CLI reads (16 MB)`);
    return line.text;
  }
  throw new UsageError(`${file} has no line ${lineNumber}`);
}

/** The text with trained pieces marked: green on a terminal, ⟦…⟧ in a pipe. Its control characters are shown escaped. */
function annotated(preview: RowPreview, colour: boolean): string {
  return preview.segments
    .map((s) => (!s.trainable ? escapeControls(s.text) : colour ? `\x1b[42;30m${escapeControls(s.text)}\x1b[0m` : `⟦${escapeControls(s.text)}⟧`))
    .join("");
}

function summary(preview: RowPreview): string {
  const approx = preview.exact ? "" : "≈";
  const limit = preview.sequenceLen
    ? ` of ${preview.limitName ?? "sequence_len"} ${preview.sequenceLen}${preview.tokens.length > preview.sequenceLen ? " (OVER)" : ""}`
    : "";
  return [
    `trainer: ${preview.trainerLabel}`,
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
  const timeoutSeconds = options.timeout === undefined ? defaultTimeoutSeconds : Number(options.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout wants a number of seconds, not "${options.timeout}"`);
  if (!statSync(options.tokenizer, { throwIfNoEntry: false })) throw new UsageError(`no tokenizer at ${options.tokenizer}`);
  const trainer = viewTarget(options.target);
  const config: TrainingConfig | undefined = options.config ? readTrainingConfig(options.config) : undefined;
  const templateContext = await cliTemplateContext(options.config, config, options.axolotl, trainer);
  const rowText = await readLine(file, lineNumber);
  const datasetInfo = file === "-" ? undefined : cliDatasetInfo(file);
  const parsed = parseRow(rowText);
  if (parsed.kind === "blank" || parsed.errors.length > 0) {
    const problem = parsed.kind === "blank" ? "the line is blank" : `not valid JSON (column ${parsed.errors[0].start + 1}: ${parsed.errors[0].message})`;
    process.stderr.write(`${file}:${lineNumber}: ${problem}\n`);
    return 1;
  }
  const worker = new WorkerProcess<PreviewRequest, PreviewResponse>(join(__dirname, "preview-worker.js"), "render", renderHeapMb);
  try {
    let response: PreviewResponse;
    try {
      const request = {
        type: "preview" as const,
        tokenizerPath: options.tokenizer,
        template: options.template,
        config,
        ...templateContext,
        datasetInfo,
        settings: { trainer },
      };
      // An empty row loads the tokenizer under its own allowance; the row then gets --timeout alone.
      await worker.request({ ...request, rowText: "{}" }, loadAllowanceMs);
      response = await worker.request({ ...request, rowText }, timeoutSeconds * 1000);
    } catch (error) {
      if (error instanceof WorkerTimeoutError)
        throw new UsageError(
          `rendering ${file}:${lineNumber} ${error.message} (--timeout ${timeoutSeconds}); a template that loops or builds huge text does this`,
        );
      throw new UsageError(`rendering ${file}:${lineNumber} failed: ${(error as Error).message}`);
    }
    if (response.type === "error") {
      // A template the config names but that cannot be had is the config's problem, not the row's.
      if (response.setup) throw new UsageError(escapeControls(response.message));
      process.stderr.write(`${file}:${lineNumber}: ${escapeControls(response.message)}\n`);
      return 1;
    }
    if (response.type !== "preview") throw new UsageError("the preview worker answered with ids, not a view");
    const preview = response.preview;
    if (options.json) {
      const { text, tokens, segments, trainableTokens, messages } = preview;
      await write(`${JSON.stringify({ text, tokens: tokens.length, segments, trainableTokens, messages })}\n`);
    } else {
      await write(`${annotated(preview, process.stdout.isTTY === true)}\n\n${escapeControls(summary(preview))}\n`);
    }
    return 0;
  } finally {
    worker.dispose();
  }
}
