import { alignTokens } from "../tokenizers/modelTokenizer";
import type { ModelTokenizer } from "../tokenizers/modelTokenizer";

/** One span of Axolotl's `training_detail`: characters begin_offset..end_offset (inclusive) of the content. */
export interface TrainingDetailSpan {
  begin_offset: number;
  end_offset: number;
  train: boolean;
}

export class TrainingDetailError extends Error {}

/** The message's training_detail as Axolotl reads it; a malformed one stops Axolotl, and is an error here. */
export function trainingDetailSpans(value: unknown): TrainingDetailSpan[] {
  if (!Array.isArray(value)) throw new TrainingDetailError("training_detail must be a list of {begin_offset, end_offset, train}");
  return value.map((span, i) => {
    const { begin_offset, end_offset, train } = (span ?? {}) as Partial<TrainingDetailSpan>;
    if (typeof begin_offset !== "number" || typeof end_offset !== "number" || typeof train !== "boolean") {
      throw new TrainingDetailError(`training_detail[${i}] needs a numeric begin_offset and end_offset and a boolean train (Axolotl stops on this row)`);
    }
    return { begin_offset, end_offset, train };
  });
}

/**
 * Which tokens of the content, tokenized alone, Axolotl trains (ChatTemplatePrompter's
 * get_offsets_for_train_detail): a token whose character range lies within a span with
 * `train` set, after each span is widened to token boundaries. Offsets count characters as
 * Python does (code points); a token ends where the next begins, the last at the content's end.
 */
export function trainingDetailMask(tokenizer: ModelTokenizer, content: string, spans: TrainingDetailSpan[]): boolean[] {
  const ids = tokenizer.encode(content);
  if (ids.length === 0) return [];
  const codePointAt = utf16ToCodePoint(content);
  const starts = alignTokens(content, ids, (part) => tokenizer.decode(part)).spans.map((s) => codePointAt[s.start]);
  const length = codePointAt[content.length];
  const offsets = starts.map((start, i): [number, number] => [start, i + 1 < starts.length ? starts[i + 1] - 1 : length - 1]);
  const adjusted = adjustSpans(spans, offsets);
  return offsets.map(([start, end]) => adjusted.some((span) => span.train && start >= span.begin_offset && end <= span.end_offset));
}

/** Axolotl's adjust_train_details: each span widened to the tokens it touches; one no token falls in is dropped. */
function adjustSpans(spans: TrainingDetailSpan[], offsets: Array<[number, number]>): TrainingDetailSpan[] {
  const adjusted: TrainingDetailSpan[] = [];
  for (const span of spans) {
    let first = offsets.findIndex(([start]) => start >= span.begin_offset);
    if (first === -1) first = offsets.length;
    if (first > 0 && offsets[first - 1][1] > span.begin_offset) first--;
    let last = -1;
    for (let i = offsets.length - 1; i >= 0; i--) {
      if (offsets[i][1] <= span.end_offset) {
        last = i;
        break;
      }
    }
    if (last < offsets.length - 1 && offsets[last + 1][0] < span.end_offset) last++;
    if (first <= last) adjusted.push({ begin_offset: offsets[first][0], end_offset: offsets[last][1], train: span.train });
  }
  return adjusted;
}

/** For each UTF-16 index of `text` (and its end), the index of the code point there. */
function utf16ToCodePoint(text: string): number[] {
  const map = new Array<number>(text.length + 1);
  let point = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = point;
    const code = text.charCodeAt(i);
    // The low half of a surrogate pair belongs to the code point its high half started.
    if (!(code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00)) point++;
  }
  map[text.length] = point;
  return map;
}
