import { Budget, RowTokens, trainingBudget } from "../core/budget/budget";
import { distribution, Distribution } from "../core/budget/distribution";
import { parseTrainingConfig, TrainingConfig } from "../core/config/trainingConfig";
import { formatLabels } from "../core/formats/detect";
import { isPlainObject, parseRow } from "../core/jsonl/parseRow";
import { DatasetStats, StatsCollector } from "../core/stats/collector";
import type { LoadedTokenizer } from "../core/tokenizers/loadTokenizer";
import { previewSetup, PreviewSetup } from "../core/training/previewSetup";
import { previewRow, RowPreviewError } from "../core/training/rowPreview";
import { trainingSettings, TrainingSettings } from "../core/training/trainingSettings";
import { readConfigFile } from "./configFile";
import { escapeControls, write } from "./output";
import { isStdin, readDataset } from "./readDataset";
import { loadTokenizerForCli } from "./tokenizerFile";
import { UsageError } from "./usageError";

export interface StatsOptions {
  json?: boolean;
  tokenizer?: string;
  template?: string;
  config?: string;
  gpus?: string;
}

/** Rows over the limit listed by file and line; the count covers them all. */
const maxListedOverLimit = 1000;

type FileStats = { file: string } & (
  | (DatasetStats & { tokens: Distribution; trainedTokens: number; overLimit: number; notRendered: number })
  | { error: string }
);

interface Measured {
  rows: RowTokens[];
  overLimitRows: Array<{ file: string; line: number; tokens: number }>;
}

function rowTokens(value: unknown, setup: PreviewSetup, settings: TrainingSettings, config: TrainingConfig | undefined): RowTokens | undefined {
  try {
    const preview = previewRow(value, setup, settings, { format: config?.format, layout: config?.layout, roles: config?.roles });
    const limit = settings.sequenceLen;
    const trainedWithinLimit = limit === undefined ? undefined : preview.tokens.slice(0, limit).filter((t) => t.trained).length;
    return { tokens: preview.tokens.length, trained: preview.trainableTokens, trainedWithinLimit };
  } catch (error) {
    if (error instanceof RowPreviewError) return undefined;
    throw error;
  }
}

