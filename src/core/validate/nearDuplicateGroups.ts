import { Diagnostic, RelatedLocation, Severity, severityRank, Span } from "../lint/diagnostic";
import type { EarlierRow } from "./crossRowFindings";
import { nearDuplicateMessage, NearDuplicateVerdict } from "./nearDuplicates";

/** A row that nearly repeats an earlier one, with the severity its finding has under the user's rules. */
export interface NearDuplicateMember {
  row: Span;
  earlier: EarlierRow;
  verdict: NearDuplicateVerdict;
  severity: Severity;
}

/** Row numbers a group's message lists; its related locations name every member up to `maxRelatedMembers`. */
const listedRows = 8;
/** Related locations of one finding: a templated dataset can put thousands of rows in one group. */
export const maxRelatedMembers = 200;

/** Groups of near-duplicate pairs: each pair's group, and each group's first pairs and size. */
export interface NearDuplicateGrouping {
  groupOf: Int32Array;
  /** In the order of their first rows; `pairs` holds at most the `keep` first of a group's pairs. */
  groups: Array<{ pairs: number[]; size: number }>;
}

/**
 * Groups rows linked by near-duplicate pairs (row `rows[i]` nearly repeats the earlier row
 * `earliers[i]`; `rows` ascending), as dedup pipelines group them before keeping one row of each.
 * Forty ways of asking for the top headlines are one group, so they make one finding, not forty.
 *
 * Each row repeats one earlier row, so the pairs form trees whose roots are rows that repeat none:
 * a row's group is that of the row it repeats, found once in row order (no union-find needed).
 * Memory beyond `groupOf` grows with the groups, not the pairs: a stream's roots are rows of its
 * bounded near-duplicate index.
 */
export function groupNearDuplicatePairs(rows: ArrayLike<number>, earliers: ArrayLike<number>, keep = Infinity): NearDuplicateGrouping {
  const groups: NearDuplicateGrouping["groups"] = [];
  const groupOf = new Int32Array(rows.length);
  const byRoot = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const earlier = earliers[i];
    const j = indexBefore(rows, earlier, i);
    let group = j >= 0 ? groupOf[j] : byRoot.get(earlier);
    if (group === undefined) {
      group = groups.length;
      groups.push({ pairs: [], size: 0 });
      byRoot.set(earlier, group);
    }
    groupOf[i] = group;
    const at = groups[group];
    if (at.size++ < keep) at.pairs.push(i);
  }
  return { groupOf, groups };
}

/** Where `row` is among `rows[0..end)` (ascending), or -1. */
function indexBefore(rows: ArrayLike<number>, row: number, end: number): number {
  let low = 0;
  let high = end;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (rows[middle] < row) low = middle + 1;
    else high = middle;
  }
  return low < end && rows[low] === row ? low : -1;
}

const wholeRow = (row: EarlierRow): Span => ({ line: row.line, column: 0, endLine: row.line, endColumn: Math.max(1, row.length ?? 1) });

/** The more severe of two verdicts: a group's finding has its most severe. */
export function moreSevere(a: Severity, b: Severity): Severity {
  return severityRank[b] < severityRank[a] ? b : a;
}

/**
 * The one finding of a group of near duplicates, on its first member (the earliest row that
 * repeats another; a pair's finding is the same as it always was): it names the row that member
 * repeats, and the group's other members with the row each repeats. `shown` are the group's
 * first members in row order (the first `1 + maxRelatedMembers` are all it reads: a group of
 * 100,000 templated rows is not built whole on every edit); `size` counts them all.
 */
export function nearDuplicateGroupFinding(shown: readonly NearDuplicateMember[], size: number, severity: Severity): Diagnostic {
  const [first, ...others] = shown;
  const related: RelatedLocation[] = [{ ...wholeRow(first.earlier), message: "Similar row" }];
  for (const m of others.slice(0, maxRelatedMembers)) related.push({ ...m.row, message: nearDuplicateMessage(m.earlier.line, m.verdict) });
  const message = nearDuplicateMessage(first.earlier.line, first.verdict);
  return { ...first.row, severity, rule: "near-duplicate", message: size === 1 ? message : `${message} ${othersSentence(others, size - 1)}`, related };
}

function othersSentence(others: readonly NearDuplicateMember[], count: number): string {
  const rows = others.slice(0, listedRows).map((m) => String(m.row.line + 1));
  if (count === 1) return `Row ${rows[0]} belongs to the same group of near duplicates.`;
  const named = count > listedRows ? rows.slice(0, listedRows - 1) : rows.slice(0, count - 1);
  const last = count > listedRows ? `${(count - named.length).toLocaleString("en-US")} other rows` : rows[count - 1];
  return `Rows ${named.join(", ")} and ${last} belong to the same group of near duplicates.`;
}
