import { createReadStream } from "node:fs";
import { readLines, ReadLine } from "../core/jsonl/lineReader";
import { maxRowBytes } from "../core/validate/lineChecks";

/** Rows past this are reported as too long, not held: the editor's limit too. */
export const cliMaxLineBytes = maxRowBytes;

/**
 * `-` names standard input, as in most Unix tools; /dev/stdin is read the same way, since
 * opening it fails (ENXIO) when standard input is a socket, as Node's own child pipes are.
 */
export const isStdin = (file: string) => file === "-" || file === "/dev/stdin" || file === "/dev/fd/0" || file === "/proc/self/fd/0";

/**
 * Streams a dataset file (or standard input for `-`) line by line, reading it once: a FIFO or
 * `<(...)` cannot be read twice. Memory stays bounded whatever the file's size.
 */
export function readDataset(file: string): AsyncGenerator<ReadLine> {
  const source = isStdin(file) ? process.stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
  return readLines(source, { maxLineBytes: cliMaxLineBytes });
}
