import { widened } from "./typedArrays";
import { Diagnostic, severities, Severity, severityRank } from "../lint/diagnostic";
import type { NearDuplicateVerdict } from "./nearDuplicates";
import { groupNearDuplicatePairs, maxRelatedMembers, NearDuplicateMember, nearDuplicateGroupFinding } from "./nearDuplicateGroups";

const answers: Array<NearDuplicateVerdict["answer"]> = [undefined, "same", "close"];

/**
 * The near-duplicate pairs a stream finds, kept until the last row is read (a group is known
 * only then), then grouped. A gigabyte of templated rows may hold millions of pairs: they are
 * kept in typed arrays, outside the CLI's capped heap, at 25 bytes a pair.
 */
export class NearDuplicatePairs {
  private rows = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private earliers = new Int32Array(1024);
  private earlierLengths = new Int32Array(1024);
  private similarities = new Float64Array(1024);
  /** Severity, answer and measure in one byte. */
  private codes = new Uint8Array(1024);
  private count = 0;

  /** Row `row` (added in row order) nearly repeats the earlier row `earlier`. */
  add(row: number, length: number, earlier: number, earlierLength: number, verdict: NearDuplicateVerdict, severity: Severity): void {
    if (this.count === this.rows.length) this.grow();
    const i = this.count++;
    this.rows[i] = row;
    this.lengths[i] = length;
    this.earliers[i] = earlier;
    this.earlierLengths[i] = earlierLength;
    this.similarities[i] = verdict.similarity;
    this.codes[i] = severityRank[severity] * 8 + answers.indexOf(verdict.answer) * 2 + (verdict.measure === "rouge-l" ? 1 : 0);
  }

  /** One finding per group of rows the pairs link, in the order of the groups' first rows. */
  *findings(): Generator<Diagnostic> {
    const { groupOf, groups } = groupNearDuplicatePairs(this.rows.subarray(0, this.count), this.earliers.subarray(0, this.count), 1 + maxRelatedMembers);
    // The most severe verdict of each group, as a rank (0 is error).
    const ranks = new Uint8Array(groups.length).fill(severities.length);
    for (let i = 0; i < this.count; i++) ranks[groupOf[i]] = Math.min(ranks[groupOf[i]], this.codes[i] >> 3);
    for (let g = 0; g < groups.length; g++) {
      yield nearDuplicateGroupFinding(
        groups[g].pairs.map((i) => this.member(i)),
        groups[g].size,
        severities[ranks[g]],
      );
    }
  }

  private grow(): void {
    this.rows = widened(this.rows);
    this.lengths = widened(this.lengths);
    this.earliers = widened(this.earliers);
    this.earlierLengths = widened(this.earlierLengths);
    this.similarities = widened(this.similarities);
    this.codes = widened(this.codes);
  }

  private member(i: number): NearDuplicateMember {
    const code = this.codes[i];
    const severity = severities[code >> 3];
    const verdict: NearDuplicateVerdict = { severity, similarity: this.similarities[i], answer: answers[(code >> 1) & 3] };
    if (code & 1) verdict.measure = "rouge-l";
    const row = this.rows[i];
    return {
      row: { line: row, column: 0, endLine: row, endColumn: this.lengths[i] },
      earlier: { line: this.earliers[i], length: this.earlierLengths[i] },
      verdict,
      severity,
    };
  }
}
