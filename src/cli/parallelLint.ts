import { statSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import type { RowsValidator } from "../core/jsonArray/validateArray";
import type { Diagnostic, Span } from "../core/lint/diagnostic";
import { unpackRows } from "../core/validate/packedRows";
import { releaseVectors, reuseSlabs, slabMark } from "../core/validate/rowVectors";
import { AnalyzedLine, FormatSample, RowComparer, StreamOptions } from "../core/validate/streamValidator";
import type { LintChunk, LintChunkResult, LintRequest, LintTask } from "../protocol/lintWorker";
import { cliMaxLineBytes } from "./readDataset";
import { analyzeChunk, analyzeChunkBatches } from "./lintChunk";
import { ChunkSource, HandedRowsSource, LineRangeSource } from "./lintChunkSources";
import { defaultLintWorkerScript, LintWorkerPool } from "./lintWorkerPool";
import { lintThreads, sizedForThreads } from "./lintThreads";

export { lintThreads, parallelMinBytes, parallelThresholdBytes, twoCoreParallelMinBytes } from "./lintThreads";

/** Chunks a worker holds at most: the one it analyses and one queued, so that it never waits for this thread to send the next. */
const workerDepth = 2;

/** Whether a file is linted on several threads: a large file on a machine with cores to spare (`warm`: the run's threads linted a file before). */
export function lintsInParallel(file: string, options: StreamOptions, warm = false): boolean {
  return !options.tokens && lintThreads() >= 2 && sizedForThreads(file, warm);
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
 * Which thread analyses each chunk. Chunks are taken in line order by whichever thread is free,
 * and at most `ahead` past the one this thread compares: what bounds the memory held, however
 * far one thread runs ahead of another.
 */
class ChunkSchedule {
  /** The first chunk no thread has taken. */
  next = 0;
  /** The chunk being compared. */
  compared = 0;

  constructor(
    private readonly chunks: readonly LintChunk[],
    private readonly ahead: number,
  ) {}

  take(): LintChunk | undefined {
    if (this.next >= this.chunks.length || this.next - this.compared >= this.ahead) return undefined;
    return this.chunks[this.next++];
  }
}

/** The threads a lint uses: a run's pool, kept for its next file, or a worker script whose threads last one file. */
export type LintWorkers = LintWorkerPool | string;

/** What a caller hears of a lint on every core as it goes. */
export interface LintHooks {
  /** The file's format, from its first rows, before any finding. */
  onSample?(sample: FormatSample): void;
  /** The lines compared so far, once a chunk's rows are (a JSON Lines chunk's `end` is a byte offset). */
  onCompared?(lines: number, chunk: LintChunk): void;
  /** Stops the lint before its next chunk, as when nobody reads on. */
  signal?: AbortSignal;
}

/**
 * Lints a JSON Lines file with every core and the same output as the sequential lint: worker
 * threads (one a core but one) and this thread analyse line-aligned chunks (each row's own rules,
 * its hashes and signatures), and this thread compares all the rows in line order (duplicates,
 * near duplicates, mixed formats) and yields the findings in line order.
 */
export function lintInParallel(
  file: string,
  options: StreamOptions,
  workers: LintWorkers = defaultLintWorkerScript(),
  hooks: LintHooks = {},
): AsyncGenerator<Diagnostic> {
  const size = statSync(file).size;
  return lintChunksInParallel(new LineRangeSource(file, size, options), file, { ...options, fileBytes: size }, workers, hooks);
}

/**
 * Validates a JSON array's rows (read on this thread, in order) with every core, as `lintInParallel`
 * does a JSON Lines file's: the rows are handed to the threads in chunks. What `validateArrayItems`
 * takes to lint a large array on every core.
 */
export function validateRowsInParallel(file: string, workers: LintWorkers = defaultLintWorkerScript()): RowsValidator {
  return (batches, options, onSample, onCompared) => {
    const size = statSync(file).size;
    return lintChunksInParallel(new HandedRowsSource(batches, size, options, onCompared), file, { ...options, fileBytes: size }, workers, { onSample });
  };
}

/**
 * Lints a source's chunks with every core. This thread analyses the chunk it is to compare next
 * when no thread has taken it (comparing each row as it comes), and the next chunk no thread has
 * taken when it would otherwise wait for a worker.
 */
async function* lintChunksInParallel(
  source: ChunkSource,
  file: string,
  options: StreamOptions,
  threads: LintWorkers,
  hooks: LintHooks,
): AsyncGenerator<Diagnostic> {
  const chunks = source.chunks;
  const { tokens: _tokens, fileBytes: _fileBytes, ...serializable } = options;
  const task: LintTask = { file, options: serializable, maxLineBytes: cliMaxLineBytes };
  const pool = typeof threads === "string" ? new LintWorkerPool(threads) : threads;
  // One thread a core, this one included. New workers start before the sample is read: loading
  // one takes about as long (a tenth of a second), and it then starts on its chunks at once.
  const lanes = Math.max(2, Math.min(lintThreads(), source.expectedChunks));
  const workers = pool.take(lanes - 1);
  const results = new Map<number, LintChunkResult>();
  let wake: (() => void) | undefined;
  let failure: string | undefined;
  const fail = (reason: string) => {
    failure ??= reason;
    wake?.();
  };
  /** Chunks each worker was given and has not returned. */
  const held = new Map<Worker, number>();
  const workerOf = new Map<number, Worker>();
  /** Slabs of a worker's rows that this thread is done with, handed back with its next chunk. */
  const spareSlabs = new Map<Worker, ArrayBuffer[]>();
  // Each worker holds two chunks, this thread compares one and may analyse one ahead.
  const window = workerDepth * workers.length + 2;
  const schedule = new ChunkSchedule(chunks, window);
  const dispatch = (worker: Worker) => {
    while (failure === undefined && (held.get(worker) ?? 0) < workerDepth) {
      const taken = schedule.take();
      if (!taken) return;
      const chunk: LintChunk = { ...taken, spareSlabs: spareSlabs.get(worker) };
      spareSlabs.delete(worker);
      held.set(worker, (held.get(worker) ?? 0) + 1);
      workerOf.set(chunk.id, worker);
      worker.postMessage({ task, chunk } satisfies LintRequest, chunk.spareSlabs ?? []);
    }
  };
  const stopListening = workers.map((worker) => {
    const onMessage = (result: LintChunkResult) => {
      held.set(worker, held.get(worker)! - 1);
      results.set(result.id, result);
      if (result.error) fail(result.error);
      else dispatch(worker);
      wake?.();
    };
    const onError = (error: Error) => fail(error.message);
    const onExit = (code: number) => fail(`a lint thread stopped (exit code ${code})`);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    return () => worker.off("message", onMessage).off("error", onError).off("exit", onExit);
  });
  try {
    // Every chunk is analysed for the sample's format; none is handed out before this.
    const sample = await source.sample();
    hooks.onSample?.(sample);
    const comparer = new RowComparer(sample, options);
    let lineOffset = 0;
    const compared = (chunk: LintChunk) => {
      source.compared(chunk);
      hooks.onCompared?.(lineOffset, chunk);
    };
    /** Analyses a chunk on this thread, comparing each row as it comes. */
    async function* lintHere(chunk: LintChunk): AsyncGenerator<Diagnostic> {
      let lines = 0;
      const batches = analyzeChunkBatches(chunk, task, lineOffset);
      try {
        // A batch is analysed when it is asked for, and nothing else on this thread cuts vectors
        // meanwhile: its rows' vectors lie between the two marks.
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
    let noted = false;
    // A thread ran out of memory (a chunk of tiny rows with many findings) or failed: this thread
    // lints by itself, with the same analysis, every chunk no thread handed back, so no finding is lost.
    const noteFailure = async () => {
      if (noted || failure === undefined) return;
      noted = true;
      await Promise.all(workers.map((w) => w.terminate()));
      process.stderr.write(`note: a lint thread failed (${failure}); ${source.unit} from ${lineOffset + 1} on are linted on one thread\n`);
    };
    for (let id = 0; ; id++) {
      if (hooks.signal?.aborted) return;
      schedule.compared = id;
      // Rows to hand over are read as far as the schedule lets the threads take them.
      await source.readTo(id + window);
      if (id >= chunks.length) break;
      await noteFailure();
      if (id === schedule.next) {
        schedule.next++;
        // The workers take the chunks after it (at the start, while this thread analyses the first).
        workers.forEach(dispatch);
        yield* lintHere(chunks[id]);
        if (comparer.finished) return;
        compared(chunks[id]);
        continue;
      }
      workers.forEach(dispatch);
      // A worker's chunk not back yet: analyse the next chunk no thread has taken, rather than wait.
      while (!results.has(id) && workerOf.has(id) && failure === undefined) {
        // The chunk may be back, its message not yet handled while this thread was busy.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (results.has(id) || failure !== undefined) break;
        const ahead = schedule.take();
        if (ahead) results.set(ahead.id, await analyzeChunk(ahead, task));
        else await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const result = results.get(id);
      results.delete(id);
      const worker = workerOf.get(id);
      workerOf.delete(id);
      if (!result || result.error) {
        await noteFailure();
        yield* lintHere(chunks[id]);
        if (comparer.finished) return;
        compared(chunks[id]);
        continue;
      }
      const delta = lineOffset - result.lineBase;
      const keepsNone = comparer.keepsNoMoreRows;
      for (const row of unpackRows(result.rows)) {
        placeRow(row, delta);
        const found = comparer.add(row);
        for (let i = 0; i < found.length; i++) yield found[i];
        if (comparer.finished) return;
      }
      lineOffset += result.lines;
      compared(chunks[id]);
      if (!keepsNone) continue;
      if (worker) spareSlabs.set(worker, [...(spareSlabs.get(worker) ?? []), ...result.rows.buffers]);
      else reuseSlabs(result.rows.buffers);
    }
    yield* comparer.finish();
  } finally {
    stopListening.forEach((stop) => stop());
    // A thread with chunks in hand (the lint stopped early) or one that failed is stopped; the others serve the next file.
    const idle = (worker: Worker) => failure === undefined && (held.get(worker) ?? 0) === 0;
    for (const worker of workers.filter(idle)) pool.keep(worker);
    await Promise.all(workers.filter((worker) => !idle(worker)).map((worker) => worker.terminate()));
    if (pool !== threads) await pool.close();
    await source.close();
  }
}
