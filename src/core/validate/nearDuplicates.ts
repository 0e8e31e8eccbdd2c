import type { Severity } from "../lint/diagnostic";
import { effectiveSeverity, RuleSettings } from "../rules/catalog";
import { rougeL } from "../generation/rougeL";
import { answerBand, charSignature, rougeWordHashes, signatureOfWords, similarityAtLeast, wordHashes } from "./minhash";
import type { TextField } from "./textFields";

/** Bins of each segment's and the answer's own signature: enough to tell a close one (Jaccard >= 0.7) from a different one. */
const fieldBins = 16;
const slot = fieldBins + 1;
/** Prompt segments kept one by one; later ones are read with the last. */
const maxSegments = 32;
/** A segment of fewer words is sketched by its character 3-grams: its word 5-grams are too few. */
const charSketchBelowWords = 12;
/** A line is cut at sentence ends once its current piece is this long (a paragraph is several segments). */
const sentenceAfterChars = 80;
const noSignature = 0xffffffff;
const maxAnswerChars = 600;
export const closeFieldThreshold = 0.7;
/** Prompt similarity from which rows with the same answer are a warning, not an info. */
export const veryCloseThreshold = 0.9;
/** A prompt of at most this many words (a Chinese or Japanese character counts as one) is compared by ROUGE-L with rows of the same answer. */
export const maxShortPromptWords = 24;
/** Self-Instruct's threshold: a new instruction with ROUGE-L above it against any other is dropped. */
export const shortPromptRougeThreshold = 0.7;

/**
 * What a row asks, cut into segments (its user-side fields, their lines, a long line's
 * sentences), and what it answers: each as a hash of its words and a small MinHash signature
 * (word 5-grams, or character 3-grams for a short segment), packed in one array: [segment count,
 * the sum of the prompt's number words' hashes, then per segment: hash, 16 bins, then the
 * answer's hash and 16 bins].
 */
export type RowSketch = Uint32Array;

export interface RowSides {
  /** The prompt side's MinHash signature, for the LSH search; undefined under five words. */
  signature?: Uint32Array;
  sketch: RowSketch;
  /** A short prompt side's words (hashes), compared by ROUGE-L with rows of the same answer. */
  shortPrompt?: Uint32Array;
  /** The whole answer's hash, for a row with a short prompt. */
  answerKey?: number;
}

function hashWords(words: readonly number[], from: number, to: number): number {
  let h = 0x9747b28c ^ (to - from);
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i], 0x5bd1e995) ^ (h >>> 15);
  return h >>> 0;
}

const isSentenceEnd = (code: number) => code === 46 || code === 63 || code === 33 || code === 0x3002 || code === 0xff1f || code === 0xff01;
const isSpaceCode = (code: number) => code === 32 || code === 9;

/** Calls `segment(start, end)` for each line of `text`, and for each sentence of a long line. */
function forEachSegment(text: string, segment: (start: number, end: number) => void): void {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 10;
    if (code === 10) {
      if (i > start) segment(start, i);
      start = i + 1;
    } else if (i - start >= sentenceAfterChars && isSentenceEnd(code) && isSpaceCode(text.charCodeAt(i + 1))) {
      segment(start, i + 1);
      start = i + 1;
    }
  }
}

interface Segment {
  text: string;
  start: number;
  end: number;
  from: number;
  to: number;
}

/** Where the segments start in a sketch, after the count and the numbers' sum. */
const header = 2;

function writeSegment(sketch: RowSketch, index: number, words: readonly number[], segment: Segment): void {
  const at = header + index * slot;
  sketch[at] = hashWords(words, segment.from, segment.to);
  const bins = sketch.subarray(at + 1, at + slot);
  const signed =
    segment.to - segment.from >= charSketchBelowWords
      ? signatureOfWords(words, fieldBins, segment.from, segment.to, bins)
      : charSignature(segment.text, segment.start, segment.end, bins);
  if (!signed) bins.fill(noSignature);
}

/**
 * The prompt side's signature and the row's sketch, from one pass over its words. An answer's
 * opening is enough to tell a close answer from another, so long answers cost no more.
 */
export function rowSides(fields: readonly TextField[]): RowSides {
  const words: number[] = [];
  const segments: Segment[] = [];
  const numbers = { sum: 0 };
  for (const field of fields) {
    if (field.role !== "user" && field.role !== "system") continue;
    forEachSegment(field.text, (start, end) => {
      const from = words.length;
      wordHashes(field.text, words, start, end, numbers);
      if (words.length === from) return;
      const last = segments[segments.length - 1];
      // Past the limit, the rest of the prompt joins the last segment (its words, not its characters).
      if (segments.length >= maxSegments) last.to = words.length;
      else segments.push({ text: field.text, start, end, from, to: words.length });
    });
  }
  const askedEnd = words.length;
  let answerChars = 0;
  for (const field of fields) {
    if (field.role !== "assistant" || answerChars >= maxAnswerChars) continue;
    wordHashes(field.text.length + answerChars > maxAnswerChars ? field.text.slice(0, maxAnswerChars - answerChars) : field.text, words);
    answerChars += field.text.length;
  }
  const sketch: RowSketch = new Uint32Array(header + (segments.length + 1) * slot);
  sketch[0] = segments.length;
  sketch[1] = numbers.sum;
  segments.forEach((segment, i) => writeSegment(sketch, i, words, segment));
  const answerAt = header + segments.length * slot;
  sketch[answerAt] = hashWords(words, askedEnd, words.length);
  if (!signatureOfWords(words, fieldBins, askedEnd, words.length, sketch.subarray(answerAt + 1, answerAt + slot))) sketch.fill(noSignature, answerAt + 1);
  const sides: RowSides = { signature: askedEnd > 0 ? signatureOfWords(words, undefined, 0, askedEnd) : undefined, sketch };
  if (askedEnd > 0 && askedEnd <= maxShortPromptWords && words.length > askedEnd) {
    const tokens: number[] = [];
    let count = 0;
    for (const field of fields) if (field.role === "user" || field.role === "system") count += rougeWordHashes(field.text, tokens, maxShortPromptWords + 1);
    if (count <= maxShortPromptWords) {
      sides.shortPrompt = Uint32Array.from(tokens);
      const answer: number[] = [];
      for (const field of fields) if (field.role === "assistant") wordHashes(field.text, answer);
      sides.answerKey = hashWords(answer, 0, answer.length);
    }
  }
  return sides;
}

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
  bucket: (band: number, key: number) => Iterable<T> | undefined,
  candidate: (other: T) => Candidate | undefined,
  threshold: number,
  maxCandidates: number,
): { match: T; verdict: NearDuplicateVerdict } | undefined {
  let compared = new Set<T>();
  let count = 0;
  // The answer band first: same answer and a copied short prompt is the more telling verdict.
  for (const band of searchOrder) {
    if (band >= row.bands.length || row.bands[band] === -1) continue;
    // The answer band measures otherwise: a row it ruled out is compared again in the LSH bands.
    if (band === 0) compared = new Set<T>();
    for (const other of bucket(band, row.bands[band]) ?? []) {
      if (count >= maxCandidates) return undefined;
      if (compared.has(other)) continue;
      const earlier = candidate(other);
      if (!earlier) continue;
      compared.add(other);
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
