import type { Diagnostic } from "../lint/diagnostic";
import { ruleCatalog } from "../rules/catalog";
import type { RowAnalysis } from "./analyzeRow";
import type { FormatId } from "../formats/formatLabels";
import { dominantFormat } from "../formats/detect";
import { TrainerTarget, unreadFormatMessage } from "../targets/trainerTarget";

/**
 * Gathers the sampled rows of a file that match no format, to say once (at the first of them)
 * that the file holds no instruction data a trainer reads, with the keys it saw: silence would
 * read as "clean". Used by the editor's validator and the streaming one alike.
 */
export class NoFormatSample {
  private firstRow: { line: number; length: number } | undefined;
  private readonly keys = new Map<string, number>();
  private withFormat = 0;
  private readonly formats = new Map<FormatId, { count: number; line: number; length: number }>();

  add(line: number, length: number, analysis: RowAnalysis): void {
    if (analysis.kind !== "row") return;
    if (analysis.format) {
      this.withFormat++;
      const seen = this.formats.get(analysis.format) ?? { count: 0, line, length };
      seen.count++;
      this.formats.set(analysis.format, seen);
      return;
    }
    this.firstRow ??= { line, length };
    for (const key of analysis.keys ?? []) this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
  }

  /** The finding, when rows were objects and none of them had a format. */
  finding(): Diagnostic | undefined {
    if (!this.firstRow || this.withFormat > 0) return undefined;
    const keys = [...this.keys.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([key]) => key);
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

  /** Said once, at the first row of the file's format, when the chosen trainer does not read that format. */
  targetFinding(target: TrainerTarget | undefined, forced?: FormatId): Diagnostic | undefined {
    if (!target) return undefined;
    const format = forced ?? dominantFormat(new Map([...this.formats].map(([f, seen]) => [f, seen.count])));
    const message = format && unreadFormatMessage(format, target);
    if (!format || !message) return undefined;
    const { line, length } = this.formats.get(format) ?? { line: 0, length: 1 };
    return { line, column: 0, endLine: line, endColumn: Math.max(1, length), severity: ruleCatalog["target-format"].severity, rule: "target-format", message };
  }

  /** What the file says once: no format at all, or one the target does not read. */
  fileFinding(target: TrainerTarget | undefined, forced?: FormatId): Diagnostic | undefined {
    return (forced ? undefined : this.finding()) ?? this.targetFinding(target, forced);
  }
}
