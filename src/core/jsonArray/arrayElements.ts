import { concat, defaultMaxLineBytes, utf16Of } from "../jsonl/lineReader";

/** A 0-based file position: line and column in UTF-16 code units, as VS Code counts them. */
export interface FilePosition {
  line: number;
  column: number;
}

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
 * ship datasets) from a byte stream, one at a time, with bounded memory and each element's exact
 * position. Only the boundaries are found here (strings, escapes, nesting depth); each element's
 * text is then parsed by the row parser like a JSONL line, so syntax errors inside an element are
 * reported where they are. Hand-written because the JSON libraries at hand either need the whole
 * text (jsonc-parser, JSON.parse) or tokenise every value (stream-json), which the row parser
 * then does again.
 */
export async function* readArrayElements(chunks: AsyncIterable<Uint8Array>, options: ArrayReaderOptions = {}): AsyncGenerator<ArrayItem> {
  const maxBytes = options.maxElementBytes ?? defaultMaxLineBytes;
  let state = State.BeforeArray;
  // The position of the next byte.
  let line = 0;
  let column = 0;
  let afterCr = false;
  let first = true;
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
  let ordinal = 0;
  /** The comma after the last element, until the next element starts: a trailing one when `]` comes first. */
  let trailingCommaAt: FilePosition | undefined;

  // An element is handed out once what follows it is known: its removal range depends on it.
  let finished: Omit<ArrayElement, "removal"> | undefined;
  let previousEnd: FilePosition | undefined;
  const here = (): FilePosition => ({ line, column });

  function finishElement(): void {
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
    finished = { kind: "element", ordinal: ordinal++, text, byteLength: pending, invalidUtf8, tooLong: overflow, start: elementStart, end: here() };
    pieces = [];
    pending = 0;
    overflow = false;
  }

  /** Hands out the finished element; `next` is where the following element starts, if one does. */
  function release(next: FilePosition | undefined): ArrayElement | undefined {
    if (!finished) return undefined;
    const element = finished;
    finished = undefined;
    const removal = previousEnd ? { start: previousEnd, end: element.end } : { start: element.start, end: next ?? element.end };
    previousEnd = element.end;
    return { ...element, removal };
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
        yield { kind: "utf16", encoding: utf16 };
        return;
      }
    }
    const out: ArrayItem[] = [];
    // Where the element being read starts in this chunk: 0 when it began in an earlier one.
    let elementFrom = state === State.InElement ? 0 : -1;
    const endElementBefore = (end: number): State => {
      append(chunk.subarray(elementFrom, end));
      elementFrom = -1;
      finishElement();
      return State.AfterValue;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (bomSkipped < 3 && line === 0 && column === 0 && state === State.BeforeArray && b === [0xef, 0xbb, 0xbf][bomSkipped]) {
        bomSkipped++;
        continue;
      }
      switch (state) {
        case State.BeforeArray:
          if (isSpace(b)) break;
          if (b === 0x5b) state = State.ExpectValue;
          else {
            out.push(problem(here(), "This JSON file is not an array of rows: it must start with [.", { notAnArray: true }));
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
            if (state === State.ExpectValue) out.push(problem(here(), "Value expected (two commas in a row?).", { removable: true }));
            trailingCommaAt = here();
            state = State.ExpectValue;
            break;
          }
          if (state === State.AfterValue) out.push(problem(here(), "Comma expected between elements."));
          {
            const element = release(trailingCommaAt ? here() : undefined);
            if (element) out.push(element);
          }
          trailingCommaAt = undefined;
          state = State.InElement;
          elementStart = here();
          elementFrom = i;
          depth = 0;
          inString = false;
          escaped = false;
          scalar = b !== 0x7b && b !== 0x5b && b !== 0x22;
          if (scalar) break;
          if (b === 0x22) inString = true;
          else depth = 1;
          advance(b);
          continue;
        case State.InElement:
          if (inString) {
            if (escaped) escaped = false;
            else if (b === 0x5c) escaped = true;
            else if (b === 0x22) {
              inString = false;
              if (depth === 0) {
                advance(b);
                state = endElementBefore(i + 1);
                continue;
              }
            }
          } else if (scalar) {
            if (isSpace(b) || b === 0x2c || b === 0x5d) {
              state = endElementBefore(i);
              // The byte after a scalar is read again as a separator.
              i--;
              continue;
            }
          } else if (b === 0x22) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) {
            depth--;
            if (depth === 0) {
              advance(b);
              state = endElementBefore(i + 1);
              continue;
            }
          }
          break;
        case State.AfterArray:
          if (isSpace(b)) break;
          out.push(problem(here(), "Text after the array's closing ]: a JSON file holds one value."));
          state = State.Done;
          break;
      }
      if (state === State.Done) break;
      advance(b);
    }
    // Copy the element's tail: stream chunks may be reused by the producer.
    if (elementFrom >= 0) append(chunk.slice(elementFrom));
    yield* out;
    if (state === State.Done) return;
  }
  if (state === State.InElement) finishElement();
  const element = release(undefined);
  if (element) yield element;
  if (state === State.BeforeArray && !first) yield problem(here(), "This JSON file is empty: an array of rows was expected.", { notAnArray: true });
  else if (state === State.InElement || state === State.ExpectValue || state === State.AfterValue)
    yield problem(here(), "Closing bracket expected: the file ends inside the array.");

  function advance(b: number): void {
    if (b === 0x0a) {
      if (!afterCr) line++;
      column = 0;
      afterCr = false;
    } else if (b === 0x0d) {
      line++;
      column = 0;
      afterCr = true;
    } else {
      afterCr = false;
      // UTF-16 units: one per UTF-8 sequence, two for a 4-byte one (a surrogate pair).
      if ((b & 0xc0) !== 0x80) column += b >= 0xf0 ? 2 : 1;
    }
  }

  function append(bytes: Uint8Array): void {
    pending += bytes.length;
    if (overflow) return;
    if (pending > maxBytes) {
      overflow = true;
      pieces = [];
    } else pieces.push(bytes);
  }
}

/** Bytes already in memory (an open document's text) as the stream the reader takes. */
export async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
