import type { FormatId } from "../core/formats/formatLabels";
import type { ValidationOptions } from "../core/validate/analyzeRow";
import type { PackedRows } from "../core/validate/packedRows";

/** What a lint worker thread is started with (before the file's format is known: it loads while the main thread samples). */
export interface LintWorkerData {
  file: string;
  options: ValidationOptions;
  maxLineBytes: number;
}

/** One line-aligned part of the file to analyse. */
export interface LintChunk {
  id: number;
  start: number;
  end: number;
  /** The file's format, from the main thread's sample. */
  fileFormat?: FormatId;
  /** Slabs of this thread's earlier rows that the main thread is done with (transferred back), to cut vectors from again. */
  spareSlabs?: ArrayBuffer[];
}

/**
 * A chunk's lines, analysed. Lines are numbered from 0 within the chunk, or from 1 for a chunk
 * that does not start the file (so that no row but the file's first is read as line 0, where a
 * byte order mark is dropped); the main thread moves them to their place.
 */
export interface LintChunkResult {
  id: number;
  lines: number;
  lineBase: 0 | 1;
  /** The rows, packed; the slabs their vectors (signature, sketch, short prompt) live in are transferred with them. */
  rows: PackedRows;
  error?: string;
}
