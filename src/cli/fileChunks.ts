import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { fileReadBytes } from "../core/jsonl/lineReader";

/**
 * The bytes of `file[start..end)` in chunks of `fileReadBytes`. A regular file is read with
 * synchronous reads: from the page cache one takes microseconds, while a stream's read of each
 * chunk waited on the thread pool and a turn of the event loop (85 ms of a 1.28 s one-thread lint
 * of 50 MB). Anything else (a FIFO, `<(...)`, a device) is streamed, so that a slow writer
 * never blocks the thread.
 *
 * The event loop still turns after each chunk: signals, timers and threads' messages wait no
 * longer than a chunk's analysis, and so do V8's young-generation collections, which it runs as
 * tasks of the loop before the generation is full. With a turn every 4 MB they ran when it was
 * full, and the peak of that lint was 186-194 MB against 180-186.
 */
export function fileChunks(file: string, start = 0, end = Infinity): AsyncIterable<Uint8Array> {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isFile()) return readChunks(file, start, end);
  // No position for a whole file: a pipe cannot be read at one (ESPIPE).
  const range = start === 0 && end === Infinity ? {} : { start, end: end - 1 };
  return createReadStream(file, { ...range, highWaterMark: fileReadBytes });
}

async function* readChunks(file: string, start: number, end: number): AsyncGenerator<Uint8Array> {
  const fd = openSync(file, "r");
  try {
    for (let at = start; at < end;) {
      // A new buffer each time: a reader may keep a chunk after asking for the next (openDataset keeps the first ones to hand them on).
      const chunk = Buffer.allocUnsafe(Math.min(fileReadBytes, end - at));
      const read = readSync(fd, chunk, 0, chunk.length, at);
      if (read === 0) return;
      at += read;
      yield read === chunk.length ? chunk : chunk.subarray(0, read);
      await nextTurn();
    }
  } finally {
    closeSync(fd);
  }
}
