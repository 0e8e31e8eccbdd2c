import { closeSync, openSync, readSync, statSync } from "node:fs";
import { isPlainObject } from "../jsonl/parseRow";
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

/**
 * Whether a `.json` file holds one JSON object spread over lines (LLaMA-Factory's
 * dataset_info.json, a Super-NaturalInstructions task), not rows: its first line opens an object
 * it does not close. Read as JSON Lines, each of its lines would be a syntax error.
 */
export function looksLikeJsonDocument(name: string, head: Uint8Array): boolean {
  const i = firstByteAt(head);
  if (head[i] !== 0x7b || !/\.json$/i.test(name)) return false;
  const newline = head.indexOf(10, i);
  if (newline === -1) return false;
  return !new TextDecoder().decode(head.subarray(i, newline)).trimEnd().endsWith("}");
}

/** How a file on disk holds its rows: a JSON array, one JSON object over many lines (none), or lines. */
export type FileLayout = "array" | "document" | "lines";

const layoutOfHead = (name: string, head: Uint8Array): FileLayout =>
  looksLikeJsonArray(name, head) ? "array" : looksLikeJsonDocument(name, head) ? "document" : "lines";

/** A document's first 64 KB as bytes: what a file's layout is decided from. */
const textHead = (text: string) => new TextEncoder().encode(text.slice(0, 64 * 1024));

/** `fileLayout`'s decision on a document's text (the editor's copy, saved or not). */
export function textLayout(name: string, text: string): FileLayout {
  return layoutOfHead(name, textHead(text));
}

/** Whether a document's text is a JSON array of rows, without the one-object check `textLayout` also makes. */
export const textLooksLikeJsonArray = (name: string, text: string) => looksLikeJsonArray(name, textHead(text));

/** A first row longer than this is not parsed to decide (the file stays JSON): the decision is made as a file opens. */
const maxProbedLineLength = 1024 * 1024;

/**
 * Whether a `.json` file's text is JSON Lines (as `datasets`' `to_json` writes by default), which
 * lint reads row by row but VS Code's JSON language marks invalid from line 2: its layout is
 * lines, and its first two non-blank lines are each a whole JSON object. A one-line object (a
 * minified config) is not taken for a dataset.
 */
export function jsonFileHoldsJsonLines(name: string, text: string): boolean {
  if (!/\.json$/i.test(name) || textLayout(name, text) !== "lines") return false;
  let objects = 0;
  for (let start = 0; start < text.length && objects < 2;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > maxProbedLineLength) return false;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "") continue;
    if (!isJsonObject(line)) return false;
    objects++;
  }
  return objects === 2;
}

function isJsonObject(line: string): boolean {
  try {
    return isPlainObject(JSON.parse(line));
  } catch {
    return false;
  }
}

/**
 * A regular file's layout, from one read of its first 64 KB; undefined for anything else
 * (standard input, a FIFO, `<(...)`), which can be read only once, from the start: the reader of
 * its stream tells an array from lines (`openDataset`).
 */
export function fileLayout(file: string): FileLayout | undefined {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
  return layoutOfHead(file, fileHead(file));
}

function fileHead(file: string): Uint8Array {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(64 * 1024);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}
