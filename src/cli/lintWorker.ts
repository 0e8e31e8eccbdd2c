// A worker thread of `lint`: analyses line-aligned chunks of a file on its own, the part of
// validation that needs no other row. The main thread compares rows and prints, in line order.
// Each chunk names its file: a thread serves the files of one lint run in turn, already compiled.
import { parentPort } from "node:worker_threads";
import { fileDone, LintChunkResult, LintWorkerMessage } from "../protocol/lintWorker";
import { analyzeChunk } from "./lintChunk";
import { forgetSpareSlabs, reuseSlabs } from "../core/validate/rowVectors";
import { RowPacker } from "../core/validate/packedRows";

/** The chunk's row vectors live in slabs of their own: handed to the main thread whole, with no copy. */
const transferred = ({ rows }: LintChunkResult) => [...rows.buffers, rows.numbers.buffer as ArrayBuffer, rows.vectors.buffer as ArrayBuffer];

/**
 * Chunks are analysed one after another, in the order they came: two at once would interleave
 * at each read, hold both in memory and finish both late.
 */
let queue: Promise<void> = Promise.resolve();

parentPort!.on("message", (request: LintWorkerMessage) => {
  if (request === fileDone) {
    queue = queue.then(forgetSpareSlabs);
    return;
  }
  const { task, chunk } = request;
  if (chunk.spareSlabs) reuseSlabs(chunk.spareSlabs);
  queue = queue.then(() =>
    analyzeChunk(chunk, task).then(
      (result) => parentPort!.postMessage(result, transferred(result)),
      (error: unknown) =>
        parentPort!.postMessage({
          id: chunk.id,
          lines: 0,
          lineBase: 0,
          rows: new RowPacker().finish(),
          error: error instanceof Error ? error.message : String(error),
        } satisfies LintChunkResult),
    ),
  );
});
