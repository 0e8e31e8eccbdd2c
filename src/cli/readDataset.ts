import { createReadStream } from "node:fs";
import { readLines, ReadLine } from "../core/jsonl/lineReader";

/** Rows past this are reported as too long, not held (a 32K-token row is about 130 KB). */
export const cliMaxLineBytes = 16 * 1024 * 1024;

/** Streams a dataset file line by line; memory stays bounded whatever the file's size. */
export function readDataset(file: string): AsyncGenerator<ReadLine> {
  return readLines(createReadStream(file, { highWaterMark: 1024 * 1024 }), { maxLineBytes: cliMaxLineBytes });
}
