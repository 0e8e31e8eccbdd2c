export interface ReadLine {
  /** 1-based line number. */
  lineNumber: number;
  /** The decoded line without its end of line (`\n` or `\r\n`) and without a leading BOM. */
  text: string;
  /** Length of the line in bytes, as stored. */
  byteLength: number;
  /** The bytes were not valid UTF-8; `text` holds U+FFFD where they were. */
  invalidUtf8: boolean;
  /** The line exceeded `maxLineBytes`; `text` is empty and the line was skipped, not held. */
  tooLong: boolean;
  /** How the line ended: `"\r"` is a lone carriage return, which VS Code shows as a line break and trainers do not. */
  eol: "\n" | "\r\n" | "\r" | "";
  /** Set on the only line read from a UTF-16 file (by its byte order mark or its NUL bytes): nothing else is read. */
  utf16?: "utf-16le" | "utf-16be";
}

export interface LineReaderOptions {
  /** Lines longer than this are reported as too long without being buffered. */
  maxLineBytes?: number;
  /** The bytes are the start of the file, where a byte order mark is dropped (default true). */
  atFileStart?: boolean;
}

/** A document's lines as the editor splits them: at \n, \r\n and a lone \r. */
export const splitLines = (text: string) => text.split(/\r\n|\r|\n/);

export const defaultMaxLineBytes = 64 * 1024 * 1024;
/**
 * Bytes to read at a time from a file read line by line (Node's own default). A chunk's lines are
 * decoded together and live until the last is analysed: with 1 MB chunks they outlived young
 * collections and filled the old generation, and two-thread lint of 1 GB spent 9 s of CPU in
 * collection threads against 4 s with 64 KB (26.7 s against 23.2 s).
 */
export const fileReadBytes = 64 * 1024;
const maxBatchLines = 4096;

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** UTF-16 by its byte order mark, or by the NUL byte that ASCII text has in every other place. */
export function utf16Of(head: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  if (head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0 && head[2] !== 0) return "utf-16le";
  if (head.length >= 4 && head[0] === 0 && head[2] === 0 && head[1] !== 0 && head[3] !== 0) return "utf-16be";
  return undefined;
}

/**
 * Splits a byte stream into lines with bounded memory: only the current line and the lines the
 * current chunk ended (at most 4,096) are held, and a line over `maxLineBytes` is skipped. Lines
 * break at LF, CRLF and a lone CR, as VS Code numbers them. Hand-written because Node's readline
 * neither reports invalid UTF-8 nor bounds a line's length; both matter for 1 GB datasets.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: LineReaderOptions = {}): AsyncGenerator<ReadLine> {
  for await (const batch of readLineBatches(chunks, options)) yield* batch;
}

/**
 * The bytes of the line being read, and the lines they make once it ends. A class, not closures
 * in the reader, and lines taken one by one rather than from a generator: a generator declared
 * inside the reader is a new function each reader, its generator objects got a new shape each
 * time, and the reader's optimized code was thrown away ("wrong map") as lint threads opened new
 * chunks: 5 times and as many recompilations in a 50 MB file on two threads, none now.
 */
class LineSplitter {
  private pieces: Uint8Array[] = [];
  private pending = 0;
  private overflow = false;
  private lineNumber = 0;
  /** The ended line's bytes, from `start` on: what `next` has not split off yet. */
  private bytes: Uint8Array | undefined;
  private start = 0;
  private atLf = false;
  /** The length of an ended line too long to hold, or -1. */
  private tooLongBytes = -1;

  constructor(
    private readonly maxLineBytes: number,
    private readonly atFileStart: boolean,
  ) {}

  get holdsBytes(): boolean {
    return this.pending > 0 || this.pieces.length > 0;
  }

  append(bytes: Uint8Array): void {
    this.pending += bytes.length;
    if (this.overflow) return;
    if (this.pending > this.maxLineBytes) {
      this.overflow = true;
      this.pieces = [];
    } else {
      this.pieces.push(bytes);
    }
  }

  /** Ends the bytes appended so far at an LF (or the end of input); `next` gives their lines. */
  end(atLf: boolean): void {
    this.atLf = atLf;
    if (this.overflow) {
      this.tooLongBytes = this.pending;
      this.overflow = false;
      this.bytes = undefined;
    } else {
      this.bytes = this.pieces.length === 1 ? this.pieces[0] : concat(this.pieces, this.pending);
      this.start = 0;
    }
    this.pieces = [];
    this.pending = 0;
  }

