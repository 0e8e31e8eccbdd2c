// Content rules for what machine-generated data leaves behind (Self-Instruct, Alpaca-style
// pipelines): unfilled template slots, degenerate repetition, outputs that run on into the next
// example, prompt labels copied into fields, inputs the model cannot see, and Alpaca's
// <nooutput> marker. Each is tuned for precision: code, LaTeX and ordinary prose stay silent.
import type { Diagnostic } from "../lint/diagnostic";
import { finding, RowContext } from "../formats/rowContext";
import { isInputField, TextField } from "./textFields";

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

/** Reused between calls: the check runs on every answer of a 1 GB file. */
const hashBuffer = new Int32Array(20_000);

/** 1 for the characters that separate words here. */
const separators = new Uint8Array(65536);
for (const code of [32, 9, 10, 11, 12, 13]) separators[code] = 1;

/**
 * Hashes each whitespace-separated word (at most 20,000) into `hashBuffer`, without making
 * strings; returns how many. Each character is stored at the word count and the count moves
 * only where a word ends, with no branch on the character: a branch at every word's end was
 * mispredicted (3.1 ns a character against 1.8 ns).
 */
function wordHashes(text: string): number {
  let count = 0;
  let hash = 0;
  let inWord = 0;
  const end = Math.min(text.length, 400_000);
  for (let i = 0; i < end && count < hashBuffer.length; i++) {
    const code = text.charCodeAt(i);
    const separator = separators[code];
    hashBuffer[count] = hash;
    count += inWord & separator;
    // A word's first character starts from the offset basis; after a separator the hash is never stored.
    const continued = -inWord;
    hash = Math.imul(((hash & continued) | (2166136261 & ~continued)) ^ code, 16777619);
    inWord = separator ^ 1;
  }
  if (inWord && count < hashBuffer.length) hashBuffer[count++] = hash;
  return count;
}

/**
 * The longest stretch where a phrase of `period` words (1 to 12) repeats back to back at least
 * 8 times, covering 24 words or more: a generation stuck in a loop, not a list or a refrain.
 */
export function degenerateRun(text: string): { phrase: string; repeats: number } | undefined {
  const w = hashBuffer;
  const length = wordHashes(text);
  if (length < 24) return undefined;
  let best: { period: number; start: number; repeats: number } | undefined;
  for (const period of loopPeriods(w, length)) {
    let run = 0;
    for (let i = period; i <= length; i++) {
      if (i < length && w[i] === w[i - period]) {
        run++;
        continue;
      }
      const repeats = Math.floor(run / period) + 1;
      if (repeats >= 8 && repeats * period >= 24 && (!best || repeats * period > best.repeats * best.period))
        best = { period, start: i - run - period, repeats };
      run = 0;
    }
  }
  if (!best) return undefined;
  const phrase = text
    .trim()
    .split(/\s+/, best.start + best.period)
    .slice(best.start)
    .join(" ");
  return { phrase, repeats: best.repeats };
}

/**
 * Periods worth a full scan. A loop of period p (8 repeats, 24 words) has at least 21 consecutive
 * positions where a word equals the one p before, so five sampled positions in a row match when
 * every fourth is checked: every loop is found for a quarter of the full scans' work.
 */
function loopPeriods(w: Int32Array, length: number): number[] {
  const periods: number[] = [];
  for (let period = 1; period <= 12; period++) {
    let streak = 0;
    for (let i = period; i < length; i += 4) {
      streak = w[i] === w[i - period] ? streak + 1 : 0;
      if (streak === 5) {
        periods.push(period);
        break;
      }
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

const answerRole = (field: TextField) => field.isOutput || field.role === "assistant";
const promptRole = (field: TextField) => field.role === "user" || isInputField(field);

/**
 * The findings, and the string ranges that run-on and prompt-label cover (the leaked-template rule
 * stays silent there rather than report the same "### Instruction:" twice).
 */
export function checkGenerationArtifacts(ctx: RowContext, field: TextField): { found: Diagnostic[]; covered: Array<[number, number]> } {
  const found: Diagnostic[] = [];
  const covered: Array<[number, number]> = [];
  const { path, text } = field;
  const at = (start: number, end: number) => ctx.spanInString(path, start, end);
  if (field.role === "thinking") return { found, covered };
  if (text.includes("{") || text.includes("[") || text.includes("<")) {
    for (const match of text.matchAll(placeholder)) {
      if (inCodeBlock(text, match.index)) continue;
      found.push(
        finding(
          "unfilled-placeholder",
          at(match.index, match.index + match[0].length),
          `${match[0]} is a template slot that was never filled in; write the real text or drop the row.`,
        ),
      );
      break;
    }
    const marker = answerRole(field) ? noOutputMarker.exec(text) : null;
    if (marker && text.trim() !== marker[0]) {
      found.push(
        finding(
          "no-output-marker",
          at(marker.index, marker.index + marker[0].length),
          `${marker[0]} marks a task the generator could not do (Alpaca's convention); the row teaches the model to print it.`,
        ),
      );
    }
  }
  if (answerRole(field)) {
    const cut = runOn.exec(text);
    if (cut && text.slice(0, cut.index).trim() !== "") {
      const start = cut.index + 1;
      const label = text.slice(start, cut.index + cut[0].length).trim();
      covered.push([start, text.length]);
      found.push(
        finding(
          "run-on-generation",
          at(start, text.length),
          `The output runs on into another example ("${label}"); the model learns to continue past its answer.`,
          ctx.replaceValue(path, text.slice(0, cut.index).trimEnd(), `Cut the output before "${label}"`),
        ),
      );
    }
    const loop = text.length >= 48 ? degenerateRun(text) : undefined;
    if (loop) {
      const shown = loop.phrase.length > 40 ? `${loop.phrase.slice(0, 40)}…` : loop.phrase;
      found.push(finding("degenerate-repetition", ctx.valueSpan(path), `"${shown}" repeats ${loop.repeats} times in a row: a generation stuck in a loop.`));
    }
  }
  const label = leadingLabel.exec(text);
  if (label && text.length > label[0].length && (answerRole(field) || promptRole(field) || field.name === "instruction")) {
    covered.push([0, label[0].length]);
    found.push(
      finding(
        "prompt-label",
        at(label.index, label[0].length),
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
  return { found, covered };
}
