import type { Severity } from "../lint/diagnostic";
import { effectiveSeverity, RuleSettings } from "../rules/catalog";
import { rougeL } from "../generation/rougeL";
import { answerBand, similarityAtLeast } from "./minhash";
import { noSignature, RowSketch, sketchHeader as header, sketchSlot as slot } from "./rowSides";

export const closeFieldThreshold = 0.7;
/** Prompt similarity from which rows with the same answer are a warning, not an info. */
export const veryCloseThreshold = 0.9;
/** Self-Instruct's threshold: a new instruction with ROUGE-L above it against any other is dropped. */
export const shortPromptRougeThreshold = 0.7;

const segmentCount = (sketch: RowSketch) => sketch[0];
const answerSlot = (sketch: RowSketch) => header + segmentCount(sketch) * slot;

function slotsClose(a: RowSketch, b: RowSketch, at: number, bt: number): boolean {
  if (a[at] === b[bt]) return true;
  if (a[at + 1] === noSignature || b[bt + 1] === noSignature) return false;
  return similarityAtLeast(a.subarray(at + 1, at + slot), b.subarray(bt + 1, bt + slot), closeFieldThreshold) >= 0;
}

/**
 * Whether two prompts differ little where they differ: the segments both have (a tool preamble,
 * a shared passage, a system prompt, the same instruction) are set aside, and each remaining
 * segment must be close to a remaining one of the other row. Text many rows share thus never
 * makes their different questions alike.
 */
function promptsClose(a: RowSketch, b: RowSketch): boolean {
  const count = segmentCount(a);
  if (count !== segmentCount(b)) return false;
  const used = new Uint8Array(count);
  const pending: number[] = [];
  for (let i = 0; i < count; i++) {
    const hash = a[header + i * slot];
    let j = 0;
    while (j < count && (used[j] || b[header + j * slot] !== hash)) j++;
    if (j < count) used[j] = 1;
    else pending.push(i);
  }
  for (const i of pending) {
    let j = 0;
    while (j < count && (used[j] || !slotsClose(a, b, header + i * slot, header + j * slot))) j++;
    if (j === count) return false;
    used[j] = 1;
  }
  return true;
}

export interface NearDuplicateVerdict {
  /** The severity when the user has not set the rule's: warning for very close rows with the same answer. */
  severity: Severity;
  similarity: number;
  answer?: "same" | "close";
  /** How `similarity` was measured: estimated Jaccard over word 5-grams (the default), or ROUGE-L of short prompts. */
  measure?: "rouge-l";
}

/**
 * Whether a row whose prompt side is close to an earlier row's (by the LSH search) is a near
 * duplicate. Text shared by many rows (a tool preamble, a passage several questions ask about)
 * makes prompts close without making rows alike, so the rows must also differ little where they
 * differ: their remaining segments close (the question too), or a close answer of five words or
 * more (identical one-word answers prove nothing). Prompts whose numbers differ ask other
 * questions. Used by the editor's and the streaming validators alike.
 */
export function judgeNearDuplicate(row: RowSketch, earlier: RowSketch, promptSimilarity: number): NearDuplicateVerdict | undefined {
  // "The square root of 64" and "of 564", the Nobel prize of 2010 and of 2021: other questions.
  if (row[1] !== earlier[1]) return undefined;
  const rowAnswer = answerSlot(row);
  const earlierAnswer = answerSlot(earlier);
  const questionsClose = promptsClose(row, earlier);
  const sameAnswer = row[rowAnswer] === earlier[earlierAnswer];
  const answersClose = row[rowAnswer + 1] !== noSignature && slotsClose(row, earlier, rowAnswer, earlierAnswer);
  if (!questionsClose && !answersClose) return undefined;
  const veryClose = promptSimilarity >= veryCloseThreshold && sameAnswer;
  return { severity: veryClose ? "warning" : "info", similarity: promptSimilarity, answer: sameAnswer ? "same" : answersClose ? "close" : undefined };
}

/**
 * Two rows with the same answer whose short prompts Self-Instruct's filter would call copies
 * (ROUGE-L over words above 0.7): "Translate the sentence into French." and "Translate this
 * sentence into French." share too few word 5-grams for the MinHash search to see them. Prompts
 * whose numbers differ (`numbersEqual` false) ask other questions.
 */
