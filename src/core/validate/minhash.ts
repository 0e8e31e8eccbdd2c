/**
 * MinHash signatures over word 5-grams, and the LSH band keys that find candidate pairs.
 *
 * Written here because the JavaScript MinHash packages hash every shingle once per permutation
 * (128 hashes a shingle); this uses one-permutation hashing with rotation densification
 * (Shrivastava, ICML 2017): one hash a shingle, same estimator, fast enough to run while typing.
 * Shingles are built from word hashes, so no 5-gram string is ever allocated.
 */
export const permutations = 128;
export const bands = 16;
const rowsPerBand = permutations / bands;
/** Words per shingle: a text of fewer has no signature. */
export const shingleWords = 5;
const empty = 0xffffffff;

/** MurmurHash3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The bit of a `wordChars` entry set for a digit. */
const digitBit = 1 << 17;
/** The bit of a `wordChars` entry set for a Chinese or Japanese character, which ROUGE reads as a word of its own. */
export const ideographBit = 1 << 18;
/** The bit of a `wordChars` entry set for a word character. */
const wordBit = 1 << 16;
/**
 * The bit of a `wordChars` entry, word character or not, set for the code units that the content
 * rules' patterns start from (`mayNeedChecks` in content.ts): a text `wordHashes` read without
 * one skips those rules without a scan of its own.
 */
export const checkedCharBit = 1 << 19;
const isCheckedChar = (code: number) =>
  code === 0x3c ||
  code === 0x5b ||
  code === 0x23 ||
  code <= 0x08 ||
  code === 0x0b ||
  code === 0x0c ||
  (code >= 0x0e && code <= 0x1f) ||
  (code >= 0x7f && code <= 0x4ff) ||
  (code >= 0x2013 && code <= 0x2122) ||
  code === 0xff5c;

const isIdeograph = (code: number) =>
  (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x3040 && code <= 0x30ff) || (code >= 0xf900 && code <= 0xfaff);

/**
 * For each UTF-16 code unit, in one load: for a word character, the code unit lower-cased (ASCII)
 * in the low 16 bits, `wordBit`, `digitBit` for a digit, which `wordHashes` reads to sum the
 * number words, and `ideographBit`; for one that separates words, none of those; and for either,
 * `checkedCharBit`.
 */
const wordChars = (() => {
  const table = new Uint32Array(65536);
  for (let code = 0; code < 65536; code++) {
    const isWord =
      (code >= 97 && code <= 122) ||
      (code >= 48 && code <= 57) ||
      (code >= 65 && code <= 90) ||
      (code >= 0xaa && !(code >= 0x2000 && code <= 0x2bff) && code !== 0x1680 && code !== 0x3000 && code !== 0xff0c && code !== 0x3002 && code !== 0xfeff);
    if (isWord)
      table[code] =
        (code >= 65 && code <= 90 ? code + 32 : code) | wordBit | (code >= 48 && code <= 57 ? digitBit : 0) | (isIdeograph(code) ? ideographBit : 0);
    if (isCheckedChar(code)) table[code] |= checkedCharBit;
  }
  return table;
})();
/** Whether `wordHashes` reads a UTF-16 code unit as part of a word. */
export const isWordCode = (code: number) => (wordChars[code] & wordBit) !== 0;
/** A `wordChars` entry's lower-cased code unit. */
const lowerBits = 0xffff;

/** What `wordHashes` also sums: the hashes of the words that hold a digit ("7", "2021", "mp3"). */
export interface NumberSum {
  sum: number;
}

/** A character offset, and the length the word list had once every word that starts before it was in (set by `wordHashes`). */
export interface WordMark {
  at: number;
  words: number;
}

/**
 * Word hashes in a typed array that grows and is reused from row to row: a plain array of
 * 32-bit hashes holds them as doubles and grows by copying, measured a third of the row's cost.
 */
export class WordList {
  data = new Uint32Array(1024);
  length = 0;
  /** The bits of `wordChars` of every character `wordHashes` read into the list since this was last set to 0. */
  kinds = 0;

  push(hash: number): void {
    this.reserve(this.length + 1);
    this.data[this.length++] = hash;
  }

