import { statSync } from "node:fs";
import { fileLayout, FileLayout } from "../core/jsonArray/arrayDetection";
import { holdsNoRows, readJsonDocument } from "../core/jsonArray/jsonDocument";
import { lintInParallel, lintsInParallel, validateRowsInParallel } from "./parallelLint";
import { LintWorkerPool } from "./lintWorkerPool";
import type { Diagnostic } from "../core/lint/diagnostic";
import { mappingOf } from "../core/formats/instructionTypes";
import { datasetInfoFor } from "../core/config/datasetInfoLookup";
import type { TokenCounter } from "../core/tokenizers/tokenCounter";
import { StreamOptions, validateLineBatches } from "../core/validate/streamValidator";
import { readTrainingConfig } from "./configFile";
import { BufferedOutput, escapeControls, stdoutClosed } from "./output";
import { isTrainerTarget, trainerTargets } from "../core/targets/trainerTarget";
import { validateArrayItems } from "../core/jsonArray/validateArray";
import { isStdin, openDataset } from "./readDataset";
import { ruleOptions } from "./ruleOptions";
import { loadTokenizerForCli } from "./tokenizerFile";

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic["severity"];
  rule: string;
  message: string;
}

export interface LintOptions {
  json?: boolean;
  config?: string;
  tokenizer?: string;
  maxTokens?: string;
  /** Repeatable `id=severity`. */
  rule?: string[];
  /** A JSON file shaped like the instructStudio.rules setting. */
  rules?: string;
  maxFindings?: string;
  target?: string;
  /** LLaMA-Factory's dataset_info.json; without it, one beside each file is used. */
  datasetInfo?: string;
}

const toCli = (file: string, d: Diagnostic): CliDiagnostic => ({
  file,
  line: d.line + 1,
  column: d.column + 1,
  endLine: d.endLine + 1,
  endColumn: d.endColumn + 1,
  severity: d.severity,
  rule: d.rule,
  message: d.message,
});

import { UsageError } from "./usageError";
export { UsageError };

async function streamOptions(options: LintOptions): Promise<{ stream: StreamOptions; dispose?: () => Promise<void> }> {
  const stream: StreamOptions = { rules: ruleOptions(options.rules, options.rule) };
  if (options.target !== undefined) {
    if (!isTrainerTarget(options.target)) throw new UsageError(`--target wants one of ${trainerTargets.join(", ")}, not "${options.target}"`);
    stream.target = options.target;
  }
  let maxTokens: number | undefined;
  if (options.config) {
    const config = readTrainingConfig(options.config);
    Object.assign(stream, { format: config.format, ...mappingOf(config) });
    maxTokens = config.sequenceLen;
  }
  if (options.maxTokens !== undefined) {
    maxTokens = Number(options.maxTokens);
    if (!Number.isInteger(maxTokens) || maxTokens <= 0) throw new UsageError(`--max-tokens wants a positive whole number, not "${options.maxTokens}"`);
  }
  let counter: (TokenCounter & { dispose?: () => Promise<void> }) | undefined;
  if (options.tokenizer) counter = await loadTokenizerForCli(options.tokenizer);
  if (counter && maxTokens === undefined) throw new UsageError("--tokenizer needs a limit: --max-tokens N, or a --config with sequence_len");
  if (counter && maxTokens !== undefined) stream.tokens = { counter, max: maxTokens };
  return { stream, dispose: counter?.dispose };
}

function maxFindingsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const max = Number(value);
  if (!Number.isInteger(max) || max < 0) throw new UsageError(`--max-findings wants a whole number from 0, not "${value}"`);
  return max;
}

/** Findings per rule and how many were printed, for the summary that --max-findings adds. */
type RuleCounts = Map<string, { findings: number; shown: number }>;

function ruleSummary(counts: RuleCounts, max: number): string {
  const rows = [...counts.entries()].sort((a, b) => b[1].findings - a[1].findings);
  const lines = rows.map(
    ([rule, c]) => `  ${rule.padEnd(24)} ${c.findings.toLocaleString("en-US")}${c.shown < c.findings ? ` (${c.shown.toLocaleString("en-US")} shown)` : ""}`,
  );
  return `\nfindings by rule (at most ${max.toLocaleString("en-US")} shown per rule):\n${lines.join("\n") || "  none"}\n`;
}

