// One line-aligned chunk of a file, each line analysed on its own: what a lint worker thread
// does, and what the main thread does for the chunks it takes and when a worker fails.
import { readLineBatches } from "../core/jsonl/lineReader";
import { RowPacker } from "../core/validate/packedRows";
import { endSlab } from "../core/validate/rowVectors";
import { analyzeLine, AnalyzedLine } from "../core/validate/streamValidator";
import type { LintChunk, LintChunkResult, LintTask } from "../protocol/lintWorker";
import { fileChunks } from "./fileChunks";

/** Lines are numbered from 0 in the file's first chunk, else from 1: only the file's first line may carry a byte order mark. */
export const chunkLineBase = (chunk: LintChunk): 0 | 1 => (chunk.start === 0 ? 0 : 1);

/** Rows handed over are analysed this many at a time: a batch is what the main thread compares at once. */
const handedRowsBatch = 256;

/** The chunk's lines analysed, a batch of lines read at a time (one await a batch, not one a line). */
export async function* analyzeChunkBatches(chunk: LintChunk, task: LintTask, firstLine: number = chunkLineBase(chunk)): AsyncGenerator<AnalyzedLine[]> {
  if (chunk.end <= chunk.start) return;
  if (chunk.rows) {
    const rows = chunk.rows;
    for (let from = 0, line = firstLine; from < rows.length; from += handedRowsBatch)
      yield rows.slice(from, from + handedRowsBatch).map((read) => analyzeLine(read, line++, chunk.fileFormat, task.options));
    return;
  }
  const bytes = fileChunks(task.file, chunk.start, chunk.end);
  let line = firstLine;
  for await (const batch of readLineBatches(bytes, { maxLineBytes: task.maxLineBytes, atFileStart: chunk.start === 0 }))
    yield batch.map((read) => analyzeLine(read, line++, chunk.fileFormat, task.options));
}

/**
 * The chunk analysed and packed, its rows' vectors in slabs of their own: handed over whole
 * (transferred, not copied) by a worker, and given back to be cut again once no row needs them.
 */
export async function analyzeChunk(chunk: LintChunk, task: LintTask): Promise<LintChunkResult> {
  const lineBase = chunkLineBase(chunk);
  const packer = new RowPacker();
  endSlab();
  for await (const rows of analyzeChunkBatches(chunk, task)) for (const row of rows) packer.add(row);
  endSlab();
  const rows = packer.finish();
  return { id: chunk.id, lines: rows.count, lineBase, rows };
}
