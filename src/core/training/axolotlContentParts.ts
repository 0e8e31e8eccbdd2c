import { isPlainObject, pythonTruthy } from "../jsonl/parseRow";
import { ViewUnavailableError } from "../trainers/trainerRefused";
import type { ChatMessage } from "./trainingInput";

/** A training_detail span as Axolotl writes one: character offsets, the end inclusive. */
export interface DetailSpan {
  begin_offset: number;
  end_offset: number;
  train: boolean;
}

/**
 * Axolotl's `_convert_content_parts` (its #3592, in main 067b021c): a list of content parts is
 * joined into one string (each part's text, content or value), and where a part says `train` or
 * `weight` the turn gets a training_detail with a span per part. Images and other parts without
 * text add nothing. Returns undefined where the content is not a list.
 */
export function joinContentParts(content: unknown): { text: string; detail?: DetailSpan[] } | undefined {
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  const detail: DetailSpan[] = [];
  let explicit = false;
  let offset = 0;
  for (const part of content) {
    if (!isPlainObject(part)) continue;
    // Python's `a or b or c or ""`: the first truthy of text, content and value.
    const text = [part.text, part.content, part.value].find((v) => pythonTruthy(v)) ?? "";
    const piece = typeof text === "string" ? text : String(text);
    texts.push(piece);
    const flagged = (part.train !== undefined && part.train !== null) || (part.weight !== undefined && part.weight !== null);
    if (flagged) explicit = true;
    const train = part.train !== undefined && part.train !== null ? pythonTruthy(part.train) : flagged ? part.weight !== 0 : true;
    if (piece) {
      detail.push({ begin_offset: offset, end_offset: offset + piece.length - 1, train });
      offset += piece.length;
    }
  }
  return { text: texts.join(""), detail: explicit ? detail : undefined };
}

/**
 * The turns as Axolotl's get_conversation_thread leaves them: list contents (and list reasoning)
 * joined, per-part training flags as the turn's training_detail. Per-part flags in the reasoning
 * (Axolotl's reasoning_training_detail) are not reproduced: the view says so rather than guess.
 */
export function withJoinedContent(
  messages: readonly ChatMessage[],
  thinkingKey = "reasoning_content",
): { messages: ChatMessage[]; details: Array<DetailSpan[] | undefined> } {
  const details: Array<DetailSpan[] | undefined> = [];
  const joined = messages.map((message) => {
    const content = joinContentParts(message.content);
    const reasoning = joinContentParts(message[thinkingKey]);
    details.push(content?.detail);
    if (reasoning?.detail)
      throw new ViewUnavailableError(
        "This turn's reasoning is a list of parts with training flags: Axolotl trains them by its reasoning_training_detail, which this view does not reproduce yet.",
      );
    if (!content && !reasoning) return message;
    return { ...message, ...(content ? { content: content.text } : {}), ...(reasoning ? { [thinkingKey]: reasoning.text } : {}) };
  });
  return { messages: joined, details };
}