  /** Makes room for `capacity` hashes in all. */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    let length = this.data.length * 2;
    while (length < capacity) length *= 2;
    const grown = new Uint32Array(length);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/** Characters `wordHashes` reads between making room for their words. */
const wordBlock = 65536;

/**
 * Appends hashes of the lower-cased words (runs of letters and digits) of a text, or of
 * `text[start..end)`; adds those of words with a digit to `numbers` when given, and sets
 * `mark.words` to the list's length once the words that start before `mark.at` are in it.
 *
 * No branch on the character: each one's hash so far is stored at the word count, and the count
 * moves only where a word ends. A branch at every word's end was mispredicted, and this loop was
 * a tenth of a lint. Of the characters' kinds the loop only ORs their table entries together
 * (`WordList.kinds`: was there a digit, an ideograph, a character the content rules scan for):
 * a flag stored per character beside the hash (which word holds a digit) made it 3.3 ns a
 * character against 2.3 without, measured alone on the bench's Alpaca texts, and most texts
 * need no flags or have no digit; the words with one are found again only when summed.
 */
export function wordHashes(text: string, into: WordList, start = 0, end = text.length, numbers?: NumberSum, mark?: WordMark): WordList {
  const first = into.length;
  let count = first;
  let h = 0x811c9dc5;
  let inWord = 0;
  let seen = 0;
  const markAt = mark ? Math.max(start, Math.min(end, mark.at)) : -1;
  // In blocks, so that the room made for the most words a block can end (half its characters,
  // and one further store) stays small on a 16 MB row. A block also ends at the mark.
  for (let from = start; from < end;) {
    const to = from < markAt ? Math.min(markAt, from + wordBlock) : Math.min(end, from + wordBlock);
    into.length = count;
    into.reserve(count + ((to - from + 1) >> 1) + 1);
    const data = into.data;
    for (let i = from; i < to; i++) {
      const kind = wordChars[text.charCodeAt(i)];
      const isWord = (kind >>> 16) & 1;
      data[count] = h;
      count += inWord & (isWord ^ 1);
      // A word's first character starts from the offset basis. The basis and the character are
      // mixed apart from `h`, which then waits on one AND and one XOR before its multiplication.
      const continued = -inWord;
      h = Math.imul((h & continued) ^ ((0x811c9dc5 & ~continued) ^ (kind & lowerBits)), 0x01000193);
      seen |= kind;
      inWord = isWord;
    }
    // A word that runs on across the mark started before it: it is counted already.
    if (to === markAt) mark!.words = count + inWord;
    from = to;
  }
  if (markAt === start) mark!.words = first;
  // The last block made room for this store too.
  if (inWord) into.data[count++] = h;
  into.length = count;
  into.kinds |= seen;
  if (numbers && (seen & digitBit) !== 0) addNumberWords(text, start, end, into.data, first, numbers);
  return into;
}

/** Adds to `numbers` the hashes of the words of `text[start..end)` that hold a digit, given the text's word hashes from `words[first]` on. */
function addNumberWords(text: string, start: number, end: number, words: Uint32Array, first: number, numbers: NumberSum): void {
  let word = first - 1;
  let inWord = false;
  let digit = false;
  for (let i = start; i <= end; i++) {
    const kind = i < end ? wordChars[text.charCodeAt(i)] : 0;
    if ((kind & wordBit) === 0) {
      if (inWord && digit) numbers.sum = (numbers.sum + fmix32(words[word])) >>> 0;
      inWord = false;
    } else {
      if (!inWord) {
        word++;
        inWord = true;
        digit = false;
      }
      if ((kind & digitBit) !== 0) digit = true;
    }
  }
}

/** Where each of the first `count` words (as `wordHashes` reads them) of `text` starts. */
export function wordStarts(text: string, count: number): number[] {
  const starts: number[] = [];
  for (let i = 0; i < text.length && starts.length < count; i++) {
    if (isWordCode(text.charCodeAt(i)) && (i === 0 || !isWordCode(text.charCodeAt(i - 1)))) starts.push(i);
  }
  return starts;
}

/**
 * Word hashes for ROUGE-L, Unicode-aware as the texts need: words are runs of letters and digits
 * (Korean and the alphabets space their words), and each Chinese or Japanese character is a word
 * of its own, as ROUGE is scored for those languages. Appends at most `max` and returns how many
 * the text has (so a caller tells a short text from a long one).
 */
export function rougeWordHashes(text: string, into: WordList, max: number): number {
  let h = 0x811c9dc5;
  let inWord = false;
  let count = 0;
  // Words are pushed where they end; written out rather than as a closure, which cost an allocation a call.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lower = wordChars[code] & lowerBits;
    if (lower !== 0 && isIdeograph(code)) {
      if (inWord && count++ < max) into.push(h >>> 0);
      h = Math.imul(0x811c9dc5 ^ lower, 0x01000193);
      if (count++ < max) into.push(h >>> 0);
      h = 0x811c9dc5;
      inWord = false;
    } else if (lower !== 0) {
      h = Math.imul(h ^ lower, 0x01000193);
      inWord = true;
    } else if (inWord) {
      if (count++ < max) into.push(h >>> 0);
      h = 0x811c9dc5;
      inWord = false;
    }
  }
  if (inWord && count++ < max) into.push(h >>> 0);
  return count;
}

