import { isPlainObject, ParsedRow, parseRow } from "../jsonl/parseRow";
import type { Diagnostic } from "./diagnostic";

export interface CheckedRow {
  parsed: ParsedRow;
  diagnostics: Diagnostic[];
}

/** The offset of a comma that stands, past whitespace, right before a closing brace or bracket at `offset`. */
function trailingCommaBefore(text: string, offset: number): number | undefined {
  if (text[offset] !== "}" && text[offset] !== "]") return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === "," ? i : undefined;
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
  const diagnostics: Diagnostic[] = parsed.errors.map((e) => {
    const diagnostic: Diagnostic = { ...at(e.start, e.end), severity: "error", rule: "syntax", message: `${e.message}.` };
    const comma = trailingCommaBefore(text, e.start);
    if (comma !== undefined)
      diagnostic.fix = { title: "Remove the trailing comma", edits: [{ line, column: comma, endLine: line, endColumn: comma + 1, newText: "" }] };
    return diagnostic;
  });
  if (diagnostics.length === 0 && !isPlainObject(parsed.value)) {
    const kind = Array.isArray(parsed.value) ? "an array" : parsed.value === null ? "null" : `a ${typeof parsed.value}`;
    const first = text.length - text.trimStart().length;
    diagnostics.push({
      ...at(first, text.trimEnd().length),
      severity: "error",
      rule: "not-object",
      message: `Each row must be a JSON object, this one is ${kind}.`,
    });
  }
  return { parsed, diagnostics };
}
