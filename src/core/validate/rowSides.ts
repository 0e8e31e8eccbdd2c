// What the near-duplicate rule keeps of a row: its prompt side's MinHash signature, a sketch of
// its segments and its answer, and a short prompt's words. Built on every row of a file, so it
// works in scratch buffers and cuts the row's vectors from shared slabs (rowVectors).
import { AnswerWords, answerWords } from "./answerWords";
import { charSignature, ideographBit, permutations, rougeWordHashes, shingleWords, signatureOfWords, WordList, wordHashes } from "./minhash";
import { rowVector } from "./rowVectors";
import type { TextField } from "./textFields";

/** Bins of each segment's and the answer's own signature: enough to tell a close one (Jaccard >= 0.7) from a different one. */
const fieldBins = 16;
/** Words of one segment in a sketch: its hash, then its bins. */
export const sketchSlot = fieldBins + 1;
/** Where the segments start in a sketch, after the count and the numbers' sum. */
export const sketchHeader = 2;
/** A sketch's bins when the text had too few words or characters to sign. */
export const noSignature = 0xffffffff;
/** Prompt segments kept one by one; later ones are read with the last. */
const maxSegments = 32;
/** A segment of fewer words is sketched by its character 3-grams: its word 5-grams are too few. */
const charSketchBelowWords = 12;
/** A line is cut at sentence ends once its current piece is this long (a paragraph is several segments). */
const sentenceAfterChars = 80;
/** A prompt of at most this many words (a Chinese or Japanese character counts as one) is compared by ROUGE-L with rows of the same answer. */
export const maxShortPromptWords = 24;

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

export function hashWords(words: Uint32Array, from: number, to: number): number {
  let h = 0x9747b28c ^ (to - from);
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i], 0x5bd1e995) ^ (h >>> 15);
  return h >>> 0;
}

const isSentenceEnd = (code: number) => code === 46 || code === 63 || code === 33 || code === 0x3002 || code === 0xff1f || code === 0xff01;
const isSpaceCode = (code: number) => code === 32 || code === 9;

/** Scratch shared by every call (rows are sketched one at a time): none of it outlives a call. */
const words = new WordList();
const shortWords = new WordList();
const numbers = { sum: 0 };
const segmentTexts: string[] = [];
/** Per segment: start and end in its text, first and past-last word in `words`. */
const segmentBounds = new Int32Array(maxSegments * 4);
let segments = 0;

/** Adds `text[start..end)`'s words, as a segment of its own or, past the limit, to the last one. */
function addSegment(text: string, start: number, end: number): void {
  const from = words.length;
  wordHashes(text, words, start, end, numbers);
  if (words.length === from) return;
  if (segments >= maxSegments) {
    segmentBounds[(segments - 1) * 4 + 3] = words.length;
    return;
  }
  const at = segments * 4;
  segmentBounds[at] = start;
  segmentBounds[at + 1] = end;
  segmentBounds[at + 2] = from;
  segmentBounds[at + 3] = words.length;
  segmentTexts[segments++] = text;
}

/**
 * Each line of `text` is a segment, and each sentence of a long line. Lines are found with
 * `indexOf`, and only a line's characters past `sentenceAfterChars` are read one by one.
 */
function addSegments(text: string): void {
  let start = 0;
  while (start <= text.length) {
    let lineEnd = text.indexOf("\n", start);
    if (lineEnd < 0) lineEnd = text.length;
    for (let i = start + sentenceAfterChars; i < lineEnd; i++) {
      if (isSentenceEnd(text.charCodeAt(i)) && i + 1 < lineEnd && isSpaceCode(text.charCodeAt(i + 1))) {
        addSegment(text, start, i + 1);
        start = i + 1;
        i = start + sentenceAfterChars - 1;
      }
    }
    if (lineEnd > start) addSegment(text, start, lineEnd);
    start = lineEnd + 1;
  }
}

/** One segment's or the answer's bins, signed here and copied into the sketch: a view a segment cost an allocation each. */
const bins = new Uint32Array(fieldBins);

function writeBins(sketch: RowSketch, at: number, signed: Uint32Array | undefined): void {
  for (let i = 0; i < fieldBins; i++) sketch[at + 1 + i] = signed ? bins[i] : noSignature;
}

function writeSegment(sketch: RowSketch, index: number): void {
  const at = sketchHeader + index * sketchSlot;
  const from = segmentBounds[index * 4 + 2];
  const to = segmentBounds[index * 4 + 3];
  sketch[at] = hashWords(words.data, from, to);
  const signed =
    to - from >= charSketchBelowWords
      ? signatureOfWords(words.data, fieldBins, from, to, bins)
      : charSignature(segmentTexts[index], segmentBounds[index * 4], segmentBounds[index * 4 + 1], bins);
  writeBins(sketch, at, signed);
}

const isPromptSide = (field: TextField) => field.role === "user" || field.role === "system";

/**
 * The words of a short prompt side (at most `maxShortPromptWords`), or undefined when it has more.
 * They are the words read for the sketch (`words`, up to `askedEnd`) unless the prompt has a
 * Chinese or Japanese character, which ROUGE reads as a word of its own: only then is it read again.
 */
function shortPromptWords(fields: readonly TextField[], askedEnd: number): Uint32Array | undefined {
  let from = words;
  let count = askedEnd;
  if ((words.kinds & ideographBit) !== 0) {
    from = shortWords;
    shortWords.length = 0;
    count = 0;
    for (const field of fields) if (isPromptSide(field)) count += rougeWordHashes(field.text, shortWords, maxShortPromptWords + 1);
    if (count > maxShortPromptWords) return undefined;
  }
  const prompt = rowVector(count);
  for (let i = 0; i < count; i++) prompt[i] = from.data[i];
  return prompt;
}

/**
 * The prompt side's signature and the row's sketch, from one pass over its words. An answer's
 * opening is enough to tell a close answer from another, so long answers cost no more. The
 * answers' words are hashed once a row (`answerWords`), for the content rules too.
 */
export function rowSides(fields: readonly TextField[], answers: AnswerWords = answerWords(fields)): RowSides {
  words.length = 0;
  words.kinds = 0;
  numbers.sum = 0;
  segments = 0;
  for (const field of fields) if (isPromptSide(field)) addSegments(field.text);
  const askedEnd = words.length;
  const answerHashes = answers.words.data;
  const { openingEnd } = answers;
  const sketchLength = sketchHeader + (segments + 1) * sketchSlot;
  const signed = askedEnd >= shingleWords;
  const sketch = rowVector(sketchLength);
  sketch[0] = segments;
  sketch[1] = numbers.sum;
  for (let i = 0; i < segments; i++) writeSegment(sketch, i);
  const answerAt = sketchHeader + segments * sketchSlot;
  sketch[answerAt] = hashWords(answerHashes, 0, openingEnd);
  writeBins(sketch, answerAt, signatureOfWords(answerHashes, fieldBins, 0, openingEnd, bins));
  const signature = signed ? signatureOfWords(words.data, permutations, 0, askedEnd, rowVector(permutations)) : undefined;
  const shortPrompt = askedEnd > 0 && askedEnd <= maxShortPromptWords && openingEnd > 0 ? shortPromptWords(fields, askedEnd) : undefined;
  // The hash of every word of the answers, however long.
  return { signature, sketch, shortPrompt, answerKey: shortPrompt ? hashWords(answerHashes, 0, answers.words.length) : undefined };
}