/** Scratch for `minhashSignature`, reused: it runs on every row that has no prompt side. */
const signatureWords = new WordList();

/**
 * The signature of texts read as one, or undefined with fewer than five words (exact
 * duplicates cover those). Each 5-gram is hashed once from its word hashes.
 */
export function minhashSignature(texts: string | string[], bins = permutations): Uint32Array | undefined {
  const words = signatureWords;
  words.length = 0;
  for (const text of typeof texts === "string" ? [texts] : texts) wordHashes(text, words);
  return signatureOfWords(words.data, bins, 0, words.length);
}

/**
 * Each bin's least value while a signature is made, as signed 32-bit integers: the least is then
 * taken with arithmetic, not a branch, which was mispredicted on every other shingle (a new
 * least is that common in 16 bins). Values are under 2 ** 30 with 4 bins or more, so the
 * empty mark, 2 ** 31 - 1, is never a value. Every bin is empty between signatures:
 * `finishSignature` empties those it reads.
 */
const noValue = 0x7fffffff;
const leastValues = new Int32Array(permutations).fill(noValue);

/** Keeps shingle hash `h`'s value in its bin of `leastValues` when it is the least so far, with arithmetic, not a branch. */
function keepLeast(h: number, binBits: number, valueMask: number): void {
  const bin = (h >>> (32 - binBits)) & (permutations - 1);
  const stored = leastValues[bin];
  const less = (h & valueMask) - stored;
  leastValues[bin] = stored + (less & (less >> 31));
}

/**
 * Writes `leastValues` into `signature`, each empty bin filled from the next non-empty bin to the
 * right (wrapping), offset by the distance (rotation densification), and empties the bins for
 * the next signature. One pass from the right: a short prompt fills a few of 128 bins, and the
 * passes of before (empty, copy, fill) took 40 ms more of a one-thread lint of 50 MB.
 */
function finishSignature(signature: Uint32Array, binBits: number): Uint32Array {
  const least = leastValues;
  const bins = signature.length;
  let first = 0;
  while (first < bins && least[first] === noValue) first++;
  if (first === bins) return signature.fill(empty);
  // 2 ** (32 - binBits) as a 32-bit integer: sums are taken modulo 2 ** 32 all the same, and a
  // power with a variable exponent is a call into the math library, once a signature.
  const step = 1 << (32 - binBits);
  // The bin that fills the empty ones after the last filled bin is the first, wrapped around.
  let next = first + bins;
  let nextValue = least[first];
  // Without a branch: which bins are filled is random, and a branch on it was mispredicted at
  // every change (a prompt of 20 shingles fills about 20 of 128 bins; 590 ns a signature with the
  // branch, measured alone). A filled bin is its own next, at distance 0. Only the empty mark has
  // bit 30 set (values are under 2 ** 30).
  for (let bin = bins - 1; bin >= 0; bin--) {
    const value = least[bin];
    least[bin] = noValue;
    const isEmpty = -(value >>> 30);
    next = (next & isEmpty) | (bin & ~isEmpty);
    nextValue = (nextValue & isEmpty) | (value & ~isEmpty);
    signature[bin] = (nextValue + Math.imul(next - bin, step)) >>> 0;
  }
  return signature;
}

/** The hash of the word 5-gram that starts at `words[i]` (`signatureOfWords` computes it inline). */
export function shingleHash(words: Uint32Array, i: number): number {
  return fmix32(
    Math.imul(words[i], 0x9e3779b1) ^
      Math.imul(words[i + 1], 0x85ebca77) ^
      Math.imul(words[i + 2], 0xc2b2ae3d) ^
      Math.imul(words[i + 3], 0x27d4eb2f) ^
      Math.imul(words[i + 4], 0x165667b1),
  );
}

/**
 * The signature of a text given as its word hashes (from `wordHashes`), `words[from..to)`, in
 * `bins` bins (a power of two from 4 to 128); written into `into` (its length is the bin count)
 * when given, to spare an allocation.
 */
