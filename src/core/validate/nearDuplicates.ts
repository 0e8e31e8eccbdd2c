import type { Severity } from "../lint/diagnostic";
import { effectiveSeverity, RuleSettings } from "../rules/catalog";
import { signatureOfWords, similarityAtLeast, wordHashes } from "./minhash";
import type { TextField } from "./textFields";

/** Bins of each field's own signature: enough to tell a close field (Jaccard >= 0.7) from a different one. */
const fieldBins = 16;
const slot = fieldBins + 1;
/** User-side fields kept one by one; later ones are read with the last. */
const maxAskedFields = 8;
const noSignature = 0xffffffff;
const maxAnswerChars = 600;
export const closeFieldThreshold = 0.7;
/** Prompt similarity from which rows with the same answer are a warning, not an info. */
export const veryCloseThreshold = 0.9;

/**
 * What a row asks (each user-side field: instruction, input, user turns) and answers, each
 * field as a hash of its words and a small MinHash signature, packed in one array: slot i holds
 * [hash, 16 bins]; the last slot is the answer. A field under five words has no signature.
 */
export type RowSketch = Uint32Array;

export interface RowSides {
  /** The prompt side's MinHash signature, for the LSH search; undefined under five words. */
  signature?: Uint32Array;
  sketch: RowSketch;
}

function hashWords(words: readonly number[], from: number, to: number): number {
  let h = 0x9747b28c ^ (to - from);
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i], 0x5bd1e995) ^ (h >>> 15);
  return h >>> 0;
}

function writeField(sketch: RowSketch, index: number, words: readonly number[], from: number, to: number): void {
  sketch[index * slot] = hashWords(words, from, to);
  const bins = sketch.subarray(index * slot + 1, (index + 1) * slot);
  if (!signatureOfWords(words, fieldBins, from, to, bins)) bins.fill(noSignature);
}

/**
 * The prompt side's signature and the row's sketch, from one pass over its words. An answer's
 * opening is enough to tell a close answer from another, so long answers cost no more.
 */
export function rowSides(fields: readonly TextField[]): RowSides {
  const words: number[] = [];
  // Where each kept user-side field's words end; fields past the last kept one join it.
  const ends: number[] = [];
  for (const field of fields) {
    if (field.role !== "user" && field.role !== "system") continue;
    wordHashes(field.text, words);
    if (ends.length < maxAskedFields) ends.push(words.length);
    else ends[maxAskedFields - 1] = words.length;
  }
  const askedEnd = words.length;
  let answerChars = 0;
  for (const field of fields) {
    if (field.role !== "assistant" || answerChars >= maxAnswerChars) continue;
    wordHashes(field.text.length + answerChars > maxAnswerChars ? field.text.slice(0, maxAnswerChars - answerChars) : field.text, words);
    answerChars += field.text.length;
  }
  const sketch: RowSketch = new Uint32Array((ends.length + 1) * slot);
  ends.forEach((end, i) => writeField(sketch, i, words, i === 0 ? 0 : ends[i - 1], end));
  writeField(sketch, ends.length, words, askedEnd, words.length);
  return { signature: askedEnd > 0 ? signatureOfWords(words, undefined, 0, askedEnd) : undefined, sketch };
}

function fieldsClose(a: RowSketch, b: RowSketch, ai: number, bi: number): boolean {
  if (a[ai * slot] === b[bi * slot]) return true;
  if (a[ai * slot + 1] === noSignature || b[bi * slot + 1] === noSignature) return false;
  return similarityAtLeast(a.subarray(ai * slot + 1, (ai + 1) * slot), b.subarray(bi * slot + 1, (bi + 1) * slot), closeFieldThreshold) >= 0;
}

export interface NearDuplicateVerdict {
  /** The severity when the user has not set the rule's: warning for very close rows with the same answer. */
  severity: Severity;
  similarity: number;
  answer?: "same" | "close";
}

/**
 * Whether a row whose prompt side is close to an earlier row's (by the LSH search) is a near
 * duplicate. Text shared by many rows (a tool preamble, a passage several questions ask about)
 * makes prompts close without making rows alike, so the rows must also differ little where they
 * differ: every user-side field close (the question too), or a close answer of five words or
 * more (identical one-word answers prove nothing). Used by the editor's and the streaming
 * validators alike.
 */
export function judgeNearDuplicate(row: RowSketch, earlier: RowSketch, promptSimilarity: number): NearDuplicateVerdict | undefined {
  const rowAnswer = row.length / slot - 1;
  const earlierAnswer = earlier.length / slot - 1;
  let questionsClose = rowAnswer === earlierAnswer;
  for (let i = 0; questionsClose && i < rowAnswer; i++) questionsClose = fieldsClose(row, earlier, i, i);
  const sameAnswer = row[rowAnswer * slot] === earlier[earlierAnswer * slot];
  const answersClose = row[rowAnswer * slot + 1] !== noSignature && fieldsClose(row, earlier, rowAnswer, earlierAnswer);
  if (!questionsClose && !answersClose) return undefined;
  const veryClose = promptSimilarity >= veryCloseThreshold && sameAnswer;
  return { severity: veryClose ? "warning" : "info", similarity: promptSimilarity, answer: sameAnswer ? "same" : answersClose ? "close" : undefined };
}

export function nearDuplicateMessage(earlierLine: number, verdict: NearDuplicateVerdict): string {
  const answer = verdict.answer === "same" ? ", with the same answer" : verdict.answer === "close" ? ", with a close answer" : "";
  return `Asks nearly what row ${earlierLine + 1} asks (estimated Jaccard ${verdict.similarity.toFixed(2)} over word 5-grams)${answer}.`;
}

/** The verdict's severity, unless the user set the rule's own (or turned it off: undefined). */
export function nearDuplicateSeverity(verdict: NearDuplicateVerdict, rules: RuleSettings | undefined): Severity | undefined {
  return rules?.["near-duplicate"] !== undefined ? effectiveSeverity("near-duplicate", rules) : verdict.severity;
}

/** What the search needs of an earlier row; undefined skips it (a later row, in the editor). */
export interface Candidate {
  signature: Uint32Array;
  sketch: RowSketch;
  contentKey: number | undefined;
}

/**
 * The nearest earlier row a row nearly duplicates, searched the same way by the editor's and the
 * streaming validators: bands in order, each bucket's rows in line order, at most
 * `maxCandidates` compared; the first that passes the judge wins. Exact duplicates (same
 * content key) are left to the duplicate-row rule.
 */
export function findNearDuplicate<T>(
  row: { signature: Uint32Array; sketch: RowSketch; contentKey: number | undefined; bands: readonly number[] },
  bucket: (band: number, key: number) => Iterable<T> | undefined,
  candidate: (other: T) => Candidate | undefined,
  threshold: number,
  maxCandidates: number,
): { match: T; verdict: NearDuplicateVerdict } | undefined {
  const compared = new Set<T>();
  for (let band = 0; band < row.bands.length; band++) {
    for (const other of bucket(band, row.bands[band]) ?? []) {
      if (compared.size >= maxCandidates) return undefined;
      if (compared.has(other)) continue;
      const earlier = candidate(other);
      if (!earlier) continue;
      compared.add(other);
      if (earlier.contentKey === row.contentKey) continue;
      const similarity = similarityAtLeast(row.signature, earlier.signature, threshold);
      const verdict = similarity >= 0 ? judgeNearDuplicate(row.sketch, earlier.sketch, similarity) : undefined;
      if (verdict) return { match: other, verdict };
    }
  }
  return undefined;
}
