export type Severity = "error" | "warning" | "info" | "hint";

/** Errors first, then warnings, information and hints: the order problems are counted and shown in. */
export const severities: readonly Severity[] = ["error", "warning", "info", "hint"];
/** A severity's place in `severities` (0: error). */
export const severityRank = Object.fromEntries(severities.map((s, i) => [s, i])) as Record<Severity, number>;

/** Lines and columns are 0-based, columns in UTF-16 code units (as VS Code counts them). */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface TextEdit extends Span {
  newText: string;
}

/** A quick fix, computed with the diagnostic so the editor and any other client apply the same edit. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation extends Span {
  message: string;
}

/** A problem found in a dataset. */
export interface Diagnostic extends Span {
  severity: Severity;
  rule: string;
  message: string;
  related?: RelatedLocation[];
  fix?: Fix;
}