async function measureFile(file: string, setup: PreviewSetup, settings: TrainingSettings, config: TrainingConfig | undefined, into: Measured): Promise<FileStats> {
  const collector = new StatsCollector();
  const lengths: number[] = [];
  let trainedTokens = 0;
  let overLimit = 0;
  let notRendered = 0;
  try {
    for await (const line of readDataset(file)) {
      collector.add(line);
      if (line.tooLong || line.utf16) continue;
      const parsed = parseRow(line.text);
      if (parsed.kind !== "value" || parsed.errors.length > 0 || !isPlainObject(parsed.value)) continue;
      const row = rowTokens(parsed.value, setup, settings, config);
      if (!row) {
        notRendered++;
        continue;
      }
      into.rows.push(row);
      lengths.push(row.tokens);
      trainedTokens += row.trained;
      if (settings.sequenceLen !== undefined && row.tokens > settings.sequenceLen) {
        overLimit++;
        if (into.overLimitRows.length < maxListedOverLimit) into.overLimitRows.push({ file, line: line.lineNumber, tokens: row.tokens });
      }
    }
  } catch (error) {
    return { file, error: `Cannot read the file: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { file, ...collector.result(), tokens: distribution(lengths), trainedTokens, overLimit, notRendered };
}

/**
 * `stats`: rows, formats and characters per file, and over the whole set the training budget:
 * tokens per row through the preview's template, tokenizer and masks (estimated without
 * --tokenizer), rows over sequence_len, and optimizer steps with and without sample packing.
 */
export async function statsCommand(files: string[], options: StatsOptions): Promise<number> {
  if (files.filter(isStdin).length > 1) throw new UsageError("standard input (-) can be read only once");
  const gpus = options.gpus === undefined ? 1 : Number(options.gpus);
  if (!Number.isInteger(gpus) || gpus < 1) throw new UsageError(`--gpus wants a whole number from 1, not "${options.gpus}"`);
  const config = options.config ? parseTrainingConfig(readConfigFile(options.config)) : undefined;
  const tokenizer: LoadedTokenizer | undefined = options.tokenizer ? await loadTokenizerForCli(options.tokenizer) : undefined;
  try {
    let setup: PreviewSetup;
    try {
      setup = previewSetup({ tokenizer, template: options.template, config });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const settings = trainingSettings({}, config);
    const measured: Measured = { rows: [], overLimitRows: [] };
    const perFile: FileStats[] = [];
    for (const file of files) perFile.push(await measureFile(file, setup, settings, config, measured));
    const budget = trainingBudget(measured.rows, { ...config?.schedule, sequenceLen: settings.sequenceLen, gpus });
    const exact = setup.tokenizer.exact;
    const report = { ...budget, exact, tokenizer: exact ? setup.tokenizer.source : "estimate", template: setup.templateLabel, gpus, overLimitRows: measured.overLimitRows, files: perFile };
    await write(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report, budget));
    return perFile.some((f) => "error" in f) ? 1 : 0;
  } finally {
    await tokenizer?.dispose?.();
  }
}

const n = (value: number) => value.toLocaleString("en-US");

function summary(report: { exact: boolean; tokenizer: string; template: string; gpus: number; files: FileStats[]; overLimitRows: Measured["overLimitRows"] }, b: Budget): string {
  const approx = report.exact ? "" : "≈";
  const lines: string[] = [];
  for (const f of report.files) {
    if ("error" in f) {
      lines.push(`${escapeControls(f.file)}: ${escapeControls(f.error)}`);
      continue;
    }
    const formats = Object.entries(f.formats).map(([format, count]) => `${formatLabels[format as keyof typeof formatLabels] ?? format} ${n(count ?? 0)}`).join(", ");
    lines.push(`${escapeControls(f.file)}: ${n(f.rows)} row${f.rows === 1 ? "" : "s"} (${formats || "no instruction rows"}), ${n(f.invalidRows)} invalid, ${n(f.blankLines)} blank; ${approx}${n(f.tokens.total)} tokens, ${approx}${n(f.trainedTokens)} trained; ${n(f.overLimit)} over the limit`);
  }
  lines.push("");
  lines.push(`tokens per row (${report.exact ? `exact: ${report.tokenizer}` : "ESTIMATED: no --tokenizer"}; template ${report.template}): min ${approx}${n(b.tokens.min)}, p50 ${approx}${n(b.tokens.p50)}, p95 ${approx}${n(b.tokens.p95)}, max ${approx}${n(b.tokens.max)}`);
  if (b.sequenceLen !== undefined) {
    lines.push(`over sequence_len ${n(b.sequenceLen)}: ${n(b.overLimit)} rows (excess_length_strategy ${b.excessLengthStrategy}${b.excessLengthStrategy === "raise" && b.overLimit > 0 ? ": the run stops on the first" : ""})`);
    for (const row of report.overLimitRows.slice(0, 10)) lines.push(`  ${escapeControls(row.file)}:${row.line} ${n(row.tokens)} tokens`);
  } else {
    lines.push("no sequence_len (give --config): rows over the limit and packing are not computed");
  }
  lines.push(`total_num_tokens: ${approx}${n(b.totalNumTokens)}  total_supervised_tokens: ${approx}${n(b.totalSupervisedTokens)}  (${n(b.keptRows)} rows reach the trainer)`);
  lines.push(`batch ${n(b.batch)} (micro_batch_size x gradient_accumulation_steps x ${report.gpus} GPU${report.gpus === 1 ? "" : "s"}), ${b.epochs} epoch${b.epochs === 1 ? "" : "s"}`);
  if (b.sequenceLen === undefined) lines.push(`optimizer steps per epoch: ${n(b.steps.perEpochWithoutPacking)} (packing needs sequence_len)`);
  else lines.push(`optimizer steps per epoch: ${n(b.steps.perEpochWithoutPacking)} without packing, ${n(b.steps.perEpochWithPacking)} with packing (${n(b.bins)} packed sequences, ${(b.packingEfficiency * 100).toFixed(1)}% full)`);
  lines.push(`total_num_steps: ${n(b.totalNumSteps)} (sample_packing ${b.samplePacking}; ${n(b.steps.withoutPacking)} without packing, ${n(b.steps.withPacking)} with); warmup ${n(b.warmupSteps)} steps; ${approx}${n(Math.round(b.tokensPerStep))} tokens per step`);
  return `${lines.join("\n")}\n`;
}
