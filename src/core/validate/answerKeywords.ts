// Which answers the refusal and merged-instruction patterns (content.ts) run on, read from the
// answer's word hashes instead of its characters: a case-insensitive scan for these words was 8%
// of a one-thread lint of the bench's 50 MB file, a look-up a word is under 1%.
import { WordList, wordHashes } from "./minhash";

/** The hashes `wordHashes` gives the words of `text`. */
function hashesOf(text: string): Uint32Array {
  const list = wordHashes(text, new WordList());
  return list.data.slice(0, list.length);
}

/** Slots of the keyword table: a power of two, a few times the keywords, so that most look-ups end at an empty slot. */
const tableSlots = 64;
const slotOf = (hash: number) => hash >>> 26;

/**
 * An open-addressing table of keywords (0 marks an empty slot), and for each the word that must
 * come right before it (0 for none).
 */
function keywordTable(keywords: string[]): { words: Uint32Array; previous: Uint32Array } {
  const words = new Uint32Array(tableSlots);
  const previous = new Uint32Array(tableSlots);
  for (const keyword of keywords) {
    const [first, second] = hashesOf(keyword);
    const word = second ?? first;
    let slot = slotOf(word);
    while (words[slot] !== 0) slot = (slot + 1) & (tableSlots - 1);
    words[slot] = word;
    previous[slot] = second === undefined ? 0 : first;
  }
  return { words, previous };
}

/**
 * Every pattern gated holds one of these words or word pairs. Each lies inside its pattern, between
 * characters that end a word for `wordHashes` as they do for the pattern (a space, a comma, an
 * apostrophe, a hyphen, a colon), so it is found whenever the pattern matches: "as an AI,",
 * "as an artificial intelligence", "as a language model", "I'm sorry, but", "I'm afraid, but",
 * "I cannot", "I can't", "I am unable to", "I am not able to", "OpenAI's use-case policy",
 * "OpenAI content policy", "2. Instruction:". A word at a pattern's edge ("OpenAI" after `\b`)
 * is not enough: `\b` ends a word at "é", which `wordHashes` reads as part of it.
 */
const keywords = keywordTable([
  "ai",
  "artificial",
  "language model",
  "sorry",
  "afraid",
  "cannot",
  "can t",
  "unable",
  "not able",
  "use case",
  "content",
  "instruction",
]);

/** Whether `words[from..to)` (an answer's `wordHashes`) holds one of the keywords: whether the patterns can match it. */
export function holdsAnswerKeyword(words: Uint32Array, from: number, to: number): boolean {
  const table = keywords.words;
  const previous = keywords.previous;
  for (let i = from; i < to; i++) {
    const word = words[i];
    for (let slot = slotOf(word); table[slot] !== 0; slot = (slot + 1) & (tableSlots - 1)) {
      if (table[slot] === word && (previous[slot] === 0 || (i > from && words[i - 1] === previous[slot]))) return true;
    }
  }
  return false;
}
