import { dominantFormat } from "../formats/detect";
import type { FormatId } from "../formats/formatLabels";
import { splitLines } from "../jsonl/lineReader";
import { NoFormatSample } from "./noFormat";
import { Diagnostic, Severity, severities } from "../lint/diagnostic";
import { analyzeRow, applyRuleSettings, RowAnalysis, ValidationOptions } from "./analyzeRow";
import { encodingFinding, isTooLong, tooLongFinding } from "./lineChecks";
import { duplicateRowFinding, mixedFormatFinding } from "./crossRowFindings";
import { DocumentDuplicates, IndexedRow } from "./documentDuplicates";
import { groupNearDuplicatePairs, maxRelatedMembers, moreSevere, nearDuplicateGroupFinding, NearDuplicateMember } from "./nearDuplicateGroups";
import { nearDuplicateMessage, nearDuplicateSeverity } from "./nearDuplicates";

/** The file's format is the majority format among this many first rows, in the editor and the CLI alike. */
export const formatSampleRows = 1000;
export { maxBucketRows, maxNearDuplicateCandidates, nearDuplicateThreshold } from "./documentDuplicates";

interface Entry extends IndexedRow {
  text: string;
  /** Counts of the row's diagnostics by severity while it has any (it is then "flagged"). */
  counts?: Record<Severity, number>;
  /** Rules of its diagnostics that come with a fix, one per diagnostic. */
  fixable?: string[];
}

/** A row's place in a group of near duplicates, for the hover (only the group's first repeating row has a finding). */
export interface NearDuplicateMembership {
  /** What the row nearly repeats; absent for the row the group repeats, which repeats none. */
  repeats?: string;
  /** The row with the group's finding. */
  findingLine: number;
  /** Rows in the group, the one it repeats included. */
  rows: number;
}

const zeroCounts = (): Record<Severity, number> => ({ error: 0, warning: 0, info: 0, hint: 0 });

export interface Summary {
  counts: Record<Severity, number>;
  format: FormatId | undefined;
  rows: number;
}

/**
 * Validates a document line by line and keeps the results: an edit re-checks only the lines it
 * touched, and the duplicate indices are updated only where those lines sit.
 */
export class DocumentValidator {
  private entries: Entry[] = [];
  private readonly duplicates = new DocumentDuplicates<Entry>();
  private fileFormat: FormatId | undefined;
  /** The first row of the file's format, where mixed-format diagnostics point. */
  private firstOfFormat: Entry | undefined;
  /** Diagnostics by severity over the whole document, kept as rows are (re)flagged. */
  private totals = zeroCounts();
  /** Findings about the file on disk (its encoding, its line endings), which no line's text shows. */
  /** Diagnostics with a fix, by rule: "Fix all N" needs the count on every code action request. */
  private readonly fixableTotals = new Map<string, number>();
  /** Rows with any diagnostic (counts set): few in most files, so publishing walks them, not every line. */
  private readonly flagged = new Set<Entry>();
  private fileFindingsRaw: Diagnostic[] = [];
  /** The file matches no format (from the sampled rows), said once. */
  private noFormatRaw: Diagnostic | undefined;
  private fileFindings: Diagnostic[] = [];
  /** Lines that are not blank, kept as edits come. */
  private rowCount = 0;
  /** Rows that nearly repeat an earlier row. */
  private readonly nearMembers = new Set<Entry>();
  /**
   * Groups of near duplicates by the row they repeat (each group has one: the root its rows lead
   * to); a group's first member carries its one finding.
   */
  private readonly nearGroups = new Map<Entry, { members: Entry[]; severity: Severity }>();
  /** A row joined, left or changed in a group since the groups were made. */
  private groupsStale = false;

  constructor(private options: ValidationOptions = {}) {}

  get format(): FormatId | undefined {
    return this.fileFormat;
  }

  get lineCount(): number {
    return this.entries.length;
  }

