import { concat, defaultMaxLineBytes, utf16Of } from "../jsonl/lineReader";
import { FilePosition, PositionCounter } from "./filePosition";

export interface ArrayElement {
  kind: "element";
  /** 0-based position in the array: the element's row number. */
  ordinal: number;
  /** The element's text as stored (line breaks kept), without what separates it from its neighbours. */
  text: string;
  byteLength: number;
  invalidUtf8: boolean;
  /** Longer than `maxElementBytes`: `text` is empty and the element was skipped, not held. */
  tooLong: boolean;
  start: FilePosition;
  /** Just past its last character. */
  end: FilePosition;
  /** What deleting this element removes so that the array stays valid JSON: it and one separating comma. */
  removal: { start: FilePosition; end: FilePosition };
}

/** Something wrong between the elements: a missing comma, a missing bracket, text after the array. */
export interface ArrayProblem {
  kind: "problem";
  start: FilePosition;
  end: FilePosition;
  message: string;
  /** The array's first byte is not `[`: nothing was read as elements. */
  notAnArray?: boolean;
  /** The character at `start` is the mistake (a trailing comma): deleting it is the fix. */
  removable?: boolean;
}

export interface Utf16File {
  kind: "utf16";
  encoding: "utf-16le" | "utf-16be";
}

export type ArrayItem = ArrayElement | ArrayProblem | Utf16File;

export interface ArrayReaderOptions {
  /** Elements longer than this are reported as too long without being held (the JSONL reader's row limit). */
  maxElementBytes?: number;
}

const enum State {
  BeforeArray,
  ExpectValue,
  InElement,
  AfterValue,
  AfterArray,
  Done,
}

/** JSON's whitespace bytes. */
export const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * Reads the elements of a JSON array (`[ {...}, {...} ]`, as Alpaca, GPTeacher and LLaMA-Factory
 * ship datasets) from a byte stream, with bounded memory and each element's exact position, the
 * items of each chunk of the stream at once. Only the boundaries are found here (strings,
 * escapes, nesting depth); each element's text is then parsed by the row parser like a JSONL
 * line, so syntax errors inside an element are reported where they are. Hand-written because the
 * JSON libraries at hand either need the whole text (jsonc-parser, JSON.parse) or tokenise every
 * value (stream-json), which the row parser then does again.
 */
