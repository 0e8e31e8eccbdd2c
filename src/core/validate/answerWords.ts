// The words of a row's answers, hashed once for every rule that reads them: the refusal-word
// scan, degenerate repetition and the near-duplicate sketch. Each read the answers again on its
// own (a case-insensitive regex, a whitespace split, the sketch's words): removing the first two
// passes took a tenth off a lint of Alpaca rows.
import { WordList, wordHashes } from "./minhash";
import type { TextField } from "./textFields";

/** The answers' opening that the near-duplicate sketch signs: enough to tell a close answer from another. */
const maxAnswerChars = 600;

export interface AnswerWords {
  /** Every answer's word hashes (`wordHashes`), field after field. */
  readonly words: WordList;
  /** Per text field of the row, by index: its words in `words`, `[from, to)` (empty for a field that is not an answer). */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Per text field, by index: the `wordChars` bits of an answer's characters, OR-ed (`WordList.kinds`); -1 for a field that is not an answer. */
  readonly kinds: Int32Array;
  /** The words that start in the answers' first `maxAnswerChars` characters: `words[0..openingEnd)`. */
  readonly openingEnd: number;
}

/** A field the model is trained to write (every format gives its answers the assistant role). */
export const isAnswer = (field: TextField) => field.isOutput === true || field.role === "assistant";

/** Scratch reused from row to row: what `answerWords` returns is valid until its next call. */
const words = new WordList();
let from = new Int32Array(16);
let to = new Int32Array(16);
let kinds = new Int32Array(16);
const mark = { at: 0, words: 0 };

export function answerWords(fields: readonly TextField[]): AnswerWords {
  words.length = 0;
  if (from.length < fields.length) {
    from = new Int32Array(fields.length * 2);
    to = new Int32Array(fields.length * 2);
    kinds = new Int32Array(fields.length * 2);
  }
  let chars = 0;
  let openingEnd = 0;
  for (let f = 0; f < fields.length; f++) {
    from[f] = words.length;
    kinds[f] = -1;
    const field = fields[f];
    if (isAnswer(field)) {
      words.kinds = 0;
      const opening = maxAnswerChars - chars;
      if (opening > 0) {
        mark.at = opening;
        wordHashes(field.text, words, 0, field.text.length, undefined, mark);
        openingEnd = mark.words;
        chars += field.text.length;
      } else wordHashes(field.text, words);
      kinds[f] = words.kinds;
    }
    to[f] = words.length;
  }
  return { words, from, to, kinds, openingEnd };
}