export function judgeShortPrompts(row: Uint32Array, earlier: Uint32Array, numbersEqual: boolean): NearDuplicateVerdict | undefined {
  // ROUGE-L's F-measure is at most 2·min/(a+b): most pairs are ruled out before the table.
  if (!numbersEqual || (2 * Math.min(row.length, earlier.length)) / (row.length + earlier.length) <= shortPromptRougeThreshold) return undefined;
  const score = rougeL(row, earlier);
  return score > shortPromptRougeThreshold ? { severity: "warning", similarity: score, answer: "same", measure: "rouge-l" } : undefined;
}

export function nearDuplicateMessage(earlierLine: number, verdict: NearDuplicateVerdict): string {
  const answer = verdict.answer === "same" ? ", with the same answer" : verdict.answer === "close" ? ", with a close answer" : "";
  const measure =
    verdict.measure === "rouge-l"
      ? `ROUGE-L ${verdict.similarity.toFixed(2)} over words`
      : `estimated Jaccard ${verdict.similarity.toFixed(2)} over word 5-grams`;
  return `Asks nearly what row ${earlierLine + 1} asks (${measure})${answer}.`;
}

/** The verdict's severity, unless the user set the rule's own (or turned it off: undefined). */
export function nearDuplicateSeverity(verdict: NearDuplicateVerdict, rules: RuleSettings | undefined): Severity | undefined {
  return rules?.["near-duplicate"] !== undefined ? effectiveSeverity("near-duplicate", rules) : verdict.severity;
}

const searchOrder = [answerBand, ...Array.from({ length: answerBand }, (_, band) => band)];

/** What the search needs of a row. */
export interface Candidate {
  signature?: Uint32Array;
  sketch: RowSketch;
  contentKey?: number;
  shortPrompt?: Uint32Array;
  answerKey?: number;
}

/**
 * The nearest earlier row a row nearly duplicates, searched the same way by the editor's and the
 * streaming validators: bands in order (the band of short prompts with the same answer, then the
 * LSH bands of the prompt's signature), each bucket's rows in line order, at most
 * `maxCandidates` compared; the first that passes the judge wins. Exact duplicates (same
 * content key) are left to the duplicate-row rule. `candidate` answers undefined for a row to
 * skip (a later row, in the editor).
 */
export function findNearDuplicate<T>(
  row: Candidate & { bands: readonly number[] },
  bucket: (band: number, key: number) => readonly T[] | undefined,
  candidate: (other: T) => Candidate | undefined,
  threshold: number,
  maxCandidates: number,
): { match: T; verdict: NearDuplicateVerdict } | undefined {
  // At most `maxCandidates` rows: a list is cheaper than a set.
  const compared: T[] = [];
  let count = 0;
  // The answer band first: same answer and a copied short prompt is the more telling verdict.
  // Indexed loops: an iterator a band was most of what the search allocated.
  for (let b = 0; b < searchOrder.length; b++) {
    const band = searchOrder[b];
    if (band >= row.bands.length || row.bands[band] === -1) continue;
    // The answer band measures otherwise: a row it ruled out is compared again in the LSH bands.
    if (band === 0 && compared.length !== 0) compared.length = 0;
    const rows = bucket(band, row.bands[band]);
    for (let i = 0; rows !== undefined && i < rows.length; i++) {
      const other = rows[i];
      if (count >= maxCandidates) return undefined;
      if (compared.includes(other)) continue;
      const earlier = candidate(other);
      if (!earlier) continue;
      compared.push(other);
      count++;
      if (earlier.contentKey === row.contentKey) continue;
      const verdict = band === answerBand ? shortPromptVerdict(row, earlier) : signatureVerdict(row, earlier, threshold);
      if (verdict) return { match: other, verdict };
    }
  }
  return undefined;
}

function signatureVerdict(row: Candidate, earlier: Candidate, threshold: number): NearDuplicateVerdict | undefined {
  if (!row.signature || !earlier.signature) return undefined;
  const similarity = similarityAtLeast(row.signature, earlier.signature, threshold);
  return similarity >= 0 ? judgeNearDuplicate(row.sketch, earlier.sketch, similarity) : undefined;
}

function shortPromptVerdict(row: Candidate, earlier: Candidate): NearDuplicateVerdict | undefined {
  if (row.shortPrompt === undefined || earlier.shortPrompt === undefined || row.answerKey !== earlier.answerKey) return undefined;
  return judgeShortPrompts(row.shortPrompt, earlier.shortPrompt, row.sketch[1] === earlier.sketch[1]);
}
