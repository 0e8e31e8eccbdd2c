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
 * Validates rows read in batches, yielding findings in row order (a row's "line" is its 0-based
 * ordinal). `onSample` hears the file's format; `onCompared(row)` says that no finding on rows up
 * to `row` will come, so that their texts can be let go.
 */
export type RowsValidator = (
  batches: AsyncIterable<readonly ReadLine[]>,
  options: StreamOptions,
  onSample: (sample: FormatSample) => void,
  onCompared: (row: number) => void,
) => AsyncIterable<Diagnostic>;

/** The rows validated on this thread: a batch's rows are all compared when the next batch is asked for, once the sample is taken. */
export const validateRowsHere: RowsValidator = (batches, options, onSample, onCompared) => {
  let sampled = false;
  async function* comparedOnPull(): AsyncGenerator<readonly ReadLine[]> {
    for await (const lines of batches) {
      yield lines;
      if (sampled && lines.length > 0) onCompared(lines[lines.length - 1].lineNumber - 1);
    }
  }
  const sampleTaken = (sample: FormatSample) => {
    sampled = true;
    onSample(sample);
  };
  return validateLineBatches(comparedOnPull(), options, sampleTaken);
};

/**
 * Validates the elements of a JSON-array dataset with the rules a JSONL file gets (each element
 * is a row), yielding findings at their places in the file, in file order. Elements are read a
 * chunk's worth at a time (`readArrayElementBatches`); memory stays bounded as in the JSONL
 * validator: a row's text is let go once the validator has compared it (on this thread, or on
 * every core with the CLI's `validate`).
 */
export async function* validateArrayItems(
  batches: AsyncIterable<readonly ArrayItem[]>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
  validate: RowsValidator = validateRowsHere,
): AsyncGenerator<Diagnostic> {
  const placement = new ArrayPlacement();
  const problems: ArrayProblem[] = [];
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
      if (lines.length > 0) yield lines;
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
  const compared = (row: number) => placement.release(row);
  // Near duplicates come once every row is compared (a group is known only then): after the rest.
  const nearDuplicates: Diagnostic[] = [];
  for await (const d of validate(rows(), options, (sample) => onSample?.(sample), compared)) {
    if (d.rule === "near-duplicate") {
      nearDuplicates.push(d);
      continue;
    }
    if (d.line !== rowOrdinal) yield* flush();
    rowOrdinal = d.line;
    row.push(placement.place(d));
  }
  yield* flush();
  yield* applyRuleSettings(problems.map(problemFinding), options.rules);
  for (const d of nearDuplicates) yield placement.place(d);
}
