import { existsSync } from "node:fs";
import { fileLayout } from "../core/jsonArray/arrayDetection";
import { holdsNoRows } from "../core/jsonArray/jsonDocument";
import { join } from "node:path";
import { loadMeasurer, runBudget, sampleLines } from "../workers/budgetRunner";
import type { DatasetReport } from "../core/budget/datasetReport";
import { packingBatchRows } from "../core/budget/trainerPacking";
import { cliTemplateContext, viewTarget } from "./templateContext";
import { formatLabels } from "../core/formats/detect";
import { PreviewSetupError } from "../core/training/previewSetup";
import { readTrainingConfig } from "./configFile";
import { escapeControls, write } from "./output";
import { isStdin, readDataset } from "./readDataset";
import { UsageError } from "./usageError";
import { cliDatasetInfo } from "./templateContext";

export interface StatsOptions {
  json?: boolean;
  tokenizer?: string;
  template?: string;
  config?: string;
  axolotl?: string;
  gpus?: string;
  target?: string;
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
  const trainer = viewTarget(options.target);
  const config = options.config ? readTrainingConfig(options.config) : undefined;
  // LLaMA-Factory's view reads each file by the dataset_info.json entry that names it.
  const datasetInfoByFile = Object.fromEntries(files.filter((f) => !isStdin(f)).map((f) => [f, cliDatasetInfo(f)]));
  const sources = {
    tokenizerPath: options.tokenizer,
    template: options.template,
    config,
    datasetInfoByFile,
    settings: { trainer },
    ...(await cliTemplateContext(options.config, config, options.axolotl, trainer)),
  };
  const documents = files.filter(isJsonDocument);
  for (const file of documents) process.stderr.write(`${escapeControls(`note: ${file} ${holdsNoRows}: it counts no rows`)}\n`);
  const samples = sampleLines(files.find((f) => !isStdin(f) && !documents.includes(f)));
  let loaded: Awaited<ReturnType<typeof loadMeasurer>>;
  try {
    loaded = await loadMeasurer(sources, samples);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      options.tokenizer && !(error instanceof PreviewSetupError)
        ? `cannot use ${options.tokenizer} as a tokenizer (a folder with tokenizer.json, or a .gguf file): ${reason}`
        : reason,
    );
  }
  const { measurer } = loaded;
  try {
    // Large files are split between copies of the budget worker, one per core.
    const shardScript = join(__dirname, "budget-worker.js");
    const report = await runBudget({ files, sources, gpus }, measurer, {
      shardScript: existsSync(shardScript) ? shardScript : undefined,
      openLines: (file) => (isStdin(file) ? readDataset(file) : undefined),
    });
    await write(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
    return report.files.some((f) => "error" in f) ? 1 : 0;
  } finally {
    await loaded.dispose();
  }
}

/** A `.json` file that is one object over many lines (dataset_info.json): `lint` checks only its syntax, and it has no rows to count. */
const isJsonDocument = (file: string) => !isStdin(file) && fileLayout(file) === "document";

const n = (value: number) => value.toLocaleString("en-US");

