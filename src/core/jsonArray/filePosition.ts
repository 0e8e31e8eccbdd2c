// Where a byte of a JSON array file stands, as the editor counts lines and columns.

/** A 0-based file position: line and column in UTF-16 code units, as VS Code counts them. */
export interface FilePosition {
  line: number;
  column: number;
}

/** Line breaks as VS Code counts them: \n, \r\n and a lone \r. */
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * The line and column of a byte of the stream, counted forwards from the last position asked
 * for: a position is only counted where one is needed (an element's start, a problem), and an
 * element decoded whole is passed over by its text instead of byte by byte.
 */
export class PositionCounter {
  line = 0;
  column = 0;
  /** Whether the last byte counted was a CR (a LF after it ends no further line). */
  afterCr = false;
  /** The index in the current chunk up to which bytes are counted. */
  counted = 0;

  /** Counts `chunk[counted..to)`. */
  countTo(chunk: Uint8Array, to: number): void {
    for (let i = this.counted; i < to; i++) {
      const b = chunk[i];
      if (b === lineFeed) {
        if (!this.afterCr) this.line++;
        this.column = 0;
        this.afterCr = false;
      } else if (b === carriageReturn) {
        this.line++;
        this.column = 0;
        this.afterCr = true;
      } else {
        this.afterCr = false;
        // UTF-16 units: one per UTF-8 sequence, two for a 4-byte one (a surrogate pair).
        if ((b & 0xc0) !== 0x80) this.column += b >= 0xf0 ? 2 : 1;
      }
    }
    this.counted = Math.max(this.counted, to);
  }

  at(chunk: Uint8Array, index: number): FilePosition {
    this.countTo(chunk, index);
    return { line: this.line, column: this.column };
  }

  /**
   * Passes over the bytes up to `to` that decoded, with no invalid UTF-8, to `text`, starting at
   * the position counted so far: as many UTF-16 units as the text has, and its line breaks. No
   * element starts or ends inside a CR LF, so no CR is pending at either end.
   */
  passOver(text: string, to: number): void {
    let nextLf = text.indexOf("\n");
    let nextCr = text.indexOf("\r");
    let lineStart = -1;
    while (nextLf !== -1 || nextCr !== -1) {
      let at: number;
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
        at = nextCr;
        if (nextLf === at + 1) {
          at = nextLf;
          nextLf = text.indexOf("\n", at + 1);
        }
        nextCr = text.indexOf("\r", at + 1);
      } else {
        at = nextLf;
        nextLf = text.indexOf("\n", at + 1);
      }
      this.line++;
      lineStart = at + 1;
    }
    this.column = lineStart === -1 ? this.column + text.length : text.length - lineStart;
    this.afterCr = false;
    this.counted = to;
  }
}
