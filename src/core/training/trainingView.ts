import { pythonTruthy } from "../jsonl/parseRow";
import { ChatTemplateSource, renderChat } from "../templates/chatTemplate";
import { alignTokens, ModelTokenizer } from "../tokenizers/modelTokenizer";
import type { ChatMessage, TrainingInput } from "./trainingInput";
import type { TrainingSettings } from "./trainingSettings";
import { prefixEncoder } from "./segmentEncoder";
import { TrainingDetailError, trainingDetailMask, trainingDetailSpans } from "./trainingDetail";
import { withJoinedContent } from "./axolotlContentParts";
import { dummyContent, findEndOfTurn, findTurn } from "./turnBoundaries";

export interface ViewToken {
  id: number;
  start: number;
  end: number;
  trained: boolean;
  special: boolean;
  /** Index into `messages`. */
  message: number;
}

export interface Segment {
  text: string;
  trainable: boolean;
  role?: string;
}

/** Everything the panel and `render --json` show for one row. */
export interface TrainingView {
  text: string;
  tokens: ViewToken[];
  trainableTokens: number;
  segments: Segment[];
  messages: Array<{ role: string; tokens: number }>;
  warnings: string[];
}

export interface ViewOptions {
  now?: Date;
  extra?: Record<string, unknown>;
}

