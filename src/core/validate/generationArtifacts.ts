// Content rules for what machine-generated data leaves behind (Self-Instruct, Alpaca-style
// pipelines): unfilled template slots, degenerate repetition, outputs that run on into the next
// example, prompt labels copied into fields, inputs the model cannot see, and Alpaca's
// <nooutput> marker. Each is tuned for precision: code, LaTeX and ordinary prose stay silent.
import type { Diagnostic } from "../lint/diagnostic";
import { finding, RowContext } from "../formats/rowContext";
import { isInputField, TextField } from "./textFields";
import { isAnswer } from "./answerWords";
import { isWordCode, WordList, wordHashes, wordStarts } from "./minhash";

/** {{name}} slots, [INSERT ...]/[YOUR NAME] brackets, and single-brace slots with a placeholder-like name. */
const placeholder =
  /\{\{\s*[A-Za-z_][\w.]{0,40}\s*\}\}|\[(?:INSERT|Insert|YOUR|Your|ADD|Add|PLACEHOLDER|Placeholder)\b[^\]\n]{0,60}\]|<(?:INSERT|Insert|YOUR|Your)\b[^>\n]{0,60}>|(?<![\\$\w{])\{(?:name|author|title|date|company|company_name|product|product_name|topic|city|country|person|user|username|email|location|your_name|first_name|last_name|recipient|sender|subject|keyword)\}(?!\})/g;

