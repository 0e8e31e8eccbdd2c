import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic } from "../lint/diagnostic";
import { applyRuleSettings } from "../validate/analyzeRow";
import { FormatSample, StreamOptions, validateLines } from "../validate/streamValidator";
import type { ArrayItem, ArrayProblem, FilePosition } from "./arrayElements";
import { ArrayPlacement } from "./arrayPlacement";

const before = (a: FilePosition, d: Diagnostic) => a.line < d.line || (a.line === d.line && a.column <= d.column);

function problemFinding(p: ArrayProblem): Diagnostic {
  const span = { line: p.start.line, column: p.start.column, endLine: p.end.line, endColumn: p.end.column };
  return {
    ...span,
    severity: "error",
    rule: "syntax",
    message: p.message,
    ...(p.removable ? { fix: { title: "Remove the extra comma", edits: [{ ...span, newText: "" }] } } : {}),
  };
}

/**
 * Validates the elements of a JSON-array dataset with the rules a JSONL file gets (each element
 * is a row), yielding findings at their places in the file, in file order. Memory stays bounded
 * as in the JSONL validator: elements are read and let go one at a time.
 */
export async function* validateArrayItems(
  items: AsyncIterable<ArrayItem>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
): AsyncGenerator<Diagnostic> {
  const placement = new ArrayPlacement();
  const problems: ArrayProblem[] = [];
  let sampled = false;
  async function* rows(): AsyncGenerator<ReadLine> {
    for await (const item of items) {
      if (item.kind === "utf16") {
        yield { lineNumber: 1, text: "", byteLength: 0, invalidUtf8: false, tooLong: false, eol: "", utf16: item.encoding };
        return;
      }
      if (item.kind === "problem") {
        problems.push(item);
        continue;
      }
      placement.add(item);
      yield { lineNumber: item.ordinal + 1, text: item.text, byteLength: item.byteLength, invalidUtf8: item.invalidUtf8, tooLong: item.tooLong, eol: "" };
      // Asked for the next row once the format sample is taken: the validator is done with this
      // one and has placed all its findings, so its text is let go (with no findings, nothing else would).
      if (sampled) placement.release(item.ordinal);
    }
  }
  // One row's findings are sorted by place: its keys span several lines.
  let row: Diagnostic[] = [];
  let rowOrdinal = -1;
  function* flush(): Generator<Diagnostic> {
    row.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const placed of row) {
      while (problems.length > 0 && before(problems[0].start, placed)) yield* applyRuleSettings([problemFinding(problems.shift()!)], options.rules);
      yield placed;
    }
    row = [];
  }
  const sampleTaken = (sample: FormatSample) => {
    sampled = true;
    onSample?.(sample);
  };
  for await (const d of validateLines(rows(), options, sampleTaken)) {
    if (d.line !== rowOrdinal) yield* flush();
    rowOrdinal = d.line;
    row.push(placement.place(d));
  }
  yield* flush();
  yield* applyRuleSettings(problems.map(problemFinding), options.rules);
}
