import { isPlainObject, ParsedRow, parseRow } from "../jsonl/parseRow";
import type { Diagnostic } from "./diagnostic";

export interface CheckedRow {
  parsed: ParsedRow;
  diagnostics: Diagnostic[];
}

/** Checks that one line is a JSON object, the shape every instruction-dataset loader needs. */
export function checkRowSyntax(text: string, line: number): CheckedRow {
  const parsed = parseRow(text);
  const at = (start: number, end: number) => ({ line, column: start, endLine: line, endColumn: Math.min(end, Math.max(text.length, start + 1)) });
  if (parsed.kind === "blank") {
    return {
      parsed,
      diagnostics: [{ ...at(0, text.length), severity: "warning", rule: "blank-line", message: "Blank line: some loaders fail on it; delete it." }],
    };
  }
  const diagnostics: Diagnostic[] = parsed.errors.map((e) => ({
    ...at(e.start, e.end),
    severity: "error",
    rule: "syntax",
    message: `${e.message}.`,
  }));
  if (diagnostics.length === 0 && !isPlainObject(parsed.value)) {
    const kind = Array.isArray(parsed.value) ? "an array" : parsed.value === null ? "null" : `a ${typeof parsed.value}`;
    const first = text.length - text.trimStart().length;
    diagnostics.push({ ...at(first, text.trimEnd().length), severity: "error", rule: "not-object", message: `Each row must be a JSON object, this one is ${kind}.` });
  }
  return { parsed, diagnostics };
}
