import { ArrayItem, isSpace, readArrayElementBatches } from "../core/jsonArray/arrayElements";
import { looksLikeJsonArray, opensArray } from "../core/jsonArray/arrayDetection";
import { readLineBatches, readLines, ReadLine } from "../core/jsonl/lineReader";
import { maxRowBytes } from "../core/validate/lineChecks";
import { fileChunks } from "./fileChunks";

/** Rows past this are reported as too long, not held: the editor's limit too. */
export const cliMaxLineBytes = maxRowBytes;

/**
 * `-` names standard input, as in most Unix tools; /dev/stdin is read the same way, since
 * opening it fails (ENXIO) when standard input is a socket, as Node's own child pipes are.
 */
export const isStdin = (file: string) => file === "-" || file === "/dev/stdin" || file === "/dev/fd/0" || file === "/proc/self/fd/0";

const openBytes = (file: string): AsyncIterable<Uint8Array> => (isStdin(file) ? process.stdin : fileChunks(file));

/**
 * Streams a dataset file (or standard input for `-`) line by line, reading it once: a FIFO or
 * `<(...)` cannot be read twice. Memory stays bounded whatever the file's size.
 */
export function readDataset(file: string): AsyncGenerator<ReadLine> {
  return readLines(openBytes(file), { maxLineBytes: cliMaxLineBytes });
}

/** Only white space follows the first line break, or there is none (yet): one line. */
function oneLine(bytes: Uint8Array): boolean {
  const newline = bytes.indexOf(10);
  return newline < 0 || !bytes.subarray(newline).some((b) => !isSpace(b));
}

/** A dataset comes in batches, of lines (`readLineBatches`) or of array items (`readArrayElementBatches`): a reader of a whole file awaits once a batch. */
export type OpenedDataset = { kind: "jsonl"; batches: AsyncGenerator<ReadLine[]> } | { kind: "array"; batches: AsyncGenerator<ArrayItem[]> };

/**
 * A dataset as JSON Lines or as a JSON array of rows (Alpaca's `alpaca_data.json`), decided from
 * its first bytes, which are read once and then handed on: standard input is read only once.
 */
export async function openDataset(file: string): Promise<OpenedDataset> {
  const iterator = openBytes(file)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  // Enough to see the first line, or 64 KB of it.
  while (headBytes < 64 * 1024) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
    if (next.value.includes(10)) break;
  }
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  let first = Buffer.concat(head);
  let array = looksLikeJsonArray(file, first.subarray(0, 64 * 1024));
  if (!array && isStdin(file) && opensArray(first)) {
    // Standard input has no name to say ".json": a minified array is one line, and a JSON Lines
    // stream of arrays has more lines. Read on to the next line's first byte (or the end) to tell.
    while (!ended && first.includes(10) && oneLine(first)) {
      const next = await iterator.next();
      if (next.done) ended = true;
      else {
        head.push(next.value);
        first = Buffer.concat([first, next.value]);
      }
    }
    array = oneLine(first);
  }
  if (array) return { kind: "array", batches: readArrayElementBatches(bytes(), { maxElementBytes: cliMaxLineBytes }) };
  return { kind: "jsonl", batches: readLineBatches(bytes(), { maxLineBytes: cliMaxLineBytes }) };
}
