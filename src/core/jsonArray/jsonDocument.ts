import { readFileSync, statSync } from "node:fs";
import { parseRow, stripBom } from "../jsonl/parseRow";
import type { Diagnostic } from "../lint/diagnostic";
import { maxRowBytes } from "../validate/lineChecks";
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

/** What the CLI's notes say of such a file. */
export const holdsNoRows = "holds one JSON object, not rows (JSON Lines or a JSON array of rows)";

/**
 * A one-object file on disk: its size, and its syntax findings unless it is over the 16 MB a row
 * may have (then it is not read: the whole text and jsonc-parser's tree would be held at once).
 */
export function readJsonDocument(file: string): { bytes: number; findings?: Diagnostic[] } {
  const bytes = statSync(file).size;
  return bytes > maxRowBytes ? { bytes } : { bytes, findings: jsonDocumentFindings(readFileSync(file, "utf8")) };
}
