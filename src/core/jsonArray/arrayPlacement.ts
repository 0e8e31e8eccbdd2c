import { widened } from "../validate/typedArrays";
import type { Diagnostic, Span } from "../lint/diagnostic";
import type { ArrayElement } from "./arrayElements";
import type { FilePosition } from "./filePosition";

/** Numbers kept per element in `places`. */
const stride = 5;

interface HeldElement {
  element: ArrayElement;
  /** Offsets in the element's text where each of its lines starts; computed when first needed. */
  lineStarts?: number[];
}

/**
 * Moves findings on array elements to the file: the validators number rows by element (a row's
 * "line" is its ordinal) and place columns as offsets in the element's text, which may span
 * lines and share its first line with the element before it.
 */
export class ArrayPlacement {
  /** Where every element starts and ends, and its text's length, for findings that name a row whose text is let go. */
  private places = new Int32Array(stride * 1024);
  private count = 0;
  /** Elements read but not yet passed by the findings: their texts place columns exactly. */
  private readonly held = new Map<number, HeldElement>();
  private lowestHeld = 0;

  add(element: ArrayElement): void {
    if (stride * (element.ordinal + 1) > this.places.length) this.places = widened(this.places);
    const at = stride * element.ordinal;
    this.places[at] = element.start.line;
    this.places[at + 1] = element.start.column;
    this.places[at + 2] = element.end.line;
    this.places[at + 3] = element.end.column;
    this.places[at + 4] = element.text.length;
    this.count = Math.max(this.count, element.ordinal + 1);
    this.held.set(element.ordinal, { element });
  }

  /** Lets go of the texts of rows up to `ordinal`: no finding on them will come. */
  release(ordinal: number): void {
    for (; this.lowestHeld <= ordinal; this.lowestHeld++) this.held.delete(this.lowestHeld);
  }

  /** The finding at its place in the file. Findings come in row order: rows before it are let go. */
  place(d: Diagnostic): Diagnostic {
    this.release(d.line - 1);
    const placed: Diagnostic = { ...d, ...this.span(d) };
    if (d.related) placed.related = d.related.map((r) => ({ ...r, ...this.span(r) }));
    if (d.fix) placed.fix = { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, ...this.span(e) })) };
    return placed;
  }

  private span(span: Span): Span {
    const held = this.held.get(span.line);
    // A whole-row span (to the start of the next row) is the element with one separating comma.
    if (held && span.endLine === span.line + 1 && span.column === 0 && span.endColumn === 0)
      return spanOf(held.element.removal.start, held.element.removal.end);
    if (held && span.endLine === span.line) return spanOf(this.position(held, span.column), this.position(held, Math.max(span.endColumn, span.column)));
    if (span.line < this.count) {
      const at = stride * span.line;
      const line = this.places[at];
      const column = this.places[at + 1];
      // A whole row names the whole element; any other span, its first character.
      if (span.column === 0 && span.endLine === span.line && span.endColumn === this.places[at + 4])
        return { line, column, endLine: this.places[at + 2], endColumn: this.places[at + 3] };
      return { line, column, endLine: line, endColumn: column + 1 };
    }
    return span;
  }

  private position(held: HeldElement, offset: number): FilePosition {
    const { element } = held;
    held.lineStarts ??= lineStartsOf(element.text);
    const starts = held.lineStarts;
    const low = lineAt(starts, offset);
    return { line: element.start.line + low, column: (low === 0 ? element.start.column : 0) + offset - starts[low] };
  }
}

const spanOf = (start: FilePosition, end: FilePosition): Span => ({ line: start.line, column: start.column, endLine: end.line, endColumn: end.column });

/** The line (an index into `starts`, from `lineStartsOf`) that holds `offset`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Offsets where lines start, breaking at \n, \r\n and a lone \r as VS Code does. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}
