import type { Diagnostic } from "../lint/diagnostic";
import { ruleCatalog } from "../rules/catalog";
import type { RowAnalysis } from "./analyzeRow";

/**
 * Gathers the sampled rows of a file that match no format, to say once (at the first of them)
 * that the file holds no instruction data a trainer reads, with the keys it saw: silence would
 * read as "clean". Used by the editor's validator and the streaming one alike.
 */
export class NoFormatSample {
  private firstRow: { line: number; length: number } | undefined;
  private readonly keys = new Map<string, number>();
  private withFormat = 0;

  add(line: number, length: number, analysis: RowAnalysis): void {
    if (analysis.kind !== "row") return;
    if (analysis.format) {
      this.withFormat++;
      return;
    }
    this.firstRow ??= { line, length };
    for (const key of analysis.keys ?? []) this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
  }

  /** The finding, when rows were objects and none of them had a format. */
  finding(): Diagnostic | undefined {
    if (!this.firstRow || this.withFormat > 0) return undefined;
    const keys = [...this.keys.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([key]) => key);
    const { line, length } = this.firstRow;
    return {
      line,
      column: 0,
      endLine: line,
      endColumn: Math.max(1, length),
      severity: ruleCatalog["no-instruction-format"].severity,
      rule: "no-instruction-format",
      message: `No row matches an instruction format (keys seen: ${keys.join(", ") || "none"}), so no rule checks them. If this is a dataset, set instructStudio.format (lint: --config with the dataset's type) to read it as one.`,
    };
  }
}
