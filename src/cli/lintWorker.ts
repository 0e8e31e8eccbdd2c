// A worker thread of `lint`: analyses line-aligned chunks of a file on its own, the part of
// validation that needs no other row. The main thread compares rows and prints, in line order.
import { parentPort, workerData } from "node:worker_threads";
import type { LintChunk, LintChunkResult, LintWorkerData } from "../protocol/lintWorker";
import { analyzeChunkLines, chunkLineBase } from "./lintChunk";
import { buffersOf, endSlab } from "../core/validate/rowVectors";

const data = workerData as LintWorkerData;

async function analyzeChunk(chunk: LintChunk): Promise<LintChunkResult> {
  const lineBase = chunkLineBase(chunk);
  const rows: LintChunkResult["rows"] = [];
  endSlab();
  for await (const row of analyzeChunkLines(chunk, data)) rows.push(row);
  endSlab();
  return { id: chunk.id, lines: rows.length, lineBase, rows };
}

/** The chunk's row vectors live in slabs of their own: handed to the main thread whole, with no copy. */
const transferred = (result: LintChunkResult) => buffersOf(result.rows.flatMap((row) => [row.signature, row.sketch, row.shortPrompt]));

/**
 * Chunks are analysed one after another, in the order they came: two at once would interleave
 * at each read, hold both in memory and finish both late.
 */
let queue: Promise<void> = Promise.resolve();

parentPort!.on("message", (chunk: LintChunk) => {
  queue = queue.then(() =>
    analyzeChunk(chunk).then(
      (result) => parentPort!.postMessage(result, transferred(result)),
      (error: unknown) =>
        parentPort!.postMessage({
          id: chunk.id,
          lines: 0,
          lineBase: 0,
          rows: [],
          error: error instanceof Error ? error.message : String(error),
        } satisfies LintChunkResult),
    ),
  );
});
