export type Severity = "error" | "warning" | "info" | "hint";

/** A problem found in a dataset. Lines and columns are 0-based, columns in UTF-16 code units. */
export interface Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  message: string;
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
