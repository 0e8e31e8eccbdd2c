// A worker thread of `lint`: analyses line-aligned chunks of a file on its own, the part of
// validation that needs no other row. The main thread compares rows and prints, in line order.
import { parentPort, workerData } from "node:worker_threads";
import type { LintChunk, LintChunkResult, LintWorkerData } from "../protocol/lintWorker";
import { analyzeChunkLines, chunkLineBase } from "./lintChunk";

const data = workerData as LintWorkerData;

async function analyzeChunk(chunk: LintChunk): Promise<LintChunkResult> {
  const lineBase = chunkLineBase(chunk);
  const rows: LintChunkResult["rows"] = [];
  for await (const row of analyzeChunkLines(chunk, data)) rows.push(row);
  return { id: chunk.id, lines: rows.length, lineBase, rows, ...packVectors(rows) };
}

/** Moves the rows' typed arrays into one buffer: one transfer instead of a clone per array. */
function packVectors(rows: LintChunkResult["rows"]): Pick<LintChunkResult, "vectors" | "lengths"> {
  const lengths = new Uint32Array(rows.length * 2);
  let total = 0;
  rows.forEach((row, i) => {
    lengths[2 * i] = row.signature?.length ?? 0;
    lengths[2 * i + 1] = row.sketch?.length ?? 0;
    total += lengths[2 * i] + lengths[2 * i + 1];
  });
  const vectors = new Uint32Array(total);
  let at = 0;
  for (const row of rows) {
    for (const vector of [row.signature, row.sketch]) {
      if (!vector) continue;
      vectors.set(vector, at);
      at += vector.length;
    }
    row.signature = undefined;
    row.sketch = undefined;
  }
  return { vectors, lengths };
}

parentPort!.on("message", (chunk: LintChunk) => {
  analyzeChunk(chunk).then(
    (result) => parentPort!.postMessage(result, [result.vectors.buffer as ArrayBuffer, result.lengths.buffer as ArrayBuffer]),
    (error: unknown) =>
      parentPort!.postMessage({
        id: chunk.id,
        lines: 0,
        lineBase: 0,
        rows: [],
        vectors: new Uint32Array(0),
        lengths: new Uint32Array(0),
        error: error instanceof Error ? error.message : String(error),
      } satisfies LintChunkResult),
  );
});
