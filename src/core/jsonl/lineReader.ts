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
}

export interface LineReaderOptions {
  /** Lines longer than this are reported as too long without being buffered. */
  maxLineBytes?: number;
}

export const defaultMaxLineBytes = 64 * 1024 * 1024;

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function decode(bytes: Uint8Array): { text: string; invalidUtf8: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: lenientDecoder.decode(bytes), invalidUtf8: true };
  }
}

/**
 * Splits a byte stream into lines with bounded memory: only the current line is held, and a
 * line over `maxLineBytes` is skipped. Hand-written because Node's readline neither reports
 * invalid UTF-8 nor bounds a line's length; both matter for 1 GB datasets.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: LineReaderOptions = {}): AsyncGenerator<ReadLine> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  let pieces: Uint8Array[] = [];
  let pending = 0;
  let overflow = false;
  let lineNumber = 0;

  const finish = (): ReadLine => {
    lineNumber++;
    const byteLength = pending;
    if (overflow) {
      pieces = [];
      pending = 0;
      overflow = false;
      return { lineNumber, text: "", byteLength, invalidUtf8: false, tooLong: true };
    }
    let bytes = pieces.length === 1 ? pieces[0] : concat(pieces, pending);
    pieces = [];
    pending = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    if (lineNumber === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    return { lineNumber, byteLength, tooLong: false, ...decode(bytes) };
  };

  const append = (bytes: Uint8Array) => {
    pending += bytes.length;
    if (overflow) return;
    if (pending > maxLineBytes) {
      overflow = true;
      pieces = [];
    } else {
      pieces.push(bytes);
    }
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      append(chunk.subarray(start, newline));
      yield finish();
      start = newline + 1;
    }
    // Copy the tail: stream chunks may be reused by the producer.
    if (start < chunk.length) append(chunk.slice(start));
  }
  if (pending > 0 || pieces.length > 0) yield finish();
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
