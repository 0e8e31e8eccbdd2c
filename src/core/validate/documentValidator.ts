import { dominantFormat, FormatId, formatLabels, withArticle } from "../formats/detect";
import type { Diagnostic, Severity } from "../lint/diagnostic";
import { effectiveSeverity, RuleId } from "../rules/catalog";
import { analyzeRow, RowAnalysis, ValidationOptions } from "./analyzeRow";
import { bandKeys, bandMaps, similarityAtLeast } from "./minhash";

/** The file's format is the majority format among this many first rows, in the editor and the CLI alike. */
export const formatSampleRows = 1000;
export const nearDuplicateThreshold = 0.7;
/** Candidates compared per row: bounds the cost of rows that share boilerplate with many others. */
export const maxNearDuplicateCandidates = 32;
/** Rows kept per LSH bucket; rows past it are still compared with those kept. Bounds time and memory. */
export const maxBucketRows = 1000;

interface Entry {
  line: number;
  text: string;
  analysis: RowAnalysis;
  bands: number[];
  duplicateOf?: Entry;
  nearDuplicateOf?: { entry: Entry; similarity: number };
}

export interface Summary {
  counts: Record<Severity, number>;
  format: FormatId | undefined;
  rows: number;
}

const splitLines = (text: string) => text.split(/\r\n|\r|\n/);

/**
 * Validates a document line by line and keeps the results: an edit re-checks only the lines it
 * touched, and the duplicate indices are updated only where those lines sit.
 */
export class DocumentValidator {
  private entries: Entry[] = [];
  private readonly exact = new Map<number, Entry[]>();
  private readonly buckets = bandMaps<Entry[]>();
  private fileFormat: FormatId | undefined;
  /** The first row of the file's format, where mixed-format diagnostics point. */
  private firstOfFormat: Entry | undefined;
  /** Rows with any finding: publishing walks these, not the whole document. */
  private readonly flagged = new Set<Entry>();
  /** Lines that are not blank, kept as edits come. */
  private rowCount = 0;

  constructor(private options: ValidationOptions = {}) {}

  get format(): FormatId | undefined {
    return this.fileFormat;
  }

  get lineCount(): number {
    return this.entries.length;
  }

  setText(text: string): void {
    this.entries = splitLines(text).map((line, i) => this.newEntry(line, i));
    for (const _ of this.reanalyzeSteps());
  }