export async function lintCommand(files: string[], options: LintOptions): Promise<number> {
  if (files.filter(isStdin).length > 1) throw new UsageError("standard input (-) can be read only once");
  const maxFindings = maxFindingsOf(options.maxFindings);
  const { stream, dispose } = await streamOptions(options);
  let errors = 0;
  let printed = 0;
  const counts: RuleCounts = new Map();
  const out = new BufferedOutput();
  // The threads that lint the run's first large file lint its later ones, already compiled.
  const threads = new LintWorkerPool();
  // --json streams its array: millions of findings are never held at once.
  const emit = async (cli: CliDiagnostic) => {
    if (cli.severity === "error") errors++;
    if (maxFindings !== undefined) {
      const count = counts.get(cli.rule) ?? { findings: 0, shown: 0 };
      counts.set(cli.rule, count);
      count.findings++;
      if (count.shown >= maxFindings) return;
      count.shown++;
    }
    if (options.json) await out.push(`${printed++ === 0 ? "[\n" : ",\n"}${JSON.stringify(cli)}`);
    else await out.push(`${escapeControls(`${cli.file}:${cli.line}:${cli.column} ${cli.severity} ${cli.rule} ${cli.message}`)}\n`);
  };
  try {
    for (const file of files) {
      try {
        const layout = isStdin(file) ? undefined : fileLayout(file);
        const findings = layout === "document" ? documentFindings(file) : await datasetFindings(file, stream, options.datasetInfo, layout, threads);
        for await (const diagnostic of findings) {
          await emit(toCli(file, diagnostic));
          // Nobody reads on, and the exit status is settled: stop reading.
          if (stdoutClosed() && errors > 0) return 1;
        }
      } catch (error) {
        if (error instanceof UsageError) throw error;
        const message = `Cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
        await emit({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: "error", rule: "unreadable", message });
      }
    }
  } finally {
    await threads.close();
    await dispose?.();
  }
  if (options.json) await out.push(printed === 0 ? "[]\n" : "\n]\n");
  // The JSON array on stdout keeps its shape; its summary goes to stderr as one JSON object.
  if (maxFindings !== undefined && !options.json) await out.push(ruleSummary(counts, maxFindings));
  await out.flush();
  if (maxFindings !== undefined && options.json) process.stderr.write(`${JSON.stringify({ findingsByRule: Object.fromEntries(counts), maxFindings })}\n`);
  return errors > 0 ? 1 : 0;
}

/**
 * The options for one file, read as the LLaMA-Factory dataset_info.json entry that names it
 * says (its formatting, columns and tags), when one does. A broken dataset_info.json named on
 * the command line is a usage error; one found beside the file is reported and passed over.
 */
function withDatasetInfo(file: string, stream: StreamOptions, infoPath: string | undefined): StreamOptions {
  try {
    const match = datasetInfoFor(file, infoPath);
    if (!match) {
      if (infoPath) process.stderr.write(`${escapeControls(`note: ${infoPath} has no entry whose file_name is ${file}; its rows are read by their keys`)}\n`);
      return stream;
    }
    return { ...stream, format: match.format, ...match.mapping };
  } catch (error) {
    if (infoPath) throw new UsageError((error as Error).message);
    process.stderr.write(`${escapeControls(`note: ${(error as Error).message}; ${file} is read by its keys`)}\n`);
    return stream;
  }
}

/**
 * A `.json` file that is one object over many lines (dataset_info.json beside LLaMA-Factory's
 * datasets, a Super-NaturalInstructions task): its syntax, as the editor's JSON language checks
 * it, not one syntax error a line. It holds no rows, which stderr says when it has no error.
 */
async function* documentFindings(file: string): AsyncGenerator<Diagnostic> {
  const note = (text: string) => process.stderr.write(`${escapeControls(`note: ${file} ${holdsNoRows}: ${text}`)}\n`);
  const { bytes, findings } = readJsonDocument(file);
  if (!findings) note(`at ${(bytes / 1024 / 1024).toFixed(0)} MB it is not read (over the 16 MB a row may have)`);
  else if (findings.length === 0) note("its syntax is valid, and it is not linted as a dataset");
  yield* findings ?? [];
}

/**
 * The findings of a dataset's rows: on every core for a large regular file (JSON Lines cut by
 * lines, a JSON array's rows handed over), else read once from the start.
 */
async function datasetFindings(
  file: string,
  stream: StreamOptions,
  datasetInfo: string | undefined,
  layout: FileLayout | undefined,
  threads: LintWorkerPool,
): Promise<AsyncGenerator<Diagnostic>> {
  const fileStream = isStdin(file) ? stream : withDatasetInfo(file, stream, datasetInfo);
  const parallel = layout !== undefined && lintsInParallel(file, fileStream, threads.warm);
  return parallel && layout === "lines" ? lintInParallel(file, fileStream, threads) : openedFindings(file, fileStream, parallel ? threads : undefined);
}

/** The findings of a file read once, from the start: standard input, a small file, or a JSON array (its rows then handed to `threads` when given). */
async function openedFindings(file: string, stream: StreamOptions, threads: LintWorkerPool | undefined): Promise<AsyncGenerator<Diagnostic>> {
  const dataset = await openDataset(file);
  if (dataset.kind === "array") return validateArrayItems(dataset.batches, stream, undefined, threads ? validateRowsInParallel(file, threads) : undefined);
  const fileBytes = isStdin(file) ? undefined : statSync(file, { throwIfNoEntry: false })?.size;
  return validateLineBatches(dataset.batches, fileBytes ? { ...stream, fileBytes } : stream);
}
