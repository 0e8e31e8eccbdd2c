import type { ArrayItem } from "../jsonArray/arrayElements";
import { splitLines } from "../jsonl/lineReader";
import { addLine, addUnreadableLine, emptyTally, FileTally, LineMeasure } from "./datasetTally";

/** A line as the budget reads it (the CLI's and the worker's line readers give more). */
export interface BudgetLine {
  lineNumber: number;
  text: string;
  byteLength: number;
  tooLong?: boolean;
  utf16?: string;
}

export class BudgetCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

export interface TallyOptions {
  /** Added to each line number: a part of a file read on its own starts at line 1. */
  lineOffset?: number;
  /** Called every 1,000 lines or 200 ms, whichever comes first, with the bytes read since the last call. */
  onProgress?: (bytes: number, rows: number) => void;
  isCancelled?: () => boolean;
  /** A line's measure from an earlier run of the same text (an open file being edited). */
  cache?: Map<string, LineMeasure>;
  /** Counts the rows measured now (not taken from the cache). */
  counters?: { measured: number };
}

const progressEveryLines = 1000;
const progressEveryMs = 200;

/**
 * Measures every line. Between batches it lets the event loop run, so a cancel message (or the
 * host's next edit) is seen while a large file is read.
 */
export async function tallyLines(
  file: string,
  lines: AsyncIterable<BudgetLine> | Iterable<BudgetLine>,
  measure: (text: string) => LineMeasure,
  options: TallyOptions = {},
): Promise<{ tally: FileTally; lines: number }> {
  const tally = emptyTally(file);
  const { lineOffset = 0, onProgress, isCancelled, cache, counters } = options;
  const reused = cache ? new Map<string, LineMeasure>() : undefined;
  let bytes = 0;
  let count = 0;
  let lastProgress = performance.now();
  let sinceProgress = 0;
  for await (const line of lines) {
    count = line.lineNumber;
    bytes += line.byteLength + 1;
    if (line.tooLong || line.utf16) addUnreadableLine(tally);
    else {
      let result = cache?.get(line.text);
      if (!result) {
        result = measure(line.text);
        if (counters) counters.measured++;
      }
      reused?.set(line.text, result);
      addLine(tally, line.lineNumber + lineOffset, result);
    }
    // Long rows (32k-token reasoning) take a while each: progress also goes out by time, so the host can tell a slow run from a hung one.
    if (++sinceProgress >= progressEveryLines || performance.now() - lastProgress >= progressEveryMs) {
      onProgress?.(bytes, count);
      bytes = 0;
      sinceProgress = 0;
      lastProgress = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
      if (isCancelled?.()) throw new BudgetCancelled();
    }
  }
  onProgress?.(bytes, count);
  // The cache keeps only this run's lines: rows deleted by an edit are not held forever.
  if (cache && reused) {
    cache.clear();
    for (const [text, result] of reused) cache.set(text, result);
  }
  return { tally, lines: count };
}

/** An open document's text as lines (VS Code's own line breaks: \n, \r\n, \r). */
export function* textLines(text: string): Generator<BudgetLine> {
  const lines = splitLines(text);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) yield { lineNumber: i + 1, text: lines[i], byteLength: Buffer.byteLength(lines[i]) };
}

/**
 * The rows of a JSON-array dataset as the budget reads lines: each element, numbered by the line
 * it starts on (where the view's links go). What lies between elements carries no row.
 */
export async function* arrayBudgetLines(items: AsyncIterable<ArrayItem>): AsyncGenerator<BudgetLine> {
  for await (const item of items) {
    if (item.kind === "utf16") yield { lineNumber: 1, text: "", byteLength: 0, utf16: item.encoding };
    if (item.kind !== "element") continue;
    yield { lineNumber: item.start.line + 1, text: item.text, byteLength: item.byteLength, tooLong: item.tooLong };
  }
}
