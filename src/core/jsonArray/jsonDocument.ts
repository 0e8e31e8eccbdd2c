import { parseRow, stripBom } from "../jsonl/parseRow";
import type { Diagnostic } from "../lint/diagnostic";
import { lineAt, lineStartsOf } from "./arrayPlacement";

/**
 * The syntax errors of a file that is one JSON document (an object over many lines, not rows), at
 * their lines and columns, with the messages rows get: what `lint` says of such a file, where the
 * editor leaves it to VS Code's JSON language.
 */
export function jsonDocumentFindings(fileText: string): Diagnostic[] {
  // Columns count from after a byte order mark, as VS Code (which hides it) and the line reader count them.
  const { text } = stripBom(fileText);
  const parsed = parseRow(text);
  if (parsed.kind === "blank") return [];
  const starts = lineStartsOf(text);
  const position = (offset: number) => {
    const line = lineAt(starts, offset);
    return { line, column: offset - starts[line] };
  };
  return parsed.errors.map((e) => {
    const start = position(e.start);
    const end = position(e.end);
    const message = e.code === "EndOfFileExpected" ? "Text after the JSON value: a JSON file holds one value." : `${e.message}.`;
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: "error", rule: "syntax", message };
  });
}
