// `generate --append`: new rows go into the dataset without losing a byte of it, even while
// another process appends to it, and through a symbolic link into the file it points to.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { isSpace } from "../core/jsonArray/arrayElements";
import { escapeControls } from "./output";

/** What the file looked like when generation started: its end is checked again before writing. */
export interface SeenFile {
  /** The file a symbolic link points to: the dataset itself. */
  target: string;
  size: number;
  mtimeMs: number;
  /** Its last bytes (up to 64 KB). */
  tail: Buffer;
}

export class AppendRefused extends Error {}

const tailBytes = 64 * 1024;

function readAt(fd: number, start: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, start + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

export function seeFile(file: string): SeenFile {
  const target = realpathSync(file);
  const fd = openSync(target, "r");
  try {
    const { size, mtimeMs } = fstatSync(fd);
    return { target, size, mtimeMs, tail: readAt(fd, Math.max(0, size - tailBytes), Math.min(size, tailBytes)) };
  } finally {
    closeSync(fd);
  }
}

/** Whether the bytes that were the file's end when generation started are still where they were. */
function sameStart(fd: number, seen: SeenFile, size: number): boolean {
  if (size < seen.size) return false;
  return readAt(fd, seen.size - seen.tail.length, seen.tail.length).equals(seen.tail);
}

const changedMessage = (file: string, seen: SeenFile, size: number) =>
  `${file} was rewritten while the entries were generated (${size < seen.size ? `it shrank from ${seen.size.toLocaleString("en-US")} to ${size.toLocaleString("en-US")} bytes` : "its content before the end changed"}); nothing was appended`;

/**
 * Appends JSON Lines in place, in one write with O_APPEND, behind a verified tail: the bytes the
 * file ended with when generation started must still be there (else it was rewritten, and
 * nothing is written). Lines another process appended meanwhile stay, and ours follow them; the
 * separator is the file's own line ending, added first when the file does not end with one.
 * A failed write (a full disk) is undone when nothing was appended after it.
 */
export function appendLines(file: string, rows: string[], seen: SeenFile): void {
  const reader = openSync(seen.target, "r");
  let addition: Buffer;
  try {
    const { size } = fstatSync(reader);
    if (!sameStart(reader, seen, size)) throw new AppendRefused(changedMessage(file, seen, size));
    const head = readAt(reader, 0, Math.min(size, tailBytes));
    const eol = head.includes("\r\n") ? "\r\n" : "\n";
    const endsWithNewline = size === 0 || readAt(reader, size - 1, 1)[0] === 0x0a;
    addition = Buffer.from((endsWithNewline ? "" : eol) + rows.join(eol) + eol, "utf8");
  } finally {
    closeSync(reader);
  }
  const writer = openSync(seen.target, "a");
  try {
    const start = fstatSync(writer).size;
    let written = 0;
    try {
      while (written < addition.length) written += writeSync(writer, addition, written, addition.length - written);
      fsyncSync(writer);
    } catch (error) {
      const now = fstatSync(writer).size;
      const undone = written > 0 && now === start + written;
      if (undone) ftruncateSync(writer, start);
      throw new AppendRefused(
        `writing to ${file} failed (${(error as Error).message}); ${written === 0 || undone ? "nothing was appended" : `${written} bytes of the entries were written and another process appended after them, so they were left in place`}`,
      );
    }
  } finally {
    closeSync(writer);
  }
}

/**
 * Adds rows to a JSON array before its closing bracket, keeping the array valid JSON: the bytes
 * before the bracket stay byte-identical, and the new file replaces the old one by a rename in
 * the same folder (the link's target's, so a symbolic link keeps pointing at the dataset). The
 * file is checked unchanged again right before the rename.
 */
export function insertIntoArray(file: string, rows: string[], seen: SeenFile): void {
  const original = readFileSync(seen.target);
  if (original.length !== seen.size || !original.subarray(seen.size - seen.tail.length).equals(seen.tail))
    throw new AppendRefused(changedMessage(file, seen, original.length));
  let close = original.length - 1;
  while (close >= 0 && isSpace(original[close])) close--;
  if (close < 0 || original[close] !== 0x5d) throw new AppendRefused(`${file} does not end with the array's closing "]"; nothing was appended`);
  let last = close - 1;
  while (last >= 0 && isSpace(original[last])) last--;
  const empty = original[last] === 0x5b;
  const text = original.toString("utf8");
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /\[\s*?(\r?\n)([ \t]*)\S/.exec(text)?.[2];
  const separator = indent === undefined ? "," : `,${eol}${indent}`;
  const opening = indent === undefined ? "" : `${eol}${indent}`;
  const insertion = (empty ? opening : separator) + rows.join(separator);
  const updated = Buffer.concat([original.subarray(0, last + 1), Buffer.from(insertion, "utf8"), original.subarray(last + 1)]);
  const temp = join(dirname(seen.target), `.${basename(seen.target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, updated, { mode: statSync(seen.target).mode, flush: true });
    const now = statSync(seen.target);
    if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) throw new AppendRefused(changedMessage(file, seen, now.size));
    renameSync(temp, seen.target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never written
    }
    throw error;
  }
}

/**
 * Where accepted entries go with `--append`. JSON Lines get each entry as it is accepted, so an
 * interrupted run keeps what it accepted (the file is the state: a rerun's filters see them). A
 * JSON array is rewritten once, at the end, since each insertion rewrites the whole file.
 */
export class AcceptedEntries {
  private readonly held: string[] = [];
  private refused: AppendRefused | undefined;
  appended = 0;

  constructor(
    private readonly file: string,
    private readonly seen: SeenFile,
    private readonly array: boolean,
  ) {}

  add(line: string): void {
    if (this.array || this.refused) return void this.held.push(line);
    try {
      appendLines(this.file, [line], this.seen);
      this.appended++;
    } catch (error) {
      if (!(error instanceof AppendRefused)) throw error;
      this.refused = error;
    }
  }

  /** Writes what is held and says on stderr what was appended; false when the file refused them (they are on standard output). */
  finishAndReport(): boolean {
    const refused = this.finish();
    if (this.appended > 0) process.stderr.write(`appended ${this.appended} entr${this.appended === 1 ? "y" : "ies"} to ${this.seen.target}\n`);
    if (refused) process.stderr.write(`instruct-studio generate: ${escapeControls(refused.message)}; the entries are on standard output\n`);
    return refused === undefined;
  }

  /** Writes what is held; returns why it could not, if it could not. */
  private finish(): AppendRefused | undefined {
    if (this.array && !this.refused && this.held.length > 0) {
      try {
        insertIntoArray(this.file, this.held, this.seen);
        this.appended += this.held.length;
      } catch (error) {
        if (!(error instanceof AppendRefused)) throw error;
        this.refused = error;
      }
    }
    return this.refused;
  }
}
