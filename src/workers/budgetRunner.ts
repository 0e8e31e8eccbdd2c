import { createReadStream, closeSync, openSync, readSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { DatasetReport, datasetReport, FileError } from "../core/budget/datasetReport";
import { emptyTally, FileTally, LineMeasure, measureLine, mergeTallies } from "../core/budget/datasetTally";
import { arrayBudgetLines, BudgetCancelled, BudgetLine, tallyLines, textLines } from "../core/budget/tallyLines";
import { fileLayout, textLayout } from "../core/jsonArray/arrayDetection";
import { readArrayElements, singleChunk } from "../core/jsonArray/arrayElements";
import { holdsNoRows } from "../core/jsonArray/jsonDocument";
import type { DatasetInfoEntry } from "../core/config/datasetInfo";
import type { TrainingConfig } from "../core/config/trainingConfig";
import { lineAlignedRanges } from "../core/jsonl/lineAlignedRanges";
import { readLines } from "../core/jsonl/lineReader";
import { loadBulkTokenizer } from "../core/tokenizers/bulkTokenizer";
import type { LoadedTokenizer } from "../core/tokenizers/loadTokenizer";
import { previewSetup, PreviewSetup } from "../core/training/previewSetup";
import { trainingSettings, TrainingSettings } from "../core/training/trainingSettings";
import { maxRowBytes } from "../core/validate/lineChecks";
import type { BudgetJob, BudgetRequest, BudgetResponse, BudgetSources } from "../protocol/budgetWorker";
import { isBudgetEvent } from "../protocol/budgetWorker";
import { WorkerProcess } from "./workerProcess";

/** The measuring side of a run: the preview's setup, loaded once per process. */
export interface Measurer {
  setup: PreviewSetup;
  settings: TrainingSettings;
  config?: TrainingConfig;
  /** What the run's other processes are sent (the vocabulary it counts with). */
  sources: BudgetSources;
  /** How tokens are counted, for the report. */
  counting: string;
}

export function measurerOf(
  sources: BudgetSources,
  tokenizer: LoadedTokenizer | undefined,
  counting = tokenizer ? "the model's tokenizer" : "estimate",
): Measurer {
  const settings = trainingSettings(sources.settings ?? {}, sources.config);
  return {
    setup: previewSetup({
      tokenizer,
      template: sources.template,
      config: sources.config,
      configDir: sources.configDir,
      axolotl: sources.axolotl,
      trl: sources.trl,
      datasetInfo: sources.datasetInfo,
      trainer: settings.choice?.trainer,
    }),
    settings,
    config: sources.config,
    sources,
    counting,
  };
}

/** Up to 200 lines from the start of a dataset: what the fast tokenizer is checked on. */
export function sampleLines(file: string | undefined, text?: string): string[] {
  if (text !== undefined)
    return text
      .slice(0, 256 * 1024)
      .split(/\r?\n/)
      .slice(0, 200);
  if (!file || !statSync(file, { throwIfNoEntry: false })?.isFile()) return [];
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(256 * 1024);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString("utf8").split(/\r?\n/).slice(0, 200);
  } finally {
    closeSync(fd);
  }
}

/** The run's tokenizer: the fastest exact one for bulk counting (see loadBulkTokenizer). */
export async function loadMeasurer(sources: BudgetSources, samples: string[]): Promise<{ measurer: Measurer; dispose: () => Promise<void> }> {
  if (!sources.tokenizerPath) return { measurer: measurerOf(sources, undefined), dispose: async () => undefined };
  const bulk = await loadBulkTokenizer(sources.tokenizerPath, { samples, vocabulary: sources.vocabulary });
  return { measurer: measurerOf({ ...sources, vocabulary: bulk.vocabulary }, bulk.tokenizer, bulk.note), dispose: async () => bulk.tokenizer.dispose?.() };
}

/** The measurer reading rows by another dataset_info.json entry (the tokenizer and the rest shared). */
export function withDatasetInfo(measurer: Measurer, entry: DatasetInfoEntry | undefined): Measurer {
  if (entry === measurer.setup.datasetInfo) return measurer;
  return { ...measurer, setup: { ...measurer.setup, datasetInfo: entry }, sources: { ...measurer.sources, datasetInfo: entry } };
}

/** The measurer for one file: with a per-file dataset_info.json lookup, LLaMA-Factory reads each file by its own entry. */
export function measurerFor(measurer: Measurer, file: string): Measurer {
  const byFile = measurer.sources.datasetInfoByFile;
  return byFile ? withDatasetInfo(measurer, byFile[file]) : measurer;
}

const measureWith =
  (m: Measurer) =>
  (text: string): LineMeasure =>
    measureLine(text, m.setup, m.settings, m.config);

export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