  /**
   * setText in slices of about `sliceMs`, yielding to the event loop between them, so opening a
   * 300,000-line file never blocks the extension host for seconds. No edit may be applied before
   * the promise settles.
   */
  async setTextInSlices(text: string, sliceMs = 20): Promise<void> {
    this.entries = splitLines(text).map((line, i) => this.newEntry(line, i));
    let sliceStart = performance.now();
    for (const _ of this.reanalyzeSteps()) {
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  setOptions(options: ValidationOptions): void {
    this.options = options;
    for (const _ of this.reanalyzeSteps());
  }

  /**
   * Applies one edit, as VS Code reports it: the text from (startLine, startColumn) to
   * (endLine, endColumn) is replaced by `text`.
   */
  applyEdit(startLine: number, startColumn: number, endLine: number, endColumn: number, text: string): void {
    const head = this.entries[startLine]?.text.slice(0, startColumn) ?? "";
    const tail = this.entries[endLine]?.text.slice(endColumn) ?? "";
    const lines = splitLines(head + text + tail);
    const added = lines.map((line, i) => this.newEntry(line, startLine + i));
    const removed = this.entries.splice(startLine, endLine - startLine + 1, ...added);
    if (added.length !== removed.length) for (let i = startLine + added.length; i < this.entries.length; i++) this.entries[i].line = i;
    for (const entry of removed) {
      this.unindex(entry);
      this.flagged.delete(entry);
      if (entry.analysis.kind !== "blank") this.rowCount--;
    }

    const before = this.fileFormat;
    if (startLine < formatSampleRows + removed.length) this.fileFormat = this.sampleFormat();
    if (this.fileFormat !== before) {
      for (const _ of this.reanalyzeSteps());
      return;
    }
    for (const entry of added) {
      entry.analysis = analyzeRow(entry.text, entry.line, this.fileFormat, this.options);
      if (entry.analysis.kind !== "blank") this.rowCount++;
      this.index(entry);
    }
    this.refreshDuplicates(this.neighbours([...removed, ...added]));
    for (const entry of added) this.reflag(entry);
    // The row before the file's last line may have become the last one (and lose its blank-line).
    const last = this.entries[this.entries.length - 1];
    if (last) this.reflag(last);
  }

  /** All diagnostics, row-level and cross-row, errors first, each severity by line; at most `limit`. */
  diagnostics(limit = Infinity): Diagnostic[] {
    const bySeverity: Record<Severity, Diagnostic[]> = { error: [], warning: [], info: [], hint: [] };
    const rows = [...this.flagged].sort((a, b) => a.line - b.line);
    for (const entry of rows) for (const d of this.diagnosticsOf(entry)) bySeverity[d.severity].push(d);
    return [...bySeverity.error, ...bySeverity.warning, ...bySeverity.info, ...bySeverity.hint].slice(0, limit);
  }

  /** Diagnostics of one line (row-level and cross-row). */
  diagnosticsAt(line: number): Diagnostic[] {
    const entry = this.entries[line];
    return entry ? this.diagnosticsOf(entry) : [];
  }

  private diagnosticsOf(entry: Entry): Diagnostic[] {
    // The empty "line" after a file's final newline is no blank line.
    if (entry.text === "" && entry.line === this.entries.length - 1) return [];
    return [...entry.analysis.diagnostics.map((d) => atLine(d, entry.line)), ...this.crossRow(entry)];
  }

  summary(): Summary {
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const entry of this.flagged) for (const d of this.diagnosticsOf(entry)) counts[d.severity]++;
    return { counts, format: this.fileFormat, rows: this.rowCount };
  }

  analysisAt(line: number): RowAnalysis | undefined {
    return this.entries[line]?.analysis;
  }

  private newEntry(text: string, line: number): Entry {
    return { line, text, analysis: { kind: "blank", diagnostics: [] }, bands: [] };
  }

  private sampleFormat(): FormatId | undefined {
    if (this.options.format) return this.options.format;
    const counts = new Map<FormatId, number>();
    let seen = 0;
    for (const entry of this.entries) {
      if (seen >= formatSampleRows) break;
      const own = entry.analysis.kind === "row" ? entry.analysis.format : undefined;
      if (entry.analysis.kind !== "blank") seen++;
      if (own) counts.set(own, (counts.get(own) ?? 0) + 1);
    }
    const best = dominantFormat(counts);
    this.firstOfFormat = best ? this.entries.find((e) => e.analysis.kind === "row" && e.analysis.format === best) : undefined;
    return best;
  }

  private reflag(entry: Entry): void {
    const a = entry.analysis;
    const mixed = a.format !== undefined && this.fileFormat !== undefined && a.format !== this.fileFormat;
    const isFinalEmptyLine = entry.text === "" && entry.line === this.entries.length - 1;
    if (this.entries[entry.line] === entry && !isFinalEmptyLine && (a.diagnostics.length > 0 || entry.duplicateOf || entry.nearDuplicateOf || mixed)) this.flagged.add(entry);
    else this.flagged.delete(entry);
  }

  /** Re-analyses every line; yields every 500 lines so a caller may pause between slices. */
  private *reanalyzeSteps(): Generator<void> {
    this.exact.clear();
    this.buckets.forEach((b) => b.clear());
    this.flagged.clear();
    this.rowCount = 0;
    // Rows are first read without a file format (each finds its own), then the majority decides.
    for (const entry of this.entries) {
      entry.analysis = analyzeRow(entry.text, entry.line, undefined, this.options);
      if (entry.analysis.kind !== "blank") this.rowCount++;
      if (entry.line % 500 === 0) yield;
    }
    this.fileFormat = this.sampleFormat();
    for (const entry of this.entries) {
      if (this.fileFormat && entry.analysis.kind === "row" && !entry.analysis.format) {
        entry.analysis = analyzeRow(entry.text, entry.line, this.fileFormat, this.options);
      }
      this.index(entry);
      if (entry.line % 500 === 0) yield;
    }
    for (const entry of this.entries) {
      this.refreshDuplicate(entry);
      this.reflag(entry);
      if (entry.line % 500 === 0) yield;
    }
  }

  private index(entry: Entry): void {
    const { contentKey, signature } = entry.analysis;
    if (contentKey !== undefined) push(this.exact, contentKey, entry);
    entry.bands = signature ? bandKeys(signature) : [];
    entry.bands.forEach((key, band) => push(this.buckets[band], key, entry, maxBucketRows));
  }

  private unindex(entry: Entry): void {
    if (entry.analysis.contentKey !== undefined) pull(this.exact, entry.analysis.contentKey, entry);
    entry.bands.forEach((key, band) => pull(this.buckets[band], key, entry));
  }

  /** The entries whose duplicate status may change when `changed` entries come or go. */
  private neighbours(changed: Entry[]): Set<Entry> {
    const affected = new Set<Entry>();
    for (const entry of changed) {
      if (entry.analysis.contentKey !== undefined) for (const other of this.exact.get(entry.analysis.contentKey) ?? []) affected.add(other);
      entry.bands.forEach((key, band) => this.buckets[band].get(key)?.forEach((other) => affected.add(other)));
    }
    for (const entry of changed) if (this.entries[entry.line] === entry) affected.add(entry);
    return affected;
  }

  private refreshDuplicates(entries: Iterable<Entry>): void {
    for (const entry of entries) {
      this.refreshDuplicate(entry);
      this.reflag(entry);
    }
  }

  private refreshDuplicate(entry: Entry): void {
    entry.duplicateOf = undefined;
    entry.nearDuplicateOf = undefined;
    const key = entry.analysis.contentKey;
    if (key !== undefined) {
      for (const other of this.exact.get(key) ?? []) {
        if (other.line < entry.line && (!entry.duplicateOf || other.line < entry.duplicateOf.line)) entry.duplicateOf = other;
      }
    }
    const signature = entry.analysis.signature;
    if (entry.duplicateOf || !signature) return;
    const compared = new Set<Entry>();
    for (let band = 0; band < entry.bands.length; band++) {
      for (const other of this.buckets[band].get(entry.bands[band]) ?? []) {
        if (compared.size >= maxNearDuplicateCandidates) return;
        if (other.line >= entry.line || compared.has(other)) continue;
        compared.add(other);
        if (other.analysis.contentKey === key) continue;
        const similarity = similarityAtLeast(signature, other.analysis.signature!, nearDuplicateThreshold);
        if (similarity >= 0) {
          entry.nearDuplicateOf = { entry: other, similarity };
          return;
        }
      }
    }
  }

  private crossRow(entry: Entry): Diagnostic[] {
    const found: Diagnostic[] = [];
    const rules = this.options.rules;
    const row = { line: entry.line, column: 0, endLine: entry.line, endColumn: entry.text.length };
    const report = (rule: RuleId, message: string, relatedTo: Entry, relatedMessage: string, withFix: boolean) => {
      const severity = effectiveSeverity(rule, rules);
      if (!severity) return;
      found.push({
        ...row,
        rule,
        severity,
        message,
        related: [{ line: relatedTo.line, column: 0, endLine: relatedTo.line, endColumn: relatedTo.text.length, message: relatedMessage }],
        ...(withFix ? { fix: { title: "Delete this duplicate row", edits: [{ line: entry.line, column: 0, endLine: entry.line + 1, endColumn: 0, newText: "" }] } } : {}),
      });
    };
    if (entry.duplicateOf) {
      report("duplicate-row", `Duplicate of row ${entry.duplicateOf.line + 1}.`, entry.duplicateOf, "First occurrence", true);
    } else if (entry.nearDuplicateOf) {
      const { entry: other, similarity } = entry.nearDuplicateOf;
      report("near-duplicate", `Asks nearly what row ${other.line + 1} asks (estimated Jaccard ${similarity.toFixed(2)} over word 5-grams).`, other, "Similar row", false);
    }
    const own = entry.analysis.format;
    if (own && this.fileFormat && own !== this.fileFormat && !this.options.format) {
      const first = this.firstOfFormat;
      if (first) {
        report(
          "mixed-formats",
          `${formatLabels[own]} row in ${withArticle(formatLabels[this.fileFormat])} file: trainers read one format per dataset.`,
          first,
          `First ${formatLabels[this.fileFormat]} row`,
          false,
        );
      }
    }
    return found;
  }
}

/** A row's diagnostic moved to the row's current line (lines above it may have come or gone). */
function atLine(d: Diagnostic, line: number): Diagnostic {
  const delta = line - d.line;
  if (delta === 0) return d;
  const moved: Diagnostic = { ...d, line, endLine: d.endLine + delta };
  if (d.fix) moved.fix = { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, line: e.line + delta, endLine: e.endLine + delta })) };
  return moved;
}

function push<K>(map: Map<K, Entry[]>, key: K, entry: Entry, limit = Infinity): void {
  const list = map.get(key);
  if (!list) map.set(key, [entry]);
  else if (list.length < limit) list.push(entry);
}

function pull<K>(map: Map<K, Entry[]>, key: K, entry: Entry): void {
  const list = map.get(key);
  if (!list) return;
  const index = list.indexOf(entry);
  if (index !== -1) list.splice(index, 1);
  if (list.length === 0) map.delete(key);
}