  /** Sets the findings about the file on disk; they count and publish with the rows'. */
  setFileFindings(findings: Diagnostic[]): void {
    this.fileFindingsRaw = findings;
    this.refreshFileFindings();
  }

  private refreshFileFindings(): void {
    for (const d of this.fileFindings) this.totals[d.severity]--;
    this.fileFindings = applyRuleSettings(this.noFormatRaw ? [...this.fileFindingsRaw, this.noFormatRaw] : this.fileFindingsRaw, this.options.rules);
    for (const d of this.fileFindings) this.totals[d.severity]++;
  }

  /** The text of a line as the validator holds it: callers check it against the live document. */
  lineText(line: number): string | undefined {
    return this.entries[line]?.text;
  }

  setText(text: string): void {
    this.entries = splitLines(text).map((line, i) => this.newEntry(line, i));
    for (const _ of this.reanalyzeSteps());
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
    if (startLine < 0 || endLine >= this.entries.length || startLine > endLine || (startLine === endLine && startColumn > endColumn)) {
      throw new RangeError(`Edit ${startLine}:${startColumn}-${endLine}:${endColumn} is outside the validator's ${this.entries.length} lines`);
    }
    const head = this.entries[startLine].text.slice(0, startColumn);
    const tail = this.entries[endLine].text.slice(endColumn);
    const lines = splitLines(head + text + tail);
    const added = lines.map((line, i) => this.newEntry(line, startLine + i));
    const removed = this.entries.splice(startLine, endLine - startLine + 1, ...added);
    if (added.length !== removed.length) for (let i = startLine + added.length; i < this.entries.length; i++) this.entries[i].line = i;
    // The first row of each duplicate group touched, before and after: only those change status.
    const affected = new Set<Entry>();
    const noteFirst = (entry: Entry) => {
      const first = entry.group?.first() as Entry | undefined;
      if (first) affected.add(first);
    };
    for (const entry of removed) {
      noteFirst(entry);
      if (this.nearMembers.delete(entry)) this.groupsStale = true;
      this.duplicates.remove(entry);
      this.unflag(entry);
      if (entry.analysis.kind !== "blank") this.rowCount--;
      noteFirst(entry);
    }

    for (const entry of added) entry.analysis = this.analyze(entry, this.fileFormat);
    const before = this.fileFormat;
    if (startLine < formatSampleRows + removed.length) this.fileFormat = this.sampleFormat();
    if (this.fileFormat !== before) {
      for (const _ of this.reanalyzeSteps());
      return;
    }
    for (const entry of added) {
      if (entry.analysis.kind !== "blank") this.rowCount++;
      const joined = this.duplicates.firstWithContent(entry.analysis.contentKey);
      if (joined) affected.add(joined);
      this.duplicates.add(entry);
      noteFirst(entry);
    }
    for (const entry of this.duplicates.neighbours([...removed, ...added])) {
      // An exact duplicate stays one whatever its bucket neighbours do (group firsts are in `affected` already).
      if (this.duplicates.duplicateOf(entry) && !entry.nearDuplicateOf) continue;
      affected.add(entry);
    }
    for (const entry of added) affected.add(entry);
    const live = [...affected].filter((entry) => this.entries[entry.line] === entry);
    for (const entry of live) this.refreshNear(entry);
    // Groups first: a row's findings are counted against the groups as they now are.
    if (this.groupsStale) this.regroup();
    for (const entry of live) this.reflag(entry);
    // The row before the file's last line may have become the last one (and lose its blank-line).
    const last = this.entries[this.entries.length - 1];
    if (last) this.reflag(last);
  }

