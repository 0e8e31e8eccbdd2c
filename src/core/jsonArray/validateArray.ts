import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic } from "../lint/diagnostic";
import { applyRuleSettings } from "../validate/analyzeRow";
import { FormatSample, StreamOptions, validateLineBatches } from "../validate/streamValidator";
import type { ArrayItem, ArrayProblem } from "./arrayElements";
import type { FilePosition } from "./filePosition";
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
 * is a row), yielding findings at their places in the file, in file order. Elements are read a
 * chunk's worth at a time (`readArrayElementBatches`); memory stays bounded as in the JSONL
 * validator: a batch's texts are let go once its rows are validated.
 */
export async function* validateArrayItems(
  batches: AsyncIterable<readonly ArrayItem[]>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
): AsyncGenerator<Diagnostic> {
  const placement = new ArrayPlacement();
  const problems: ArrayProblem[] = [];
  let sampled = false;
  async function* rows(): AsyncGenerator<ReadLine[]> {
    for await (const items of batches) {
      const lines: ReadLine[] = [];
      for (const item of items) {
        // A UTF-16 file is the reader's one item.
        if (item.kind === "utf16") {
          yield [{ lineNumber: 1, text: "", byteLength: 0, invalidUtf8: false, tooLong: false, eol: "", utf16: item.encoding }];
          return;
        }
        if (item.kind === "problem") {
          problems.push(item);
          continue;
        }
        placement.add(item);
        lines.push({
          lineNumber: item.ordinal + 1,
          text: item.text,
          byteLength: item.byteLength,
          invalidUtf8: item.invalidUtf8,
          tooLong: item.tooLong,
          eol: "",
        });
      }
      if (lines.length === 0) continue;
      yield lines;
      // Asked for the next batch once the format sample is taken: the validator is done with
      // these rows and has placed all their findings, so their texts are let go (with no
      // findings, nothing else would).
      if (sampled) placement.release(lines[lines.length - 1].lineNumber - 1);
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
  for await (const d of validateLineBatches(rows(), options, sampleTaken)) {
    if (d.line !== rowOrdinal) yield* flush();
    rowOrdinal = d.line;
    row.push(placement.place(d));
  }
  yield* flush();
  yield* applyRuleSettings(problems.map(problemFinding), options.rules);
}