/** An output that goes on with another example's prompt (Self-Instruct and Alpaca generations do). */
const runOn = /\n\s*(?:#{1,4}\s*)?(?:Instruction|Input|Human|User|Question)\s*:|\n\s*#{1,4}\s*(?:Instruction|Input)\b|\n\s*\d{1,3}\s*[.)]\s*Instruction\s*:/;
/** A field that starts with the prompt format's own label. */
const leadingLabel = /^\s*(?:#{1,4}\s*)?(?:Output|Response|Input|Instruction|Assistant|输出|输入|回答|回复|指令)\s*[:：]\s*/;
const unseenUrl = /^\s*(?:https?:\/\/|www\.)\S+\s*$/i;
const unseenFile = /^\s*\S{0,200}\.(?:png|jpe?g|gif|webp|bmp|tiff?|svg|pdf|mp3|wav|flac|mp4|mov|avi|csv|xlsx?|docx?|pptx?|zip)\s*$/i;
const noOutputMarker = /<\s*no\s*-?\s*(?:output|input)\s*>/i;

/** Words of an answer scanned for a loop at most: a loop is found in its first 20,000. */
const maxLoopWords = 20_000;

/** The longest phrase, in words, whose repeats count as a loop: `loopPeriods` marks each period with a bit of one number. */
const maxLoopPeriod = 12;

/**
 * The longest stretch where a phrase of `period` words (1 to 12) repeats back to back at least
 * 8 times, covering 24 words or more: a generation stuck in a loop, not a list or a refrain.
 * Words are lower-cased runs of letters and digits (`wordHashes`), so "Yes. yes!" repeats a word;
 * failing that, a mark repeated 24 times ("```" on every line).
 */
export function degenerateRun(text: string): { phrase: string; repeats: number } | undefined {
  const list = wordHashes(text, new WordList());
  return degenerateRunOfWords(text, list.data, 0, list.length);
}

/** `degenerateRun` of a text whose words `wordHashes` put in `words[from..to)`. */
export function degenerateRunOfWords(text: string, words: Uint32Array, from: number, to: number): { phrase: string; repeats: number } | undefined {
  const w = words;
  const length = Math.min(to, from + maxLoopWords);
  if (length - from < 24) return repeatedMarkRun(text);
  let best: { period: number; start: number; repeats: number } | undefined;
  const periods = loopPeriods(w, from, length);
  for (let period = 1; periods !== 0 && period <= maxLoopPeriod; period++) {
    if ((periods & (1 << period)) === 0) continue;
    let run = 0;
    for (let i = from + period; i <= length; i++) {
      if (i < length && w[i] === w[i - period]) {
        run++;
        continue;
      }
      const repeats = Math.floor(run / period) + 1;
      if (repeats >= 8 && repeats * period >= 24 && (!best || repeats * period > best.repeats * best.period))
        best = { period, start: i - run - period - from, repeats };
      run = 0;
    }
  }
  if (!best) return repeatedMarkRun(text);
  const starts = wordStarts(text, best.start + best.period + 1);
  const phrase = text.slice(starts[best.start], starts[best.start + best.period]).trim();
  return { phrase, repeats: best.repeats };
}

/**
 * A mark (up to 20 characters with no letter or digit: "```", "*", "!!") repeated 24 times or more
 * with only white space between: a loop that holds no words.
 */
const repeatedMark = /(?<!\S)([^\sA-Za-z0-9\u00aa-\u1fff\u2c00-\uffff]{1,20})(?:\s+\1(?!\S)){23,}/g;
/** The fewest characters a loop spans: 24 words or marks and 23 spaces. */
const minLoopChars = 47;
/** Characters between the probes for a stretch without words: fewer than `minLoopChars`, so every such stretch holds one. */
const probeEvery = 40;

/**
 * The regex reads only the stretches without a word long enough to hold such a loop, found by
 * probing every 40th character: over whole answers it cost as much as splitting them into words
 * (1.8 ns a character of real answers).
 */
function repeatedMarkRun(text: string): { phrase: string; repeats: number } | undefined {
  let longest: { phrase: string; repeats: number } | undefined;
  for (let probe = 0; probe < text.length; probe += probeEvery) {
    if (isWordCode(text.charCodeAt(probe))) continue;
    let start = probe;
    let end = probe + 1;
    while (start > 0 && !isWordCode(text.charCodeAt(start - 1))) start--;
    while (end < text.length && !isWordCode(text.charCodeAt(end))) end++;
    if (end - start >= minLoopChars) {
      // With the characters on either side, for the regex's edges.
      for (const match of text.slice(Math.max(0, start - 1), end + 1).matchAll(repeatedMark)) {
        const repeats = match[0].split(/\s+/).length;
        if (repeats > (longest?.repeats ?? 0)) longest = { phrase: match[1], repeats };
      }
    }
    probe = end - 1;
  }
  return longest;
}

/** The fewest consecutive words equal to the word `period` before that a loop holds: 8 repeats of 3 words (24 words) hold 21. */
const minLoopMatches = 21;

/**
 * Periods worth a full scan: those where some `minLoopMatches` consecutive words each equal the
 * word `period` before, as every loop has. Such a stretch holds one position of every 21st, so
 * only those positions are compared at each period (12 compares every 21 words), and a match
 * there is followed both ways to the stretch's length. A mark of each period found, as bits.
 */
function loopPeriods(w: Uint32Array, from: number, to: number): number {
  let periods = 0;
  for (let i = from + minLoopMatches - 1; i < to; i += minLoopMatches) {
    for (let period = 1; period <= maxLoopPeriod; period++) {
      if ((periods & (1 << period)) !== 0 || i - period < from || w[i] !== w[i - period]) continue;
      let first = i;
      while (first - period - 1 >= from && w[first - 1] === w[first - 1 - period]) first--;
      let last = i;
      while (last + 1 < to && w[last + 1] === w[last + 1 - period]) last++;
      if (last - first + 1 >= minLoopMatches) periods |= 1 << period;
    }
  }
  return periods;
}

/** Whether `index` falls inside a ``` code block (an odd number of fences before it). */
function inCodeBlock(text: string, index: number): boolean {
  let fences = 0;
  for (let at = text.indexOf("```"); at >= 0 && at < index; at = text.indexOf("```", at + 3)) fences++;
  return fences % 2 === 1;
}

const promptRole = (field: TextField) => field.role === "user" || isInputField(field);

/** What a field without run-on or prompt-label findings covers: shared, as most fields have none. */
const coversNothing: ReadonlyArray<[number, number]> = [];

/**
 * Adds the findings to `found`, and returns the string ranges that run-on and prompt-label cover
 * (the leaked-template rule stays silent there rather than report the same "### Instruction:"
 * twice). Nothing is allocated for a field without findings: an object, two arrays and a closure
 * a field were 30 MB of a 50 MB file's lint.
 */
export function checkGenerationArtifacts(
  ctx: RowContext,
  field: TextField,
  words: Uint32Array,
  wordsFrom: number,
  wordsTo: number,
  found: Diagnostic[],
): ReadonlyArray<[number, number]> {
  let covered = coversNothing;
  const { path, text } = field;
  if (field.role === "thinking") return covered;
  if (text.includes("{") || text.includes("[") || text.includes("<")) {
    for (const match of text.matchAll(placeholder)) {
      if (inCodeBlock(text, match.index)) continue;
      found.push(
        finding(
          "unfilled-placeholder",
          ctx.spanInString(path, match.index, match.index + match[0].length),
          `${match[0]} is a template slot that was never filled in; write the real text or drop the row.`,
        ),
      );
      break;
    }
    const marker = isAnswer(field) ? noOutputMarker.exec(text) : null;
    if (marker && text.trim() !== marker[0]) {
      found.push(
        finding(
          "no-output-marker",
          ctx.spanInString(path, marker.index, marker.index + marker[0].length),
          `${marker[0]} marks a task the generator could not do (Alpaca's convention); the row teaches the model to print it.`,
        ),
      );
    }
  }
  if (isAnswer(field)) {
    // Every form starts at a line break: a text without one skips the regex (a scan of each answer).
    const cut = text.includes("\n") ? runOn.exec(text) : null;
    if (cut && text.slice(0, cut.index).trim() !== "") {
      const start = cut.index + 1;
      const label = text.slice(start, cut.index + cut[0].length).trim();
      covered = [...covered, [start, text.length]];
      found.push(
        finding(
          "run-on-generation",
          ctx.spanInString(path, start, text.length),
          `The output runs on into another example ("${label}"); the model learns to continue past its answer.`,
          ctx.replaceValue(path, text.slice(0, cut.index).trimEnd(), `Cut the output before "${label}"`),
        ),
      );
    }
    const loop = text.length >= minLoopChars ? degenerateRunOfWords(text, words, wordsFrom, wordsTo) : undefined;
    if (loop) {
      const shown = loop.phrase.length > 40 ? `${loop.phrase.slice(0, 40)}…` : loop.phrase;
      found.push(finding("degenerate-repetition", ctx.valueSpan(path), `"${shown}" repeats ${loop.repeats} times in a row: a generation stuck in a loop.`));
    }
  }
  const label = leadingLabel.exec(text);
  if (label && text.length > label[0].length && (isAnswer(field) || promptRole(field) || field.name === "instruction")) {
    covered = [...covered, [0, label[0].length]];
    found.push(
      finding(
        "prompt-label",
        ctx.spanInString(path, label.index, label[0].length),
        `\`${field.name}\` starts with the prompt label "${label[0].trim()}"; the template adds labels, so it would appear twice.`,
        ctx.replaceValue(path, text.slice(label[0].length), `Remove "${label[0].trim()}"`),
      ),
    );
  }
  if (promptRole(field) && text.length < 300 && (unseenUrl.test(text) || unseenFile.test(text))) {
    found.push(
      finding(
        "unseen-reference",
        ctx.valueSpan(path),
        `\`${field.name}\` is only ${unseenUrl.test(text) ? "a link" : "a file name"} ("${text.trim()}"): the model never sees what it points to, so it learns to make the content up.`,
      ),
    );
  }
  return covered;
}
