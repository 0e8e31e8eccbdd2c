import { closeSync, openSync, readSync } from "node:fs";

/** Cuts a file into `parts` byte ranges, each starting at a line's first byte. */
export function lineAlignedRanges(file: string, size: number, parts: number): Array<{ start: number; end: number }> {
  const starts = [0];
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let i = 1; i < parts; i++) {
      let position = Math.max(Math.floor((size * i) / parts), starts[starts.length - 1]);
      let found = -1;
      while (found < 0 && position < size) {
        const read = readSync(fd, buffer, 0, buffer.length, position);
        if (read <= 0) break;
        const at = buffer.subarray(0, read).indexOf(0x0a);
        if (at >= 0) found = position + at + 1;
        else position += read;
      }
      if (found < 0 || found >= size) break;
      if (found > starts[starts.length - 1]) starts.push(found);
    }
  } finally {
    closeSync(fd);
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? size }));
}
