import type { FormatId } from "../formats/formatLabels";
import { formatLabels, withArticle } from "../formats/detect";
import type { Diagnostic, Span } from "../lint/diagnostic";
import { effectiveSeverity, RuleSettings } from "../rules/catalog";

/** An earlier row a finding points to: its line, and its length where the validator keeps it. */
export interface EarlierRow {
  line: number;
  length?: number;
}

const relatedTo = (row: EarlierRow, message: string) => [{ line: row.line, column: 0, endLine: row.line, endColumn: Math.max(1, row.length ?? 1), message }];

/**
 * The findings that compare a row with others (near duplicates' are in nearDuplicateGroups.ts),
 * worded and fixed the same way by the editor's incremental validator and the streaming one
 * (which keep their indexes differently: the editor's must follow edits, the stream's must stay
 * small over a gigabyte).
 */
export function duplicateRowFinding(row: Span, first: EarlierRow, rules: RuleSettings | undefined): Diagnostic | undefined {
  const severity = effectiveSeverity("duplicate-row", rules);
  if (!severity) return undefined;
  const fix = { title: "Delete this duplicate row", edits: [{ line: row.line, column: 0, endLine: row.line + 1, endColumn: 0, newText: "" }] };
  return { ...row, severity, rule: "duplicate-row", message: `Duplicate of row ${first.line + 1}.`, related: relatedTo(first, "First occurrence"), fix };
}

export function mixedFormatFinding(
  row: Span,
  own: FormatId,
  fileFormat: FormatId,
  firstOfFormat: EarlierRow,
  rules: RuleSettings | undefined,
): Diagnostic | undefined {
  const severity = effectiveSeverity("mixed-formats", rules);
  if (!severity) return undefined;
  const message = `${formatLabels[own]} row in ${withArticle(formatLabels[fileFormat])} file: trainers read one format per dataset.`;
  return { ...row, severity, rule: "mixed-formats", message, related: relatedTo(firstOfFormat, `First ${formatLabels[fileFormat]} row`) };
}
