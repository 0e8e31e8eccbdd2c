// Analysed lines packed for the move from a lint thread to the main thread. Posting the row
// objects themselves cost a 50 MB file 0.7 s of CPU in structured clone (0.33 s writing them in
// the threads, 0.36 s reading them on the main thread, which also compares every row); packed,
// a chunk is two number arrays, the transferred slabs its vectors live in, and the findings of
// the few rows that have any.
import { widened } from "./typedArrays";
import type { Diagnostic } from "../lint/diagnostic";
import type { AnalyzedLine } from "./streamValidator";

/** Per row: line, byteLength, textLength, contentKey, answerKey (NaN: none), then the codes of tooLong, eol, kind, format, utf16. */
const numberColumns = 10;
/** Per row, for its signature, sketch and short prompt: buffer (-1: none), first element, length. */
const vectorColumns = 9;

export interface PackedRows {
  count: number;
  numbers: Float64Array;
  vectors: Int32Array;
  /** The buffers the vectors are cut from: transferred with the rows, not copied. */
  buffers: ArrayBuffer[];
  /** The strings the codes stand for; code 0 is undefined. */
  strings: string[];
  /** The rows that have findings: [row, findings]. */
  findings: Array<[number, Diagnostic[]]>;
}

/** Collects analysed lines, in order, into one `PackedRows`. */
export class RowPacker {
  private count = 0;
  private numbers = new Float64Array(4096 * numberColumns);
  private vectors = new Int32Array(4096 * vectorColumns);
  private readonly buffers: ArrayBuffer[] = [];
  private readonly bufferIndex = new Map<ArrayBufferLike, number>();
  private readonly strings: string[] = [""];
  private readonly stringCodes = new Map<string, number>();
  private readonly findings: Array<[number, Diagnostic[]]> = [];

  add(row: AnalyzedLine): void {
    if (this.count * numberColumns === this.numbers.length) this.grow();
    const n = this.count * numberColumns;
    const numbers = this.numbers;
    numbers[n] = row.line;
    numbers[n + 1] = row.byteLength;
    numbers[n + 2] = row.textLength;
    numbers[n + 3] = row.contentKey ?? NaN;
    numbers[n + 4] = row.answerKey ?? NaN;
    numbers[n + 5] = row.tooLong ? 1 : 0;
    numbers[n + 6] = this.code(row.eol);
    numbers[n + 7] = this.code(row.kind);
    numbers[n + 8] = this.code(row.format);
    numbers[n + 9] = this.code(row.utf16);
    const v = this.count * vectorColumns;
    this.place(row.signature, v);
    this.place(row.sketch, v + 3);
    this.place(row.shortPrompt, v + 6);
    if (row.diagnostics.length > 0) this.findings.push([this.count, row.diagnostics]);
    this.count++;
  }

  /** The rows so far; their buffers must be transferred, not copied, for the views to stay valid. */
  finish(): PackedRows {
    return {
      count: this.count,
      numbers: this.numbers.slice(0, this.count * numberColumns),
      vectors: this.vectors.slice(0, this.count * vectorColumns),
      buffers: this.buffers,
      strings: this.strings,
      findings: this.findings,
    };
  }

  private code(value: string | undefined): number {
    if (value === undefined) return 0;
    let code = this.stringCodes.get(value);
    if (code === undefined) {
      code = this.strings.push(value) - 1;
      this.stringCodes.set(value, code);
    }
    return code;
  }

  private place(vector: Uint32Array | undefined, at: number): void {
    if (!vector) {
      this.vectors[at] = -1;
      return;
    }
    let buffer = this.bufferIndex.get(vector.buffer);
    if (buffer === undefined) {
      buffer = this.buffers.push(vector.buffer as ArrayBuffer) - 1;
      this.bufferIndex.set(vector.buffer, buffer);
    }
    this.vectors[at] = buffer;
    this.vectors[at + 1] = vector.byteOffset >>> 2;
    this.vectors[at + 2] = vector.length;
  }

  private grow(): void {
    this.numbers = widened(this.numbers);
    this.vectors = widened(this.vectors);
  }
}

/** The rows of a packed chunk, as the thread that packed them had them (less `text`, never carried). */
export function* unpackRows(packed: PackedRows): Generator<AnalyzedLine> {
  const { numbers, vectors, buffers, strings } = packed;
  const view = (at: number) => (vectors[at] === -1 ? undefined : new Uint32Array(buffers[vectors[at]], vectors[at + 1] * 4, vectors[at + 2]));
  const string = (code: number) => (code === 0 ? undefined : strings[code]);
  const number = (value: number) => (Number.isNaN(value) ? undefined : value);
  let nextFinding = 0;
  for (let row = 0; row < packed.count; row++) {
    const n = row * numberColumns;
    const v = row * vectorColumns;
    let diagnostics: Diagnostic[] = [];
    if (nextFinding < packed.findings.length && packed.findings[nextFinding][0] === row) diagnostics = packed.findings[nextFinding++][1];
    yield {
      line: numbers[n],
      byteLength: numbers[n + 1],
      tooLong: numbers[n + 5] === 1,
      eol: string(numbers[n + 6]) as AnalyzedLine["eol"],
      utf16: string(numbers[n + 9]) as AnalyzedLine["utf16"],
      textLength: numbers[n + 2],
      diagnostics,
      kind: string(numbers[n + 7]) as AnalyzedLine["kind"],
      format: string(numbers[n + 8]) as AnalyzedLine["format"],
      contentKey: number(numbers[n + 3]),
      signature: view(v),
      sketch: view(v + 3),
      shortPrompt: view(v + 6),
      answerKey: number(numbers[n + 4]),
      text: undefined,
    };
  }
}
