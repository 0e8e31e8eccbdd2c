import type { Diagnostic, Severity } from "../lint/diagnostic";
import type { NearDuplicateVerdict } from "./nearDuplicates";
import { groupNearDuplicatePairs, maxRelatedMembers, mostSevere, NearDuplicateMember, nearDuplicateGroupFinding } from "./nearDuplicateGroups";

const severities: Severity[] = ["error", "warning", "info", "hint"];
const answers: Array<NearDuplicateVerdict["answer"]> = [undefined, "same", "close"];

/**
 * The near-duplicate pairs a stream finds, kept as numbers until the last row is read (a gigabyte
 * may hold millions: objects with a message each would be ten times the memory), then grouped.
 */
export class NearDuplicatePairs {
  private readonly rows: number[] = [];
  private readonly lengths: number[] = [];
  private readonly earliers: number[] = [];
  private readonly earlierLengths: number[] = [];
  private readonly similarities: number[] = [];
  /** Severity, answer and measure in one number. */
  private readonly codes: number[] = [];

  /** Row `row` (added in row order) nearly repeats the earlier row `earlier`. */
  add(row: number, length: number, earlier: number, earlierLength: number, verdict: NearDuplicateVerdict, severity: Severity): void {
    this.rows.push(row);
    this.lengths.push(length);
    this.earliers.push(earlier);
    this.earlierLengths.push(earlierLength);
    this.similarities.push(verdict.similarity);
    const measure = verdict.measure === "rouge-l" ? 1 : 0;
    this.codes.push(severities.indexOf(severity) * 8 + answers.indexOf(verdict.answer) * 2 + measure);
  }

  /** One finding per group of rows the pairs link, in the order of the groups' first rows. */
  findings(): Diagnostic[] {
    return groupNearDuplicatePairs(this.rows, this.earliers).map((group) =>
      nearDuplicateGroupFinding(
        group.slice(0, 1 + maxRelatedMembers).map((i) => this.member(i)),
        group.length,
        mostSevere(group.map((i) => severities[this.codes[i] >> 3])),
      ),
    );
  }

  private member(i: number): NearDuplicateMember {
    const code = this.codes[i];
    const verdict: NearDuplicateVerdict = { severity: severities[code >> 3], similarity: this.similarities[i], answer: answers[(code >> 1) & 3] };
    if (code & 1) verdict.measure = "rouge-l";
    const row = this.rows[i];
    return {
      row: { line: row, column: 0, endLine: row, endColumn: this.lengths[i] },
      earlier: { line: this.earliers[i], length: this.earlierLengths[i] },
      verdict,
      severity: severities[code >> 3],
    };
  }
}
