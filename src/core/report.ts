import { formatLabels } from "./formats/detect";
import type { FormatId } from "./formats/formatLabels";
import { Diagnostic, severities, Severity, severityRank } from "./lint/diagnostic";
import { ruleCatalog, RuleId } from "./rules/catalog";

/** Markdown link to a dataset row (`#L12`), which the report page opens in the editor (markdown-it refuses file: links). */
export const rowLink = (line: number, label = String(line)) => `[${label}](#L${line})`;
/** Text for one cell of a Markdown table: its pipes escaped, its line breaks spaces. */
export const tableCell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\s+/g, " ");

export interface ReportInput {
  file: string;
  format: FormatId | undefined;
  rows: number;
  diagnostics: Diagnostic[];
  /** Problems found in all, when `diagnostics` holds only the first of them. */
  total?: number;
  /** A note such as "stopped after 12,000 of 300,000 lines". */
  note?: string;
}

/** A Markdown report of a dataset's problems: counts per rule, then every problem by line, each linked to its row. */
export function formatReport(input: ReportInput): string {
  const bySeverity = new Map<Severity, number>();
  const byRule = new Map<string, { count: number; severity: Severity }>();
  for (const d of input.diagnostics) {
    bySeverity.set(d.severity, (bySeverity.get(d.severity) ?? 0) + 1);
    const entry = byRule.get(d.rule) ?? { count: 0, severity: d.severity };
    entry.count++;
    byRule.set(d.rule, entry);
  }
  const lines = [
    `# Instruct Studio report: ${input.file}`,
    "",
    `- Format: ${input.format ? formatLabels[input.format] : "not instruction data (syntax checked only)"}`,
    `- Rows: ${input.rows.toLocaleString("en-US")}`,
    `- Problems: ${severities.map((s) => `${(bySeverity.get(s) ?? 0).toLocaleString("en-US")} ${s}${s === "error" || s === "warning" ? "s" : ""}`).join(", ")}`,
  ];
  if (input.total !== undefined && input.total > input.diagnostics.length)
    lines.push(`- Listed: the first ${input.diagnostics.length.toLocaleString("en-US")} of ${input.total.toLocaleString("en-US")}`);
  if (input.note) lines.push(`- ${input.note}`);
  lines.push("", "| Rule | Severity | Count | What it checks |", "|---|---|---|---|");
  const rules = [...byRule].sort((a, b) => severityRank[a[1].severity] - severityRank[b[1].severity] || b[1].count - a[1].count);
  for (const [rule, { count, severity }] of rules) {
    lines.push(`| \`${rule}\` | ${severity} | ${count.toLocaleString("en-US")} | ${ruleCatalog[rule as RuleId]?.description ?? ""} |`);
  }
  lines.push("", "## Problems", "", "| Line | Column | Severity | Rule | Message |", "|---:|---:|---|---|---|");
  const sorted = [...input.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  for (const d of sorted) lines.push(`| ${rowLink(d.line + 1)} | ${d.column + 1} | ${d.severity} | \`${d.rule}\` | ${tableCell(d.message)} |`);
  lines.push("");
  return lines.join("\n");
}
