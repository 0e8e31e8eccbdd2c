import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { fileReadBytes } from "../core/jsonl/lineReader";

/**
 * The bytes of `file[start..end)` in chunks of `fileReadBytes`. A regular file is read with
 * synchronous reads: from the page cache one takes microseconds, while a stream's read waited a
 * turn of the event loop for each chunk, and the thread stood idle for 4% of a lint. Anything
 * else (a FIFO, `<(...)`, a device) is streamed, so that a slow writer never blocks the thread.
 */
export function fileChunks(file: string, start = 0, end = Infinity): AsyncIterable<Uint8Array> {
  const stat = statSync(file, { throwIfNoEntry: false });
  // No position for a whole file: a pipe cannot be read at one (ESPIPE).
  const range = start === 0 && end === Infinity ? {} : { start, end: end - 1 };
  if (!stat?.isFile()) return createReadStream(file, { ...range, highWaterMark: fileReadBytes });
  return readChunks(file, start, end);
}

async function* readChunks(file: string, start: number, end: number): AsyncGenerator<Uint8Array> {
  const fd = openSync(file, "r");
  try {
    for (let at = start; at < end;) {
      // A new buffer each time: the line reader keeps views of a chunk's lines.
      const chunk = Buffer.allocUnsafe(Math.min(fileReadBytes, end - at));
      const read = readSync(fd, chunk, 0, chunk.length, at);
      if (read === 0) return;
      at += read;
      yield read === chunk.length ? chunk : chunk.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}
