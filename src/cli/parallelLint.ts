import { createReadStream, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { lineAlignedRanges } from "../workers/budgetRunner";
import { readLines } from "../core/jsonl/lineReader";
import type { Diagnostic, Span } from "../core/lint/diagnostic";
import { unpackRows } from "../core/validate/packedRows";
import { releaseVectors, slabMark } from "../core/validate/rowVectors";
import { AnalyzedLine, RowComparer, sampleFileFormat, StreamOptions } from "../core/validate/streamValidator";
import type { LintChunk, LintChunkResult, LintWorkerData } from "../protocol/lintWorker";
import { cliMaxLineBytes } from "./readDataset";
import { analyzeChunkBatches } from "./lintChunk";

/** Files from this size are linted on every core; below it, starting threads costs more than it gains. */
export const parallelMinBytes = 16 * 1024 * 1024;
/**
 * The size from which a machine of two cores lints on both, unless threads were asked for. One
 * lint thread already keeps V8's collector and compiler busy on the second core (1.5 s of CPU in
 * 1.2 s on 16 MB), and a worker compiles the analysis again: two threads were 7% slower at 16 MB,
 * 4% faster at 24 MB and 16% faster at 32 MB.
 */
export const twoCoreParallelMinBytes = 24 * 1024 * 1024;
/** Bytes of file per chunk a thread analyses at a time. */
const chunkBytes = 4 * 1024 * 1024;
/** Chunks a thread may have been given and not yet seen printed (analysing or analysed): bounds the memory held. */
const chunksAhead = 2;

/**
 * Comparing a row costs this thread about a fifth of analysing it (measured on Alpaca rows), so
 * with `lanes` threads its share of the chunks is s, where comparing plus s of the analysis takes
 * as long as each worker's part of the rest: c + s = (1 - s) / (lanes - 1). On two threads that is
 * 2 chunks in 5: a 1 GB file took 20.6 s, against 22.5 s with 1 in 3 and 22.3 s with 1 in 2.
 */
const compareCost = 0.2;

export function ownShare(lanes: number): number {
  return Math.max(0, (1 - compareCost * (lanes - 1)) / lanes);
}

/** The threads INSTRUCT_STUDIO_LINT_THREADS asks for, if it is set to a whole number from 1. */
function threadsAskedFor(): number | undefined {
  const set = Number(process.env.INSTRUCT_STUDIO_LINT_THREADS);
  return Number.isInteger(set) && set >= 1 ? Math.min(set, 64) : undefined;
}

/** Threads lint uses: one per core up to 8, or INSTRUCT_STUDIO_LINT_THREADS (1 lints on one thread, with the least memory). */
export function lintThreads(): number {
  return threadsAskedFor() ?? Math.min(availableParallelism(), 8);
}

/** The smallest file linted on several threads: larger on two cores, unless INSTRUCT_STUDIO_LINT_THREADS asks for threads. */
export function parallelThresholdBytes(cores = availableParallelism(), asked = threadsAskedFor()): number {
  return asked === undefined && cores <= 2 ? twoCoreParallelMinBytes : parallelMinBytes;
}

/** Whether a file is linted on several threads: a large JSON Lines file on a machine with cores to spare. */
export function lintsInParallel(file: string, options: StreamOptions): boolean {
  if (options.tokens || lintThreads() < 2) return false;
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size >= parallelThresholdBytes();
}

const shiftSpan = <T extends Span>(span: T, delta: number): T => ({ ...span, line: span.line + delta, endLine: span.endLine + delta });

function shiftDiagnostic(d: Diagnostic, delta: number): Diagnostic {
  const moved = shiftSpan(d, delta);
  if (d.related) moved.related = d.related.map((r) => shiftSpan(r, delta));
  if (d.fix) moved.fix = { ...d.fix, edits: d.fix.edits.map((e) => shiftSpan(e, delta)) };
  return moved;
}

/**
 * Moves a row that a thread numbered within its chunk to its line in the file. The row is this
 * thread's own copy and is changed in place; its findings are copied, as they may share spans.
 */
function placeRow(row: AnalyzedLine, delta: number): void {
  if (delta === 0) return;
  row.line += delta;
  if (row.diagnostics.length > 0) row.diagnostics = row.diagnostics.map((d) => shiftDiagnostic(d, delta));
}

/**
 * Lints a JSON Lines file with every core and the same output as the sequential lint: one worker
 * thread a core but one analyses line-aligned chunks (each row's own rules, its hashes and
 * signatures), this thread analyses a share of the chunks itself, and it compares all the rows
 * in line order (duplicates, near duplicates, mixed formats) and yields the findings in line
 * order. Each worker runs at most `chunksAhead` chunks ahead.
 */
export async function* lintInParallel(file: string, options: StreamOptions, workerScript = join(__dirname, "lint-worker.js")): AsyncGenerator<Diagnostic> {
  const sampleLines = readLines(createReadStream(file, { end: 64 * 1024 * 1024, highWaterMark: 1024 * 1024 }), { maxLineBytes: cliMaxLineBytes });
  const sample = await sampleFileFormat(sampleLines, options);
  await sampleLines.return(undefined);
  const size = statSync(file).size;
  const chunks: LintChunk[] = lineAlignedRanges(file, size, Math.max(1, Math.ceil(size / chunkBytes))).map((range, id) => ({ id, ...range }));
  const { tokens: _tokens, ...serializable } = options;
  const data: LintWorkerData = { file, options: serializable, fileFormat: sample.format, maxLineBytes: cliMaxLineBytes };
  // Each thread gets the heap the CLI gives itself (128 MB: a 16 MB row fits), so memory grows by threads, not by file size.
  const resourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
  // One thread a core, this one included: with a worker for every core, this thread (which only
  // compared) sat idle half the time, and each isolate more compiles the whole analysis again,
  // half a second of CPU. This thread analyses the first chunk (while the workers start) and an
  // evenly spread share of the rest, what comparing leaves it time for.
  const lanes = Math.max(2, Math.min(lintThreads(), chunks.length));
  const workers = Array.from({ length: lanes - 1 }, () => new Worker(workerScript, { workerData: data, resourceLimits }));
  const share = ownShare(lanes);
  const isOwnChunk = (id: number) => id === 0 || Math.floor((id + 1) * share) > Math.floor(id * share);
  const others = chunks.filter((chunk) => !isOwnChunk(chunk.id));
  const queues = workers.map((_, lane) => others.filter((_, index) => index % workers.length === lane));
  const results = new Map<number, LintChunkResult>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  // A chunk counts against its thread until it is printed, not until it arrives: a thread far
  // ahead of a slow one would otherwise fill this thread's memory with analysed chunks.
  const unprinted = new Map<Worker, number>();
  const workerOf = new Map<number, Worker>();
  /** Slabs of a worker's rows that this thread is done with, handed back with its next chunk. */
  const spareSlabs = new Map<Worker, ArrayBuffer[]>();
  const dispatch = (worker: Worker) => {
    const queue = queues[workers.indexOf(worker)];
    if (queue.length === 0 || (unprinted.get(worker) ?? 0) >= chunksAhead) return;
    const chunk: LintChunk = { ...queue.shift()!, spareSlabs: spareSlabs.get(worker) };
    spareSlabs.delete(worker);
    unprinted.set(worker, (unprinted.get(worker) ?? 0) + 1);
    workerOf.set(chunk.id, worker);
    worker.postMessage(chunk, chunk.spareSlabs ?? []);
  };
  for (const worker of workers) {
    worker.on("message", (result: LintChunkResult) => {
      results.set(result.id, result);
      wake?.();
    });
    worker.on("error", (error) => {
      failure ??= error;
      wake?.();
    });
    worker.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`a lint thread stopped (exit code ${code})`);
      wake?.();
    });
  }
  for (let ahead = 0; ahead < chunksAhead; ahead++) workers.forEach(dispatch);
  const comparer = new RowComparer(sample, { ...options, fileBytes: size });
  let lineOffset = 0;
  /** Analyses a chunk on this thread, comparing each row as it comes: this thread's share, or what is left when a worker fails. */
  async function* lintHere(chunk: LintChunk): AsyncGenerator<Diagnostic> {
    let lines = 0;
    const batches = analyzeChunkBatches(chunk, data, lineOffset);
    try {
      // A batch is analysed when it is asked for, and nothing else on this thread cuts vectors:
      // its rows' vectors lie between the two marks.
      for (let from = slabMark(), next = await batches.next(); !next.done; from = slabMark(), next = await batches.next()) {
        const to = slabMark();
        const keepsNone = comparer.keepsNoMoreRows;
        for (const row of next.value) {
          lines++;
          const found = comparer.add(row);
          for (let i = 0; i < found.length; i++) yield found[i];
          if (comparer.finished) return;
        }
        if (keepsNone) releaseVectors(from, to);
      }
    } finally {
      await batches.return(undefined);
    }
    lineOffset += lines;
  }
  try {
    for (let id = 0; id < chunks.length; id++) {
      if (isOwnChunk(id) && !failure) {
        yield* lintHere(chunks[id]);
        if (comparer.finished) return;
        continue;
      }
      while (!results.has(id) && !failure) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const result = results.get(id);
      results.delete(id);
      if (!result || result.error) {
        // A thread ran out of memory (a chunk of tiny rows with many findings) or failed: this
        // thread lints the rest by itself, with the same analysis, so no finding is lost.
        await Promise.all(workers.map((w) => w.terminate()));
        process.stderr.write(`note: a lint thread failed (${result?.error ?? failure?.message}); lines from ${lineOffset + 1} on are linted on one thread\n`);
        for (const chunk of chunks.slice(id)) {
          yield* lintHere(chunk);
          if (comparer.finished) return;
        }
        return;
      }
      // The chunk's thread may take the next chunk now that this one is being printed.
      const worker = workerOf.get(id)!;
      workerOf.delete(id);
      unprinted.set(worker, unprinted.get(worker)! - 1);
      dispatch(worker);
      const delta = lineOffset - result.lineBase;
      const keepsNone = comparer.keepsNoMoreRows;
      for (const row of unpackRows(result.rows)) {
        placeRow(row, delta);
        const found = comparer.add(row);
        for (let i = 0; i < found.length; i++) yield found[i];
        if (comparer.finished) return;
      }
      lineOffset += result.lines;
      if (keepsNone) spareSlabs.set(worker, [...(spareSlabs.get(worker) ?? []), ...result.rows.buffers]);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
