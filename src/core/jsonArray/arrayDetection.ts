import { closeSync, openSync, readSync } from "node:fs";
import { isSpace } from "./arrayElements";

/** Where the content starts: past a byte order mark and white space. */
function firstByteAt(head: Uint8Array): number {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && isSpace(head[i])) i++;
  return i;
}

/** The first byte after a byte order mark and white space is `[`. */
export const opensArray = (head: Uint8Array) => head[firstByteAt(head)] === 0x5b;

/**
 * Whether a dataset holds one JSON array of rows rather than JSON Lines, from its name and first
 * bytes: a `.json` file that starts with `[`, or any file whose first line opens an array it does
 * not close (a pretty-printed array). A JSON Lines file whose rows are arrays stays JSON Lines.
 */
export function looksLikeJsonArray(name: string, head: Uint8Array): boolean {
  const i = firstByteAt(head);
  if (head[i] !== 0x5b) return false;
  if (/\.json$/i.test(name)) return true;
  const newline = head.indexOf(10, i);
  if (newline === -1) return false;
  const firstLine = new TextDecoder().decode(head.subarray(i, newline)).trimEnd();
  return !firstLine.endsWith("]");
}

/** The same decision on a document's text (the editor's copy). */
export function textLooksLikeJsonArray(name: string, text: string): boolean {
  return looksLikeJsonArray(name, new TextEncoder().encode(text.slice(0, 64 * 1024)));
}

/** The same decision on a file on disk, from its first 64 KB. */
export function fileLooksLikeJsonArray(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(64 * 1024);
    return looksLikeJsonArray(file, head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } finally {
    closeSync(fd);
  }
}