  /** The next line of the ended bytes: more than one where lone CRs stand in them. */
  next(): ReadLine | undefined {
    if (this.tooLongBytes >= 0) {
      const byteLength = this.tooLongBytes;
      this.tooLongBytes = -1;
      return { lineNumber: ++this.lineNumber, text: "", byteLength, invalidUtf8: false, tooLong: true, eol: this.atLf ? "\n" : "" };
    }
    const bytes = this.bytes;
    if (!bytes) return undefined;
    const start = this.start;
    const cr = bytes.indexOf(13, start);
    if (cr !== -1 && (cr < bytes.length - 1 || !this.atLf)) {
      this.start = cr + 1;
      return this.line(bytes.subarray(start, cr), "\r");
    }
    this.bytes = undefined;
    const rest = start === 0 ? bytes : bytes.subarray(start);
    if (this.atLf && rest.length > 0 && rest[rest.length - 1] === 13) return this.line(rest.subarray(0, rest.length - 1), "\r\n");
    if (this.atLf || rest.length > 0 || start === 0) return this.line(rest, this.atLf ? "\n" : "");
    return undefined;
  }

  // One literal, in one property order, for every line: a spread would give lines several shapes.
  private line(bytes: Uint8Array, eol: ReadLine["eol"]): ReadLine {
    const lineNumber = ++this.lineNumber;
    if (lineNumber === 1 && this.atFileStart && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    let text: string;
    let invalidUtf8 = false;
    try {
      text = strictDecoder.decode(bytes);
    } catch {
      text = lenientDecoder.decode(bytes);
      invalidUtf8 = true;
    }
    return { lineNumber, text, byteLength: bytes.length, invalidUtf8, tooLong: false, eol };
  }
}

/**
 * The lines of `readLines`, as the lines that each chunk of the stream ends: a reader that takes
 * a batch at a time awaits once a chunk, not once a line (measured 5% of a lint thread's time).
 */
export async function* readLineBatches(chunks: AsyncIterable<Uint8Array>, options: LineReaderOptions = {}): AsyncGenerator<ReadLine[]> {
  const atFileStart = options.atFileStart ?? true;
  const splitter = new LineSplitter(options.maxLineBytes ?? defaultMaxLineBytes, atFileStart);
  let batch: ReadLine[] = [];
  let first = atFileStart;
  for await (const chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      const utf16 = utf16Of(chunk);
      if (utf16) {
        yield [{ lineNumber: 1, text: "", byteLength: 0, invalidUtf8: false, tooLong: false, eol: "", utf16 }];
        return;
      }
    }
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      splitter.append(chunk.subarray(start, newline));
      splitter.end(true);
      for (let read = splitter.next(); read; read = splitter.next()) {
        // A chunk of empty lines is a million lines a megabyte: a batch is bounded by lines too.
        if (batch.push(read) === maxBatchLines) {
          yield batch;
          batch = [];
        }
      }
      start = newline + 1;
    }
    // Copy the tail: stream chunks may be reused by the producer.
    if (start < chunk.length) splitter.append(chunk.slice(start));
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (splitter.holdsBytes) {
    splitter.end(false);
    for (let read = splitter.next(); read; read = splitter.next()) {
      if (batch.push(read) === maxBatchLines) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export function concat(pieces: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

export interface LineBreakScan {
  utf16?: "utf-16le" | "utf-16be";
  /** 0-based line (as VS Code numbers lines) of the first line ended by a lone CR. */
  firstLoneCrLine?: number;
}

/**
 * What an editor cannot see in a file it has decoded: UTF-16, and lone CRs, which VS Code turns
 * into its own line ending on load. Scans bytes only, and stops at the first lone CR.
 */
export async function scanLineBreaks(chunks: AsyncIterable<Uint8Array>): Promise<LineBreakScan> {
  let line = 0;
  let first = true;
  let pendingCr = false;
  for await (const chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      const utf16 = utf16Of(chunk);
      if (utf16) return { utf16 };
    }
    let from = 0;
    if (pendingCr) {
      if (chunk[0] !== 10) return { firstLoneCrLine: line };
      pendingCr = false;
      line++;
      from = 1;
    }
    for (let cr = chunk.indexOf(13, from); cr !== -1; cr = chunk.indexOf(13, cr + 1)) {
      line += countLf(chunk, from, cr);
      from = cr;
      if (cr === chunk.length - 1) pendingCr = true;
      else if (chunk[cr + 1] !== 10) return { firstLoneCrLine: line };
      else {
        line++;
        from = cr + 2;
      }
    }
    if (!pendingCr) line += countLf(chunk, from, chunk.length);
  }
  return pendingCr ? { firstLoneCrLine: line } : {};
}

function countLf(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let lf = bytes.indexOf(10, from); lf !== -1 && lf < to; lf = bytes.indexOf(10, lf + 1)) count++;
  return count;
}
