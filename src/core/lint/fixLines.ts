import type { Diagnostic } from "./diagnostic";

/** The lines the fixes of `diagnostics` edit (an edit ending at column 0 of a line leaves that line alone). */
export function fixLines(diagnostics: readonly Diagnostic[]): number[] {
  const lines: number[] = [];
  for (const d of diagnostics) {
    for (const edit of d.fix?.edits ?? []) {
      const last = edit.endColumn === 0 && edit.endLine > edit.line ? edit.endLine - 1 : edit.endLine;
      for (let line = edit.line; line <= last; line++) lines.push(line);
    }
  }
  return lines;
}
