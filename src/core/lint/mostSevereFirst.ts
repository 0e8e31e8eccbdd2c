import { Diagnostic, severityRank } from "./diagnostic";

/**
 * The `limit` findings the editor shows of a file with more (VS Code lists at most 1,000): errors
 * first, each severity in file order, as the JSON Lines validator publishes them. A stream gives
 * near duplicates last, so cutting its list in its own order would drop them all on a busy file.
 */
export function mostSevereFirst(findings: readonly Diagnostic[], limit: number): readonly Diagnostic[] {
  if (findings.length <= limit) return findings;
  const order = (a: Diagnostic, b: Diagnostic) => severityRank[a.severity] - severityRank[b.severity] || a.line - b.line || a.column - b.column;
  return [...findings].sort(order).slice(0, limit);
}