  /** All diagnostics, row-level and cross-row, errors first, each severity by line; at most `limit`. */
  diagnostics(limit = Infinity): Diagnostic[] {
    const found: Diagnostic[] = [];
    // Rows are walked once per severity, and only flagged rows of that severity build diagnostics:
    // a file of 100,000 duplicates builds `limit` of them, not 100,000.
    // Flagged rows in line order: sorted when they are few, else the lines walked in order.
    const rows = this.flagged.size * 8 < this.entries.length ? [...this.flagged].sort((a, b) => a.line - b.line) : this.entries;
    for (const severity of severities) {
      if (this.totals[severity] === 0) continue;
      for (const d of this.fileFindings) if (d.severity === severity && found.length < limit) found.push(d);
      for (const entry of rows) {
        if (found.length >= limit) return found;
        if (!entry.counts?.[severity]) continue;
        for (const d of this.diagnosticsOf(entry)) if (d.severity === severity && found.length < limit) found.push(d);
      }
    }
    return found;
  }

  /** Diagnostics of one line (row-level and cross-row). */
  diagnosticsAt(line: number): Diagnostic[] {
    const entry = this.entries[line];
    return [...this.fileFindings.filter((d) => d.line === line), ...(entry ? this.diagnosticsOf(entry) : [])];
  }

  private diagnosticsOf(entry: Entry): Diagnostic[] {
    // The empty "line" after a file's final newline is no blank line.
    if (entry.text === "" && entry.line === this.entries.length - 1) return [];
    return [...entry.analysis.diagnostics.map((d) => atLine(d, entry.line)), ...this.crossRow(entry)];
  }

  /** How many diagnostics of `rule` come with a fix, without building them. */
  fixableCount(rule: string): number {
    return this.fixableTotals.get(rule) ?? 0;
  }

  /** Every diagnostic of `rule` with a fix, in line order. */
  fixable(rule: string): Diagnostic[] {
    const found: Diagnostic[] = [];
    for (const entry of this.entries) if (entry.fixable?.includes(rule)) for (const d of this.diagnosticsOf(entry)) if (d.rule === rule && d.fix) found.push(d);
    return found;
  }

  summary(): Summary {
    return { counts: { ...this.totals }, format: this.fileFormat, rows: this.rowCount };
  }

  private newEntry(text: string, line: number): Entry {
    return { line, text, analysis: { kind: "blank", diagnostics: [] }, bands: [] };
  }

  /** analyzeRow plus the checks of the line as bytes, which the CLI's reader makes while reading. */
  private analyze(entry: Entry, format: FormatId | undefined): RowAnalysis {
    const tooLong = isTooLong(entry.text);
    if (tooLong !== undefined) return { kind: "invalid", diagnostics: applyRuleSettings([tooLongFinding(entry.line, tooLong)], this.options.rules) };
    const analysis = analyzeRow(entry.text, entry.line, format, this.options);
    const encoding = encodingFinding(entry.line, entry.text, false);
    if (encoding) analysis.diagnostics = [...applyRuleSettings([encoding], this.options.rules), ...analysis.diagnostics];
    return analysis;
  }

  private sampleFormat(): FormatId | undefined {
    if (this.options.format) {
      this.noFormatRaw = new NoFormatSample().fileFinding(this.options.target, this.options.format);
      this.refreshFileFindings();
      return this.options.format;
    }
    const counts = new Map<FormatId, number>();
    const noFormat = new NoFormatSample();
    let seen = 0;
    for (const entry of this.entries) {
      if (seen >= formatSampleRows) break;
      const own = entry.analysis.kind === "row" ? entry.analysis.format : undefined;
      if (entry.analysis.kind !== "blank") seen++;
      if (own) counts.set(own, (counts.get(own) ?? 0) + 1);
      noFormat.add(entry.line, entry.text.length, entry.analysis);
    }
    this.noFormatRaw = noFormat.fileFinding(this.options.target);
    this.refreshFileFindings();
    const best = dominantFormat(counts);
    this.firstOfFormat = best ? this.entries.find((e) => e.analysis.kind === "row" && e.analysis.format === best) : undefined;
    return best;
  }