function summary(report: DatasetReport): string {
  const b = report;
  const approx = report.exact ? "" : "≈";
  const lines: string[] = [];
  for (const f of report.files) {
    if ("error" in f) {
      lines.push(`${escapeControls(f.file)}: ${escapeControls(f.error)}`);
      continue;
    }
    const formats = Object.entries(f.formats)
      .map(([format, count]) => `${formatLabels[format as keyof typeof formatLabels] ?? format} ${n(count ?? 0)}`)
      .join(", ");
    lines.push(
      `${escapeControls(f.file)}: ${n(f.rows)} row${f.rows === 1 ? "" : "s"} (${formats || "no instruction rows"}), ${n(f.invalidRows)} invalid, ${n(f.blankLines)} blank; ${approx}${n(f.tokens.total)} tokens, ${approx}${n(f.trainedTokens)} trained; ${n(f.overLimit)} over the limit${f.notRendered ? `; ${n(f.notRendered)} not rendered (${escapeControls(f.notRenderedReason ?? "")})` : ""}`,
    );
  }
  lines.push("");
  lines.push(
    `tokens per row (${report.exact ? `exact: ${report.tokenizer}, counted with ${report.counting}` : "ESTIMATED: no --tokenizer"}; template ${report.template}): min ${approx}${n(b.tokens.min)}, p50 ${approx}${n(b.tokens.p50)}, p95 ${approx}${n(b.tokens.p95)}, max ${approx}${n(b.tokens.max)}`,
  );
  if (b.sequenceLen !== undefined) {
    const strategy =
      b.trainer === "axolotl"
        ? `excess_length_strategy ${b.excessLengthStrategy}${b.excessLengthStrategy === "raise" && b.overLimit > 0 ? ": the run stops on the first" : ""}`
        : "truncated";
    lines.push(`over ${limitNames[b.trainer]} ${n(b.sequenceLen)}: ${n(b.overLimit)} rows (${strategy})`);
    for (const row of report.overLimitRows.slice(0, 10)) lines.push(`  ${escapeControls(row.file)}:${row.line} ${n(row.tokens)} tokens`);
  } else {
    lines.push("no sequence_len (give --config): rows over the limit and packing are not computed");
  }
  lines.push(
    `turns per row: min ${n(b.turns.min)}, p50 ${n(b.turns.p50)}, max ${n(b.turns.max)}; duplicates: ${n(b.duplicates.rows)} rows repeat an earlier row (${n(b.duplicates.groups)} contents)`,
  );
  lines.push(
    `total_num_tokens: ${approx}${n(b.totalNumTokens)}  total_supervised_tokens: ${approx}${n(b.totalSupervisedTokens)}  (${n(b.keptRows)} rows reach the trainer)`,
  );
  lines.push(
    `batch ${n(b.batch)} (micro_batch_size x gradient_accumulation_steps x ${report.gpus} GPU${report.gpus === 1 ? "" : "s"}), ${b.epochs} epoch${b.epochs === 1 ? "" : "s"}`,
  );
  if (b.sequenceLen === undefined) lines.push(`optimizer steps per epoch: ${n(b.steps.perEpochWithoutPacking)} (packing needs sequence_len)`);
  else
    lines.push(
      `optimizer steps per epoch: ${n(b.steps.perEpochWithoutPacking)} without packing, ${n(b.steps.perEpochWithPacking)} with packing (${n(b.bins)} packed sequences, ${(b.packingEfficiency * 100).toFixed(1)}% full)`,
    );
  lines.push(
    `total_num_steps: ${n(b.totalNumSteps)} (sample_packing ${b.samplePacking}; ${n(b.steps.withoutPacking)} without packing, ${n(b.steps.withPacking)} with); warmup ${n(b.warmupSteps)} steps; ${approx}${n(Math.round(b.tokensPerStep))} tokens per step`,
  );
  lines.push(`counted as ${stepsRule(b.trainer)}`);
  return `${lines.join("\n")}\n`;
}

/** Each trainer's name for the length limit. */
const limitNames: Record<DatasetReport["trainer"], string> = { axolotl: "sequence_len", trl: "max_length", "llama-factory": "cutoff_len" };

/** Whose rules the figures follow, in words. */
export function stepsRule(trainer: DatasetReport["trainer"]): string {
  if (trainer === "axolotl")
    return "Axolotl counts: rows over sequence_len dropped (excess_length_strategy), steps = ceil(rows x epochs / batch), packed first-fit decreasing";
  const who = trainer === "trl" ? "TRL" : "LLaMA-Factory";
  const packing = trainer === "trl" ? "TRL's pack_dataset (packing_strategy, bfd by default)" : "LLaMA-Factory's greedy_knapsack";
  return `${who} counts through the Hugging Face Trainer: long rows truncated, steps per epoch = ceil(ceil(ceil(rows / per-device batch) / GPUs) / gradient accumulation), packed by ${packing} in batches of ${packingBatchRows.toLocaleString("en-US")} rows`;
}
