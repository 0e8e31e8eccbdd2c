import type { FormatId } from "../core/formats/formatLabels";
import type { ReadLine } from "../core/jsonl/lineReader";
import type { ValidationOptions } from "../core/validate/analyzeRow";
import type { PackedRows } from "../core/validate/packedRows";

/**
 * The file a chunk belongs to and how its rows are read: sent with every chunk, not given when
 * a thread starts, so that one thread serves each file of a lint run in turn.
 */
export interface LintTask {
  file: string;
  options: ValidationOptions;
  maxLineBytes: number;
}

/** What the main thread sends a lint worker thread: a chunk of a file to analyse. */
export interface LintRequest {
  task: LintTask;
  chunk: LintChunk;
}

/** Sent when a thread is kept after a file: it lets go of what it held for that file's rows. */
export const fileDone = "file done";

export type LintWorkerMessage = LintRequest | typeof fileDone;

/** One part of the file to analyse: a line-aligned byte range, or rows the main thread read (a JSON array's elements). */
export interface LintChunk {
  id: number;
  /** The byte range the worker reads; with `rows`, the ordinals of the first row and past the last. */
  start: number;
  end: number;
  /** Rows handed over, for a file the worker cannot cut by lines (a JSON array: an element may span many). */
  rows?: ReadLine[];
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