  /** Recounts a row's diagnostics after anything that decides them changed. */
  private reflag(entry: Entry): void {
    this.unflag(entry);
    if (this.entries[entry.line] !== entry) return;
    const diagnostics = this.diagnosticsOf(entry);
    if (diagnostics.length === 0) return;
    entry.counts = zeroCounts();
    this.flagged.add(entry);
    for (const d of diagnostics) entry.counts[d.severity]++;
    const fixable = diagnostics.filter((d) => d.fix).map((d) => d.rule);
    if (fixable.length) entry.fixable = fixable;
    for (const rule of fixable) this.fixableTotals.set(rule, (this.fixableTotals.get(rule) ?? 0) + 1);
    for (const severity of severities) this.totals[severity] += entry.counts[severity];
  }

  private unflag(entry: Entry): void {
    if (!entry.counts) return;
    for (const severity of severities) this.totals[severity] -= entry.counts[severity];
    entry.counts = undefined;
    this.flagged.delete(entry);
    for (const rule of entry.fixable ?? []) this.fixableTotals.set(rule, this.fixableTotals.get(rule)! - 1);
    entry.fixable = undefined;
  }

  /** Re-analyses every line; yields every 500 lines so a caller may pause between slices. */
  private *reanalyzeSteps(): Generator<void> {
    this.duplicates.clear();
    this.totals = zeroCounts();
    this.flagged.clear();
    this.fixableTotals.clear();
    this.rowCount = 0;
    this.nearMembers.clear();
    this.nearGroups.clear();
    this.fileFindings = [];
    this.setFileFindings(this.fileFindingsRaw);
    // Rows are first read without a file format (each finds its own), then the majority decides.
    for (const entry of this.entries) {
      entry.counts = undefined;
      entry.fixable = undefined;
      entry.group = undefined;
      entry.analysis = this.analyze(entry, undefined);
      if (entry.analysis.kind !== "blank") this.rowCount++;
      if (entry.line % 500 === 0) yield;
    }
    this.fileFormat = this.sampleFormat();
    for (const entry of this.entries) {
      if (this.fileFormat && entry.analysis.kind === "row" && !entry.analysis.format) {
        entry.analysis = this.analyze(entry, this.fileFormat);
      }
      this.duplicates.add(entry);
      if (entry.line % 500 === 0) yield;
    }
    for (const entry of this.entries) {
      this.refreshNear(entry);
      this.reflag(entry);
      if (entry.line % 500 === 0) yield;
    }
    this.regroup();
  }

  /** Finds the row's nearest earlier near duplicate again, noting whether the groups change. */
  private refreshNear(entry: Entry): void {
    const was = entry.nearDuplicateOf;
    this.duplicates.refresh(entry);
    if (entry.nearDuplicateOf) this.nearMembers.add(entry);
    else this.nearMembers.delete(entry);
    if (was || entry.nearDuplicateOf) this.groupsStale = true;
  }

  /**
   * Groups the rows that nearly repeat others, and recounts the findings of the groups' first
   * rows, before and after (only they carry one). Done when a row joins, leaves or changes in a group.
   */
  private regroup(): void {
    this.groupsStale = false;
    const rules = this.options.rules;
    const inGroup = (e: Entry) => this.repeatsInGroup(e);
    // In line order: sorted when they are few, else the lines walked in order (a templated file's rows are most of them).
    const members =
      this.nearMembers.size * 8 < this.entries.length ? [...this.nearMembers].filter(inGroup).sort((a, b) => a.line - b.line) : this.entries.filter(inGroup);
    const before = [...this.nearGroups.values()].map((group) => group.members[0]);
    this.nearGroups.clear();
    const lines = new Int32Array(members.length);
    const earliers = new Int32Array(members.length);
    for (let i = 0; i < members.length; i++) {
      lines[i] = members[i].line;
      earliers[i] = members[i].nearDuplicateOf!.entry.line;
    }
    for (const { pairs } of groupNearDuplicatePairs(lines, earliers).groups) {
      const entries = pairs.map((i) => members[i]);
      let severity: Severity = "hint";
      for (const e of entries) severity = moreSevere(severity, nearDuplicateSeverity(e.nearDuplicateOf!.verdict, rules)!);
      this.nearGroups.set(entries[0].nearDuplicateOf!.entry as Entry, { members: entries, severity });
    }
    for (const first of before) this.reflag(first);
    for (const { members } of this.nearGroups.values()) this.reflag(members[0]);
  }