function tokenSet(tokenizer: ModelTokenizer, texts: Array<string | undefined>): Set<number> {
  const ids = new Set<number>();
  for (const text of texts) {
    const id = text ? tokenizer.tokenId(text) : undefined;
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** A decoded span in quotes, its ends kept and its middle cut, its line breaks shown as \\n. */
function excerpt(text: string): string {
  const shown = text.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
  return `“${shown.length > 90 ? `${shown.slice(0, 40)}…${shown.slice(-40)}` : shown}”`;
}

/** Whether two id lists begin with the same `length` ids. */
export function sameTokens(a: readonly number[], b: readonly number[], length: number): boolean {
  if (a.length < length || b.length < length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What a trainer builds from a row: the text, its ids, which carry loss, and where each message ends. */
export interface Masked {
  text: string;
  ids: number[];
  trained: boolean[];
  /** Token index where each message ends (exclusive). */
  messageEnds: number[];
  roles: string[];
  warnings: string[];
}

function chatMasks(
  input: Extract<TrainingInput, { kind: "chat" }>,
  template: ChatTemplateSource,
  tokenizer: ModelTokenizer,
  settings: TrainingSettings,
  options: ViewOptions,
): Masked {
  const render = (messages: ChatMessage[], extra = options.extra) => renderChat(template, messages, { tools: input.tools, now: options.now, extra });
  const { messages, details: partDetails } = withJoinedContent(input.messages);
  const text = render(messages);
  // Axolotl's find_turn passes real_last_index (when not 0) to both renders of a turn, so a
  // template can write each turn as it stands in the whole conversation (its qwen3 does).
  const realLastIndex = messages.length - 1;
  const turnExtra = realLastIndex > 0 ? { ...options.extra, real_last_index: realLastIndex } : options.extra;
  const renderTurn = (turns: ChatMessage[]) => render(turns, turnExtra);
  const readsRealLastIndex = template.template.includes("real_last_index");
  const ids = tokenizer.encode(text);
  const encodePrefix = prefixEncoder(tokenizer, text, ids);
  const trained = new Array<boolean>(ids.length).fill(false);
  const warnings: string[] = [];
  const eotIds = tokenSet(tokenizer, settings.eotTokens ?? [tokenizer.eosToken ?? template.specialTokens.eos_token]);
  const messageEnds: number[] = [];
  const shiftedTurns: Array<{ index: number; role: string; start: number; end: number }> = [];
  let lastEot: number | undefined;
  for (let index = 0; index < messages.length; index++) {
    const turn = messages[index];
    const prefixIds = index === messages.length - 1 && !readsRealLastIndex ? ids : encodePrefix(renderTurn(messages.slice(0, index + 1)));
    messageEnds.push(Math.min(ids.length, Math.max(prefixIds.length, messageEnds[index - 1] ?? 0)));
    const flag = settings.trainingField === undefined ? undefined : turn[settings.trainingField];
    const detail = partDetails[index] ?? (settings.trainingDetailField === undefined ? undefined : turn[settings.trainingDetailField]);
    // Axolotl: the turn's own flag, else whether it has trained spans, else roles_to_train.
    const explicit = flag !== undefined && flag !== null ? pythonTruthy(flag) : detail !== undefined && detail !== null ? pythonTruthy(detail) : undefined;
    const shouldTrain = explicit ?? (settings.trainOnInputs || settings.rolesToTrain.includes(turn.role));
    if (!shouldTrain && settings.trainOnEos !== "all" && settings.trainOnEos !== "last") continue;
    const dummyIds = encodePrefix(renderTurn([...messages.slice(0, index), { role: turn.role, content: dummyContent }]));
    const bounds = findTurn(dummyIds, prefixIds);
    if (!bounds) {
      if (shouldTrain)
        warnings.push(
          `Turn ${index + 1} (${turn.role}): its place in the rendering cannot be found (rendered with a dummy message it gives the same tokens, or none), so Axolotl trains none of it.`,
        );
      continue;
    }
    const shifted = shouldTrain && !sameTokens(prefixIds, ids, bounds.end);
    if (shifted) shiftedTurns.push({ index, role: turn.role, start: bounds.start, end: Math.min(bounds.end, ids.length) });
    if (shouldTrain && pythonTruthy(detail)) {
      if (typeof turn.content !== "string")
        throw new TrainingDetailError("training_detail is not supported when a turn's content is not a string (Axolotl stops on this row)");
      // Axolotl lays the content's own tokens over the rendering from the turn's start.
      trainingDetailMask(tokenizer, turn.content, trainingDetailSpans(detail)).forEach(
        (on, i) => on && bounds.start + i < ids.length && (trained[bounds.start + i] = true),
      );
    } else if (shouldTrain) for (let i = bounds.start; i < bounds.end && i < ids.length; i++) trained[i] = true;
    const eot = findEndOfTurn(ids, bounds.end, eotIds);
    if (eot === undefined) {
      if (shouldTrain && !shifted && settings.trainOnEos === "turn")
        warnings.push(
          `Turn ${index + 1} (${turn.role}): no end-of-turn token within 3 tokens of its end, so the model does not learn to stop here (set eot_tokens to the template's turn end).`,
        );
      continue;
    }
    lastEot = eot;
    if (settings.trainOnEos === "all" || (settings.trainOnEos === "turn" && shouldTrain)) trained[eot] = true;
  }
  if (settings.trainOnEos === "last" && lastEot !== undefined) trained[lastEot] = true;
  messageEnds[messageEnds.length - 1] = ids.length;
  if (shiftedTurns.length > 0) warnings.push(shiftedWarning(shiftedTurns, tokenizer, ids, readsRealLastIndex));
  return { text, ids, trained, messageEnds, roles: messages.map((m) => m.role), warnings };
}

/**
 * Says plainly, on the turns it concerns, that the span shown trained is where Axolotl's
 * find_turn puts it: boundaries found on the conversation cut after a turn, laid over the whole.
 */
function shiftedWarning(
  turns: Array<{ index: number; role: string; start: number; end: number }>,
  tokenizer: ModelTokenizer,
  ids: number[],
  readsRealLastIndex: boolean,
): string {
  const first = turns[0];
  const which =
    turns.length === 1
      ? `Turn ${first.index + 1} (${first.role})`
      : `Turns ${turns
          .slice(0, 5)
          .map((t) => t.index + 1)
          .join(", ")}${turns.length > 5 ? `, … (${turns.length} in all)` : ""}`;
  const marked = excerpt(tokenizer.decode(ids.slice(first.start, first.end)));
  const why = readsRealLastIndex
    ? "this template keeps an answer's reasoning when the conversation is cut after it and drops it in the whole conversation (it keeps reasoning only after the last user turn), even with real_last_index, so its boundaries land off the turn's text. This is Axolotl's behaviour with this template, not a display error; reasoning kept only in the last answer has no shift."
    : "this template writes the turn differently there than in the whole conversation (Qwen3's adds an empty <think> block to a last turn), so its boundaries land off the turn's text. This is Axolotl's behaviour with this template, not a display error; a template that reads real_last_index (Axolotl's own qwen3: chat_template: qwen3) has no shift there.";
  return `${which}: Axolotl trains shifted tokens here, as shown (turn ${first.index + 1}: ${marked}). It finds a turn on the conversation cut after that turn, and ${why}`;
}

/** Shown where a text row's EOS goes while no tokenizer says which token it is. */
export const unknownEosToken = "⟨EOS⟩";

/** Axolotl's alpaca/completion types: prompt and completion as text, the prompt masked. */
function textMasks(
  input: Extract<TrainingInput, { kind: "text" }>,
  template: ChatTemplateSource,
  tokenizer: ModelTokenizer,
  settings: TrainingSettings,
): Masked {
  const bos = tokenizer.exact ? (tokenizer.addsBos ? (tokenizer.bosToken ?? "") : "") : (template.specialTokens.bos_token ?? "");
  // The trainer closes a text row with the tokenizer's EOS; with no tokenizer, which one is unknown.
  const eos = tokenizer.exact ? (tokenizer.eosToken ?? template.specialTokens.eos_token ?? "") : unknownEosToken;
  const text = bos + input.prompt + input.completion + eos;
  const ids = tokenizer.encode(text);
  const promptIds = input.prompt ? tokenizer.encode(bos + input.prompt) : [];
  const promptEnd = promptIds.length;
  const trainFrom = settings.trainOnInputs || !input.prompt ? 0 : promptEnd;
  const trained = ids.map((_, i) => i >= trainFrom);
  const warnings = eos ? [] : ["The tokenizer has no EOS token: the completion is not closed, so the model does not learn to stop."];
  if (!tokenizer.exact)
    warnings.push(`The completion ends with the model's EOS token, shown as ${unknownEosToken}: which token that is, the tokenizer says (set one to see it).`);
  if (eos && input.completion.trimEnd().endsWith(eos)) {
    warnings.push(
      `The completion already ends with ${eos}, and the trainer adds ${eos} again: the model learns to stop twice (a double stop). Remove it from the data.`,
    );
  }
  // Trainers tokenize the prompt alone and mask that many tokens of the whole.
  if (trainFrom > 0 && input.completion && !sameTokens(promptIds, ids, promptEnd)) {
    warnings.push(
      "The prompt's last token merges with the completion's first when tokenized together, so the start of the completion is masked (a prompt ending in a space does this).",
    );
  }
  const roles = input.prompt ? ["prompt", "completion"] : ["text"];
  return { text, ids, trained, messageEnds: input.prompt ? [promptEnd, ids.length] : [ids.length], roles, warnings };
}

/**
 * Axolotl's input_output type: each segment tokenized alone with no special tokens added, the
 * ids joined, loss where the segment's `label` is true (or everywhere with train_on_inputs).
 */
function segmentMasks(input: Extract<TrainingInput, { kind: "segments" }>, tokenizer: ModelTokenizer, settings: TrainingSettings): Masked {
  let text = "";
  const ids: number[] = [];
  const trained: boolean[] = [];
  const messageEnds: number[] = [];
  for (const segment of input.segments) {
    const segmentIds = tokenizer.encode(segment.text);
    text += segment.text;
    ids.push(...segmentIds);
    for (const _ of segmentIds) trained.push(segment.label || settings.trainOnInputs);
    messageEnds.push(ids.length);
  }
  const warnings = input.segments.some((s) => s.label) ? [] : ["No segment has label: true, so nothing in this row is trained."];
  return { text, ids, trained, messageEnds, roles: input.segments.map((s) => (s.label ? "trained" : "masked")), warnings };
}

function segmentsOf(text: string, tokens: ViewToken[], roles: string[]): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (next && next.trained === token.trained && next.message === token.message) continue;
    const end = next ? next.start : text.length;
    if (end > start || segments.length === 0) segments.push({ text: text.slice(start, end), trainable: token.trained, role: roles[token.message] });
    start = end;
  }
  if (tokens.length === 0 && text) segments.push({ text, trainable: false });
  return segments;
}

function masksOf(input: TrainingInput, template: ChatTemplateSource, tokenizer: ModelTokenizer, settings: TrainingSettings, options: ViewOptions): Masked {
  if (input.kind === "chat") return chatMasks(input, template, tokenizer, settings, options);
  return input.kind === "segments" ? segmentMasks(input, tokenizer, settings) : textMasks(input, template, tokenizer, settings);
}

/** A row's figures for the training budget: the same masks as the view, without the token text the panel needs. */
export interface TrainingCounts {
  tokens: number;
  trained: number;
  /** Trained tokens within the first `sequenceLen` (what Axolotl's truncate keeps). */
  trainedWithinLimit?: number;
  /** Messages (chat rows) or parts (prompt and completion). */
  turns: number;
  /** The trainer removes the row in preparation (TRL: nothing left trained after truncation, or after Unsloth's masking). */
  dropped?: boolean;
}

export function trainingCounts(
  input: TrainingInput,
  template: ChatTemplateSource,
  tokenizer: ModelTokenizer,
  settings: TrainingSettings,
  options: ViewOptions = {},
): TrainingCounts {
  const masked = masksOf(input, template, tokenizer, settings, options);
  const limit = settings.sequenceLen;
  let trained = 0;
  let trainedWithinLimit = 0;
  masked.trained.forEach((isTrained, i) => {
    if (!isTrained) return;
    trained++;
    if (limit !== undefined && i < limit) trainedWithinLimit++;
  });
  return { tokens: masked.ids.length, trained, trainedWithinLimit: limit === undefined ? undefined : trainedWithinLimit, turns: masked.roles.length };
}

/** Renders a row's training input and marks which tokens carry loss. */
export function buildTrainingView(
  input: TrainingInput,
  template: ChatTemplateSource,
  tokenizer: ModelTokenizer,
  settings: TrainingSettings,
  options: ViewOptions = {},
): TrainingView {
  const view = viewOfMasked(masksOf(input, template, tokenizer, settings, options), tokenizer, input.notes);
  if (settings.sequenceLen && view.tokens.length > settings.sequenceLen)
    view.warnings.push(
      `${view.tokens.length.toLocaleString("en-US")} tokens is over sequence_len ${settings.sequenceLen.toLocaleString("en-US")}: Axolotl drops this row (or truncates it, with excess_length_strategy: truncate).`,
    );
  return view;
}

/** The panel's view of what a trainer built: tokens placed in the text, segments, counts per message. */
export function viewOfMasked(masked: Masked, tokenizer: ModelTokenizer, notes: string[] = []): TrainingView {
  const { spans, aligned } = alignTokens(masked.text, masked.ids, tokenizer.decode);
  let message = 0;
  const tokens = spans.map((span, i): ViewToken => {
    while (message < masked.messageEnds.length - 1 && i >= masked.messageEnds[message]) message++;
    return { ...span, trained: masked.trained[i], special: tokenizer.isSpecial(span.id), message };
  });
  const warnings = [...notes, ...masked.warnings];
  if (!aligned) warnings.push("The tokenizer rewrites the text (a normalizer): token boundaries shown are approximate; counts are exact.");
  const counts = masked.roles.map((role, i) => ({ role, tokens: Math.max(0, masked.messageEnds[i] - (masked.messageEnds[i - 1] ?? 0)) }));
  return {
    text: masked.text,
    tokens,
    trainableTokens: tokens.reduce((n, t) => n + (t.trained ? 1 : 0), 0),
    segments: segmentsOf(masked.text, tokens, masked.roles),
    messages: counts,
    warnings,
  };
}
