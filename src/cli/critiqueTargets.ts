import { critiqueTarget, CritiqueTarget, SkippedRow } from "../core/batch/critiqueRows";
import { UsageError } from "./usageError";
import { readDataset } from "./readDataset";

export interface LineRange {
  first: number;
  last: number;
}

/** `--lines A-B` (either end may be left out: `A-`, `-B`), or one `N`. */
export function parseLineRange(value: string | undefined): LineRange {
  if (value === undefined) return { first: 1, last: Infinity };
  const match = /^\s*(\d*)\s*(?:-\s*(\d*))?\s*$/.exec(value);
  const first = match?.[1] ? Number(match[1]) : 1;
  const last = match?.[2] !== undefined ? (match[2] ? Number(match[2]) : Infinity) : match?.[1] ? first : NaN;
  if (!match || (!match[1] && !match[2]) || !(first >= 1) || !(last >= first))
    throw new UsageError(`--lines wants A-B with line numbers from 1 and A ≤ B (or A-, -B), not "${value}"`);
  return { first, last };
}

/** The rows of a JSON Lines file to judge, and the lines that are not rows to judge (with why). Blank lines are neither. */
export async function critiqueTargets(file: string, range: LineRange): Promise<{ targets: CritiqueTarget[]; skipped: SkippedRow[] }> {
  const targets: CritiqueTarget[] = [];
  const skipped: SkippedRow[] = [];
  for await (const line of readDataset(file)) {
    if (line.lineNumber < range.first) continue;
    if (line.lineNumber > range.last) break;
    if (line.tooLong) {
      skipped.push({ line: line.lineNumber, reason: "longer than the CLI reads (16 MB)" });
      continue;
    }
    if (!line.text.trim()) continue;
    const target = critiqueTarget(line.lineNumber, line.text);
    if ("reason" in target) skipped.push(target);
    else targets.push(target);
  }
  return { targets, skipped };
}