  /** The row's place in a group of near duplicates, if it is in one. */
  nearDuplicateAt(line: number): NearDuplicateMembership | undefined {
    const entry = this.entries[line];
    if (!entry || this.nearGroups.size === 0) return undefined;
    // The row its group repeats: the first, following what each row repeats, that repeats none in a group.
    let root = entry;
    while (this.repeatsInGroup(root)) root = root.nearDuplicateOf!.entry as Entry;
    const group = this.nearGroups.get(root);
    if (!group) return undefined;
    const near = root === entry ? undefined : entry.nearDuplicateOf;
    return {
      repeats: near && nearDuplicateMessage(near.entry.line, near.verdict),
      findingLine: group.members[0].line,
      rows: group.members.length + 1,
    };
  }

  /** Whether the row repeats an earlier one in a group: it is live and the rule is on. */
  private repeatsInGroup(entry: Entry): boolean {
    const near = entry.nearDuplicateOf;
    return near !== undefined && this.entries[entry.line] === entry && nearDuplicateSeverity(near.verdict, this.options.rules) !== undefined;
  }

  private nearMember(entry: Entry): NearDuplicateMember {
    const { entry: earlier, verdict } = entry.nearDuplicateOf!;
    return {
      row: { line: entry.line, column: 0, endLine: entry.line, endColumn: entry.text.length },
      earlier: { line: earlier.line, length: (earlier as Entry).text.length },
      verdict,
      severity: nearDuplicateSeverity(verdict, this.options.rules)!,
    };
  }

  private crossRow(entry: Entry): Diagnostic[] {
    const rules = this.options.rules;
    const row = { line: entry.line, column: 0, endLine: entry.line, endColumn: entry.text.length };
    const earlier = (other: Entry) => ({ line: other.line, length: other.text.length });
    const found: Array<Diagnostic | undefined> = [];
    const duplicateOf = this.duplicates.duplicateOf(entry);
    if (duplicateOf) found.push(duplicateRowFinding(row, earlier(duplicateOf), rules));
    else {
      // A group's first member repeats its root directly (a row between them would come first).
      const group = entry.nearDuplicateOf && this.nearGroups.get(entry.nearDuplicateOf.entry as Entry);
      if (group?.members[0] === entry) {
        const shown = group.members.slice(0, 1 + maxRelatedMembers).map((member) => this.nearMember(member));
        found.push(nearDuplicateGroupFinding(shown, group.members.length, group.severity));
      }
    }
    const own = entry.analysis.format;
    if (own && this.fileFormat && own !== this.fileFormat && !this.options.format && this.firstOfFormat)
      found.push(mixedFormatFinding(row, own, this.fileFormat, earlier(this.firstOfFormat), rules));
    return found.filter((d): d is Diagnostic => d !== undefined);
  }
}

/** A row's diagnostic moved to the row's current line (lines above it may have come or gone). */
function atLine(d: Diagnostic, line: number): Diagnostic {
  const delta = line - d.line;
  if (delta === 0) return d;
  const moved: Diagnostic = { ...d, line, endLine: d.endLine + delta };
  if (d.fix) moved.fix = { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, line: e.line + delta, endLine: e.endLine + delta })) };
  if (d.related) moved.related = d.related.map((r) => ({ ...r, line: r.line + delta, endLine: r.endLine + delta }));
  return moved;
}