export interface RunOptions {
  onProgress?: (progress: Progress) => void;
  isCancelled?: () => boolean;
  /** out/budget-worker.js: parts of a large file are measured by copies of it, one per core. */
  shardScript?: string;
  /** Processes measuring one large file (default: the machine's cores, at most 4). */
  parallel?: number;
  /** Files from this size are split (default `shardMinBytes`). */
  shardMinBytes?: number;
  /** Lines of a file that is not read from disk by its path (the CLI's standard input). */
  openLines?: (file: string) => AsyncIterable<BudgetLine> | undefined;
  /** Per file on disk: its tally from the last run, reused while its size and modification time stay (the GPU count changed, another file was edited). */
  fileCaches?: Map<string, { stamp: string; result: { tally: FileTally; lines: number } }>;
  /** Counts the rows measured in this run's own process (not reused from a cache). */
  counters?: { measured: number };
  /** Per open document: its lines' measures from the last run, so an edit re-measures only changed rows. */
  textCaches?: Map<string, Map<string, LineMeasure>>;
}

/** Files at least this large are split between processes; smaller ones are not worth a tokenizer load each. */
export const shardMinBytes = 16 * 1024 * 1024;

function rangeLines(file: string, start: number, end: number) {
  if (end <= start) return readLines((async function* () {})(), { maxLineBytes: maxRowBytes });
  // createReadStream's end is inclusive.
  return readLines(createReadStream(file, { start, end: end - 1, highWaterMark: 1024 * 1024 }), { maxLineBytes: maxRowBytes });
}

/** Measures one part of a file (a shard's job). */
export async function measureRange(
  file: string,
  start: number,
  end: number,
  measurer: Measurer,
  options: Pick<RunOptions, "onProgress" | "isCancelled"> = {},
): Promise<{ tally: FileTally; lines: number }> {
  let done = 0;
  return tallyLines(file, rangeLines(file, start, end), measureWith(measurer), {
    isCancelled: options.isCancelled,
    onProgress: (bytes, rows) => options.onProgress?.({ bytesDone: (done += bytes), bytesTotal: end - start, rows }),
  });
}

type Shard = WorkerProcess<BudgetRequest, BudgetResponse>;

/**
 * The training budget of a set of files: every row measured with the preview's template,
 * tokenizer and masks, then the schedule. Large files are split by lines between processes.
 */
export async function runBudget(job: BudgetJob, measurer: Measurer, options: RunOptions = {}): Promise<DatasetReport> {
  const sizeOf = (file: string) => {
    if (job.texts?.[file] !== undefined) return Buffer.byteLength(job.texts[file]);
    const stat = options.openLines?.(file) ? undefined : statSync(file, { throwIfNoEntry: false });
    return stat?.isFile() ? stat.size : 0;
  };
  const sizes = job.files.map(sizeOf);
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesBefore = 0;
  let rowsBefore = 0;
  const report = (progress: { bytesDone: number; rows: number }) =>
    options.onProgress?.({ bytesDone: bytesBefore + progress.bytesDone, bytesTotal, rows: rowsBefore + progress.rows });
  const read: Array<FileTally | FileError> = [];
  for (const [index, file] of job.files.entries()) {
    try {
      const result = await measureFile(file, sizes[index], job, measurerFor(measurer, file), options, report);
      read.push(result.tally);
      rowsBefore += result.lines;
    } catch (error) {
      if (error instanceof BudgetCancelled) throw error;
      read.push({ file, error: `Cannot read the file: ${error instanceof Error ? error.message : String(error)}` });
    }
    bytesBefore += sizes[index];
  }
  const labels = {
    exact: measurer.setup.tokenizer.exact,
    tokenizer: measurer.setup.tokenizer.exact ? measurer.setup.tokenizer.source : "estimate",
    template: measurer.setup.templateLabel,
    counting: measurer.counting,
  };
  const { choice, trl, llamaFactory } = measurer.settings;
  const packing = choice?.trainer === "trl" ? trl?.packing : choice?.trainer === "llama-factory" ? llamaFactory?.packing : undefined;
  const schedule = { ...job.sources.config?.schedule, ...(packing !== undefined ? { samplePacking: packing } : {}) };
  const packingShape = {
    trlPackingStrategy: trl?.packingStrategy,
    packingCapacity: choice?.trainer === "llama-factory" && llamaFactory?.packing ? llamaFactory.cutoffLen - 1 : undefined,
  };
  return datasetReport(read, { ...schedule, sequenceLen: measurer.settings.sequenceLen, gpus: job.gpus, trainer: choice?.trainer, ...packingShape }, labels);
}

