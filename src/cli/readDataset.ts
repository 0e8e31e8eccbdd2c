import { createReadStream } from "node:fs";
import { readLines, ReadLine } from "../core/jsonl/lineReader";

/** Streams a dataset file line by line; memory stays bounded whatever the file's size. */
export function readDataset(file: string): AsyncGenerator<ReadLine> {
  return readLines(createReadStream(file, { highWaterMark: 1024 * 1024 }));
}