export async function* readArrayElementBatches(chunks: AsyncIterable<Uint8Array>, options: ArrayReaderOptions = {}): AsyncGenerator<ArrayItem[]> {
  const maxBytes = options.maxElementBytes ?? defaultMaxLineBytes;
  let state = State.BeforeArray;
  const position = new PositionCounter();
  let first = true;
  /** Bytes of the stream before the current chunk. */
  let streamOffset = 0;
  let bomSkipped = 0;

  // The element being read.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false;
  let pieces: Uint8Array[] = [];
  let pending = 0;
  let overflow = false;
  let elementStart: FilePosition = { line: 0, column: 0 };
  /** Whether the element being read started in the current chunk (it is then counted over by its text). */
  let startedInChunk = false;
  let ordinal = 0;
  /** The comma after the last element, until the next element starts: a trailing one when `]` comes first. */
  let trailingCommaAt: FilePosition | undefined;

  // An element is handed out once what follows it is known: its removal range depends on it.
  let finished: Omit<ArrayElement, "removal"> | undefined;
  let previousEnd: FilePosition | undefined;

  function finishElement(chunk: Uint8Array, endIndex: number): void {
    const bytes = pieces.length === 1 ? pieces[0] : concat(pieces, pending);
    let text = "";
    let invalidUtf8 = false;
    if (!overflow) {
      try {
        text = strictDecoder.decode(bytes);
      } catch {
        text = lenientDecoder.decode(bytes);
        invalidUtf8 = true;
      }
    }
    if (startedInChunk && !overflow && !invalidUtf8) position.passOver(text, endIndex);
    else position.countTo(chunk, endIndex);
    const end = { line: position.line, column: position.column };
    finished = { kind: "element", ordinal: ordinal++, text, byteLength: pending, invalidUtf8, tooLong: overflow, start: elementStart, end };
    pieces = [];
    pending = 0;
    overflow = false;
  }

  /** Hands out the finished element; `next` is where the following element starts, if one does. */
  function release(next: FilePosition | undefined): ArrayElement | undefined {
    if (!finished) return undefined;
    const { ordinal, text, byteLength, invalidUtf8, tooLong, start, end } = finished;
    finished = undefined;
    const removal = previousEnd ? { start: previousEnd, end } : { start, end: next ?? end };
    previousEnd = end;
    return { kind: "element", ordinal, text, byteLength, invalidUtf8, tooLong, start, end, removal };
  }

  const problem = (start: FilePosition, message: string, flags: Pick<ArrayProblem, "notAnArray" | "removable"> = {}): ArrayProblem => ({
    kind: "problem",
    start,
    end: { line: start.line, column: start.column + 1 },
    message,
    ...flags,
  });

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (first) {
      first = false;
      const utf16 = utf16Of(chunk);
      if (utf16) {
        yield [{ kind: "utf16", encoding: utf16 }];
        return;
      }
    }
    position.counted = 0;
    const out: ArrayItem[] = [];
    // Where the element being read starts in this chunk: 0 when it began in an earlier one.
    let elementFrom = state === State.InElement ? 0 : -1;
    startedInChunk = false;
    const endElementBefore = (end: number): State => {
      append(chunk.subarray(elementFrom, end));
      elementFrom = -1;
      finishElement(chunk, end);
      return State.AfterValue;
    };
    // The next quote and backslash at or after the byte being read (chunk.length: none).
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (bomSkipped < 3 && streamOffset + i === bomSkipped && b === byteOrderMark[bomSkipped]) {
        bomSkipped++;
        position.counted = i + 1;
        continue;
      }
      switch (state) {
        case State.BeforeArray:
          if (isSpace(b)) break;
          if (b === 0x5b) state = State.ExpectValue;
          else {
            out.push(problem(position.at(chunk, i), "This JSON file is not an array of rows: it must start with [.", { notAnArray: true }));
            state = State.Done;
          }
          break;
        case State.ExpectValue:
        case State.AfterValue:
          if (isSpace(b)) break;
          if (b === 0x5d) {
            if (state === State.ExpectValue && trailingCommaAt)
              out.push(problem(trailingCommaAt, "Trailing comma before ]: JSON does not allow it.", { removable: true }));
            const element = release(undefined);
            if (element) out.push(element);
            state = State.AfterArray;
            break;
          }
          if (b === 0x2c) {
            if (state === State.ExpectValue) out.push(problem(position.at(chunk, i), "Value expected (two commas in a row?).", { removable: true }));
            trailingCommaAt = position.at(chunk, i);
            state = State.ExpectValue;
            break;
          }
          if (state === State.AfterValue) out.push(problem(position.at(chunk, i), "Comma expected between elements."));
          {
            const element = release(trailingCommaAt ? position.at(chunk, i) : undefined);
            if (element) out.push(element);
          }
          trailingCommaAt = undefined;
          state = State.InElement;
          elementStart = position.at(chunk, i);
          startedInChunk = true;
          elementFrom = i;
          depth = 0;
          inString = false;
          escaped = false;
          scalar = b !== 0x7b && b !== 0x5b && b !== 0x22;
          if (b === 0x22) inString = true;
          else if (!scalar) depth = 1;
          break;
        case State.InElement:
          if (inString) {
            if (escaped) {
              escaped = false;
              break;
            }
            // Most of an element is inside its strings: jump to the next quote or backslash.
            if (nextQuote < i) nextQuote = indexOrEnd(chunk, 0x22, i);
            if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, 0x5c, i);
            i = Math.min(nextQuote, nextBackslash);
            if (i === chunk.length) break;
            if (i === nextBackslash) escaped = true;
            else {
              inString = false;
              if (depth === 0) state = endElementBefore(i + 1);
            }
          } else if (scalar) {
            if (isSpace(b) || b === 0x2c || b === 0x5d) {
              state = endElementBefore(i);
              // The byte after a scalar is read again as a separator.
              i--;
            }
          } else if (b === 0x22) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) {
            depth--;
            if (depth === 0) state = endElementBefore(i + 1);
          }
          break;
        case State.AfterArray:
          if (isSpace(b)) break;
          out.push(problem(position.at(chunk, i), "Text after the array's closing ]: a JSON file holds one value."));
          state = State.Done;
          break;
      }
      if (state === State.Done) break;
    }
    // Copy the element's tail: stream chunks may be reused by the producer.
    if (elementFrom >= 0) append(chunk.slice(elementFrom));
    if (state !== State.Done) position.countTo(chunk, chunk.length);
    streamOffset += chunk.length;
    if (out.length > 0) yield out;
    if (state === State.Done) return;
  }
  const last: ArrayItem[] = [];
  const here = (): FilePosition => ({ line: position.line, column: position.column });
  if (state === State.InElement) {
    // Ended inside the element: its bytes are counted already.
    startedInChunk = false;
    finishElement(new Uint8Array(0), 0);
  }
  const element = release(undefined);
  if (element) last.push(element);
  if (state === State.BeforeArray && !first) last.push(problem(here(), "This JSON file is empty: an array of rows was expected.", { notAnArray: true }));
  else if (state === State.InElement || state === State.ExpectValue || state === State.AfterValue)
    last.push(problem(here(), "Closing bracket expected: the file ends inside the array."));
  if (last.length > 0) yield last;

  function append(bytes: Uint8Array): void {
    pending += bytes.length;
    if (overflow) return;
    if (pending > maxBytes) {
      overflow = true;
      pieces = [];
    } else pieces.push(bytes);
  }
}

/** `readArrayElementBatches` one item at a time. */
export async function* readArrayElements(chunks: AsyncIterable<Uint8Array>, options: ArrayReaderOptions = {}): AsyncGenerator<ArrayItem> {
  for await (const batch of readArrayElementBatches(chunks, options)) yield* batch;
}

const byteOrderMark = [0xef, 0xbb, 0xbf];

function indexOrEnd(chunk: Uint8Array, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

/** Bytes already in memory (an open document's text) as the stream the reader takes. */
export async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