export function signatureOfWords(words: Uint32Array, bins: number, from: number, to: number, into?: Uint32Array): Uint32Array | undefined {
  if (to - from < shingleWords) return undefined;
  const binBits = 31 - Math.clz32(bins);
  const valueMask = (1 << (32 - binBits)) - 1;
  // shingleHash written out, with the last four words kept in locals: measured alone, 3.5 ns a
  // shingle with the arithmetic least, against 10.5 for shingleHash and a branch.
  let w0 = words[from];
  let w1 = words[from + 1];
  let w2 = words[from + 2];
  let w3 = words[from + 3];
  for (let i = from + 4; i < to; i++) {
    const w4 = words[i];
    const h = fmix32(Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1, 0x85ebca77) ^ Math.imul(w2, 0xc2b2ae3d) ^ Math.imul(w3, 0x27d4eb2f) ^ Math.imul(w4, 0x165667b1));
    w0 = w1;
    w1 = w2;
    w2 = w3;
    w3 = w4;
    keepLeast(h, binBits, valueMask);
  }
  return finishSignature(into ?? new Uint32Array(bins), binBits);
}

/**
 * The signature of `text[start..end)` over character 3-grams of its lower-cased words (runs of
 * other characters read as one space): for a short text, where word 5-grams are too few, a small
 * edit ("rhymes" for "rhyme") still leaves most 3-grams. Undefined under three such characters.
 */
export function charSignature(text: string, start: number, end: number, into: Uint32Array): Uint32Array | undefined {
  const binBits = 31 - Math.clz32(into.length);
  const valueMask = (1 << (32 - binBits)) - 1;
  let a = -1;
  let b = -1;
  let any = false;
  let lastWasSpace = true;
  for (let i = start; i < end; i++) {
    let c = wordChars[text.charCodeAt(i)] & lowerBits;
    if (c === 0) {
      if (lastWasSpace) continue;
      lastWasSpace = true;
      c = 32;
    } else lastWasSpace = false;
    if (a >= 0) {
      const h = fmix32(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d));
      keepLeast(h, binBits, valueMask);
      any = true;
    }
    a = b;
    b = c;
  }
  return any ? finishSignature(into, binBits) : undefined;
}

/** Estimated Jaccard similarity: the share of bins where both signatures agree. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** The estimate when it reaches `threshold`, else -1; stops as soon as it cannot. */
export function similarityAtLeast(a: Uint32Array, b: Uint32Array, threshold: number): number {
  const allowedMisses = Math.floor(a.length * (1 - threshold));
  let misses = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++misses > allowedMisses) return -1;
  return (a.length - misses) / a.length;
}

/** Each band's key as it is mixed, row after row (`searchKeys`). */
const bandHashes = new Uint32Array(bands);

/** One bucket map per band, and one for rows with a short prompt keyed by their answer (`answerBand`). */
export function bandMaps<T>(): Array<Map<number, T>> {
  return Array.from({ length: bands + 1 }, () => new Map<number, T>());
}

/** The bucket band of short-prompt rows with the same answer, after the LSH bands. */
export const answerBand = bands;

/**
 * Where a row is indexed: one key per LSH band of its prompt's signature, then its answer's key
 * when its prompt is short; -1 where it has none. Written into `into` when given.
 */
export function searchKeys(signature: Uint32Array | undefined, answerKey: number | undefined, into: number[] = []): number[] {
  // Written in place, never emptied: emptying an array frees its storage, and refilling it allocated a row.
  if (into.length > bands + 1) into.length = bands + 1;
  if (signature) {
    // A band's key (16 bands of 8 rows: pairs at Jaccard 0.8 become candidates 95% of the time,
    // at 0.7 61%) mixes its rows in turn; the bands are mixed side by side, a row of each at a
    // time, so that the processor overlaps their chains of multiplications.
    for (let band = 0; band < bands; band++) bandHashes[band] = band;
    for (let r = 0; r < rowsPerBand; r++) {
      for (let band = 0; band < bands; band++) bandHashes[band] = fmix32(bandHashes[band] ^ signature[band * rowsPerBand + r]);
    }
    // 30-bit keys stay small integers in V8, which keeps Map lookups free of heap-allocated numbers.
    for (let band = 0; band < bands; band++) into[band] = bandHashes[band] >>> 2;
  } else for (let band = 0; band < bands; band++) into[band] = -1;
  into[bands] = answerKey === undefined ? -1 : answerKey >>> 2;
  return into;
}
