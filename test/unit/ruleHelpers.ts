import { analyzeRow, ValidationOptions } from "../../src/core/validate/analyzeRow";
import type { FormatId } from "../../src/core/formats/formatLabels";
import type { Diagnostic } from "../../src/core/lint/diagnostic";

export function diagnose(row: unknown, options: ValidationOptions & { fileFormat?: FormatId } = {}): Diagnostic[] {
  const line = typeof row === "string" ? row : JSON.stringify(row);
  return analyzeRow(line, 0, options.fileFormat, options).diagnostics;
}

export const rulesOf = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.rule);

export function only(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

/** Applies a fix's edits to one line (all edits are on line 0 here). */
export function applyFix(line: string, diagnostic: Diagnostic): string {
  const edits = [...(diagnostic.fix?.edits ?? [])].sort((a, b) => b.column - a.column);
  let text = line;
  for (const edit of edits) text = text.slice(0, edit.column) + edit.newText + text.slice(edit.endColumn);
  return text;
}