async function measureFile(
  file: string,
  size: number,
  job: BudgetJob,
  measurer: Measurer,
  options: RunOptions,
  report: (p: { bytesDone: number; rows: number }) => void,
): Promise<{ tally: FileTally; lines: number }> {
  let done = 0;
  const tallyOptions = {
    isCancelled: options.isCancelled,
    counters: options.counters,
    onProgress: (bytes: number, rows: number) => report({ bytesDone: (done += bytes), rows }),
  };
  const text = job.texts?.[file];
  if (text !== undefined) {
    const cache = options.textCaches?.get(file) ?? new Map<string, LineMeasure>();
    options.textCaches?.set(file, cache);
    // Read as the saved file would be: an open dataset_info.json holds no rows, not a row a line.
    const layout = textLayout(file, text);
    if (layout === "document") return noRows(file);
    const lines = layout === "array" ? arrayBudgetLines(readArrayElements(singleChunk(Buffer.from(text)), { maxElementBytes: maxRowBytes })) : textLines(text);
    return tallyLines(file, lines, measureWith(measurer), { ...tallyOptions, cache });
  }
  const special = options.openLines?.(file);
  if (special) return tallyLines(file, special, measureWith(measurer), tallyOptions);
  const stat = statSync(file);
  // A FIFO or <(...) has no size and can be read once, from the start.
  if (!stat.isFile())
    return tallyLines(
      file,
      readLines(createReadStream(file, { highWaterMark: 1024 * 1024 }), { maxLineBytes: maxRowBytes }),
      measureWith(measurer),
      tallyOptions,
    );
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = options.fileCaches?.get(file);
  if (cached?.stamp === stamp) {
    report({ bytesDone: size, rows: cached.result.lines });
    return structuredClone(cached.result);
  }
  const layout = fileLayout(file);
  if (layout === "document") return noRows(file);
  // A JSON array of rows (alpaca_data.json) is read element by element, in one process: its
  // elements do not start at line breaks a shard could split at.
  if (layout === "array") {
    const elements = readArrayElements(createReadStream(file, { highWaterMark: 1024 * 1024 }), { maxElementBytes: maxRowBytes });
    const result = await tallyLines(file, arrayBudgetLines(elements), measureWith(measurer), tallyOptions);
    options.fileCaches?.set(file, { stamp, result: structuredClone(result) });
    return result;
  }
  const parallel = Math.max(1, Math.min(options.parallel ?? Math.min(4, availableParallelism()), 16));
  const ranges =
    options.shardScript && parallel > 1 && size >= (options.shardMinBytes ?? shardMinBytes)
      ? lineAlignedRanges(file, size, parallel)
      : [{ start: 0, end: size }];
  const result = await measureRanges(file, ranges, measurer, options, report);
  options.fileCaches?.set(file, { stamp, result: structuredClone(result) });
  return result;
}

/** One JSON object over many lines (dataset_info.json beside the datasets) holds no rows, as lint reads it; the view says so. */
function noRows(file: string): { tally: FileTally; lines: number } {
  return { tally: { ...emptyTally(file), note: holdsNoRows }, lines: 0 };
}

async function measureRanges(
  file: string,
  ranges: Array<{ start: number; end: number }>,
  measurer: Measurer,
  options: RunOptions,
  onProgress: (p: { bytesDone: number; rows: number }) => void,
): Promise<{ tally: FileTally; lines: number }> {
  const progress = ranges.map(() => ({ bytesDone: 0, rows: 0 }));
  const sum = () => onProgress({ bytesDone: progress.reduce((n, p) => n + p.bytesDone, 0), rows: progress.reduce((n, p) => n + p.rows, 0) });
  const shards: Shard[] = ranges.slice(1).map(() => new WorkerProcess<BudgetRequest, BudgetResponse>(options.shardScript!, "budget", 2048, isBudgetEvent));
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const shard of shards) shard.dispose();
  };
  try {
    const remote = shards.map(async (shard, i) => {
      const { start, end } = ranges[i + 1];
      const response = await shard.request(
        { type: "measureRange", file, start, end, sources: measurer.sources },
        {
          onEvent: (event) => {
            if (event.type !== "progress") return;
            progress[i + 1] = { bytesDone: event.bytesDone, rows: event.rows };
            sum();
          },
        },
      );
      if (response.type === "tally") return response;
      throw new Error(response.type === "error" ? response.message : `unexpected answer from a budget process: ${response.type}`);
    });
    // A failing part stops the others at once rather than after they finish.
    remote.forEach((p) => p.catch(() => stop()));
    const local = measureRange(file, ranges[0].start, ranges[0].end, measurer, {
      isCancelled: () => stopped || (options.isCancelled?.() ?? false),
      onProgress: (p) => {
        progress[0] = { bytesDone: p.bytesDone, rows: p.rows };
        sum();
      },
    });
    let parts: Array<{ tally: FileTally; lines: number }>;
    try {
      parts = await Promise.all([local, ...remote]);
    } catch (error) {
      if (options.isCancelled?.()) throw new BudgetCancelled();
      const failures = await Promise.allSettled(remote);
      const cause = failures.find((f): f is PromiseRejectedResult => f.status === "rejected" && !/SIGTERM|SIGKILL/.test(String(f.reason)));
      throw cause ? (cause.reason as Error) : error;
    }
    let offset = 0;
    for (const part of parts) {
      for (const row of part.tally.measured) row.line += offset;
      offset += part.lines;
    }
    return {
      tally: mergeTallies(
        file,
        parts.map((p) => p.tally),
      ),
      lines: offset,
    };
  } finally {
    stop();
  }
}
