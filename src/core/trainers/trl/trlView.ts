import { isPlainObject } from "../../jsonl/parseRow";
import type { ChatTemplateSource } from "../../templates/chatTemplate";
import { renderChat } from "../../templates/chatTemplate";
import { renderWithGenerationSpans } from "../../templates/generationSpans";
import { alignTokens, ModelTokenizer, TokenSpan } from "../../tokenizers/modelTokenizer";
import { Masked, sameTokens } from "../../training/trainingView";
import { TrainerRefusedError } from "../trainerRefused";
import type { TrlSettings } from "./trlSettings";
import { ResponseMarkers, responseMarkers, responsesOnlyTrained } from "../unsloth/responsesOnly";
import { TrlInstall, trlTrainingTemplate } from "./trlTemplates";

/** What TRL builds from one row: ids, which carry loss, and the part `max_length` keeps. */
export interface TrlMasked extends Masked {
  /** Token range TRL keeps after truncation; outside it nothing trains. */
  keep: { start: number; end: number };
  /** TRL drops a row left with no trained token. */
  dropped: boolean;
  /** The training template swapped in for assistant_only_loss, when one was. */
  templateLabel?: string;
  /** Unsloth's markers, when its train_on_responses_only masked the row. */
  responsesOnly?: ResponseMarkers;
}

type Message = Record<string, unknown>;

/** TRL's `is_conversational`: the first supported key holds a list whose first item is a message with a role. */
function isConversational(example: Record<string, unknown>): boolean {
  const key = ["prompt", "chosen", "rejected", "completion", "messages"].find((k) => Object.hasOwn(example, k));
  const value = key === undefined ? undefined : example[key];
  return Array.isArray(value) && isPlainObject(value[0]) && "role" in value[0];
}

/** TRL's `maybe_convert_to_chatml`: `from`/`value` renamed `role`/`content` (role names kept), `conversations` renamed `messages`. */
function toChatml(row: Record<string, unknown>): Record<string, unknown> {
  const example: Record<string, unknown> = { ...row };
  for (const key of ["prompt", "completion", "chosen", "rejected", "messages", "conversations"]) {
    const value = example[key];
    if (!Array.isArray(value)) continue;
    example[key] = value.map((message) => {
      if (!isPlainObject(message)) return message;
      const converted: Message = { ...message };
      if ("from" in converted) {
        converted.role = converted.from;
        delete converted.from;
      }
      if ("value" in converted) {
        converted.content = converted.value;
        delete converted.value;
      }
      return converted;
    });
  }
  if ("conversations" in example) {
    example.messages = example.conversations;
    delete example.conversations;
  }
  return example;
}

export interface TrlContext {
  template: ChatTemplateSource;
  tokenizer: ModelTokenizer;
  settings: TrlSettings;
  installed?: TrlInstall;
  now?: Date;
}

/** `processing_class(text)`: the tokenizer's own special tokens added (a BOS for Llama 3, nothing for Qwen3). */
function encodeText(tokenizer: ModelTokenizer, text: string): { text: string; ids: number[] } {
  const bos = tokenizer.addsBos && tokenizer.bosToken ? tokenizer.bosToken : "";
  return { text: bos + text, ids: tokenizer.encode(bos + text) };
}

/** The rendering's tokens placed in its text: aligned once, shared by the assistant mask and the per-message counts. */
function tokenSpansOf(rendered: Rendered, tokenizer: ModelTokenizer): TokenSpan[] {
  return (rendered.tokens ??= alignTokens(rendered.text, rendered.ids, tokenizer.decode).spans);
}

/** transformers' `char_to_token`: the token holding a character. Spans tile the text in order, so the last one starting at or before it is the one, when it has not ended. */
function tokenAt(tokens: readonly TokenSpan[], char: number): number | undefined {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (tokens[middle].start <= char) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return char >= 0 && found >= 0 && char < tokens[found].end ? found : undefined;
}

/** transformers' assistant mask: each generation span's tokens, from the token holding its first character to the one holding its last. */
function assistantMask(rendered: Rendered, spans: Array<{ start: number; end: number }>, tokenizer: ModelTokenizer): boolean[] {
  const mask = new Array<boolean>(rendered.ids.length).fill(false);
  const tokens = tokenSpansOf(rendered, tokenizer);
  for (const span of spans) {
    const start = tokenAt(tokens, span.start);
    if (start === undefined) break;
    const end = tokenAt(tokens, span.end - 1);
    // transformers: `end_token + 1 if end_token else len(input_ids)`.
    const stop = end ? end + 1 : rendered.ids.length;
    for (let i = start; i < stop; i++) mask[i] = true;
  }
  return mask;
}

function templateArgs(example: Record<string, unknown>): { tools?: unknown[]; extra?: Record<string, unknown> } {
  let tools = example.tools;
  if (typeof tools === "string") {
    try {
      tools = JSON.parse(tools);
    } catch {
      throw new TrainerRefusedError("TRL: the row's tools is a string that is not JSON (TRL's json.loads fails on it).");
    }
  }
  const kwargs = isPlainObject(example.chat_template_kwargs) ? example.chat_template_kwargs : undefined;
  return { tools: Array.isArray(tools) ? tools : undefined, extra: kwargs };
}

interface Rendered {
  text: string;
  ids: number[];
  assistant?: boolean[];
  tokens?: TokenSpan[];
}

/** apply_chat_template(tokenize=True): no special tokens added, the template writes them. */
function renderConversation(
  messages: unknown[],
  template: ChatTemplateSource,
  context: TrlContext,
  example: Record<string, unknown>,
  options: { generationPrompt?: boolean; assistantMask?: boolean },
): Rendered {
  const { tools, extra } = templateArgs(example);
  const renderOptions = { tools, extra, now: context.now, addGenerationPrompt: options.generationPrompt };
  if (!options.assistantMask) {
    const text = renderChat(template, messages, renderOptions);
    return { text, ids: context.tokenizer.encode(text) };
  }
  const { text, spans } = renderWithGenerationSpans(template, messages, renderOptions);
  const rendered: Rendered = { text, ids: context.tokenizer.encode(text) };
  rendered.assistant = assistantMask(rendered, spans, context.tokenizer);
  return rendered;
}

const messageList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const standardRoles = new Set(["system", "developer", "user", "assistant", "tool"]);

/** Longer conversations are counted as one part: a rendering per turn would cost more than the view is worth. */
const maxTurnsCounted = 200;

/**
 * Where each message ends among the tokens, for the per-message counts: the conversation cut
 * after each message, rendered; where a template writes a cut differently (not a prefix of the
 * whole), the conversation is one part.
 */
function messageBounds(
  messages: unknown[],
  full: Rendered,
  template: ChatTemplateSource,
  context: TrlContext,
  example: Record<string, unknown>,
): { roles: string[]; messageEnds: number[] } {
  const whole = { roles: ["conversation"], messageEnds: [full.ids.length] };
  if (messages.length < 2 || messages.length > maxTurnsCounted) return whole;
  const tokens = tokenSpansOf(full, context.tokenizer);
  const { tools, extra } = templateArgs(example);
  const ends: number[] = [];
  for (let k = 1; k <= messages.length; k++) {
    let prefix: string;
    try {
      prefix = k === messages.length ? full.text : renderChat(template, messages.slice(0, k), { tools, extra, now: context.now });
    } catch {
      // A template may refuse a cut conversation (one ending on a user turn); the counts then cover the whole.
      return whole;
    }
    if (!full.text.startsWith(prefix)) return whole;
    const end = tokenAt(tokens, prefix.length - 1);
    ends.push(prefix.length === 0 ? 0 : end === undefined ? full.ids.length : end + 1);
  }
  ends[ends.length - 1] = full.ids.length;
  return { roles: messages.map((m) => (isPlainObject(m) ? String(m.role) : "?")), messageEnds: ends };
}

/** The row as TRL 1.13's SFTTrainer prepares it (`_prepare_dataset`): its text, ids and labels. */
export function trlMasks(row: Record<string, unknown>, context: TrlContext): TrlMasked {
  const { settings, tokenizer } = context;
  const warnings: string[] = [];
  if (settings.assistantOnlyLoss && !isConversational(row)) {
    throw new TrainerRefusedError(
      "TRL: You set `assistant_only_loss=True`, but the dataset is not conversational. This option is only supported for conversational datasets." +
        (Array.isArray(row.conversations)
          ? " (A ShareGPT `conversations` row counts as not conversational here: TRL checks before it converts; rename the field to messages with role/content turns.)"
          : ""),
    );
  }
  let template = context.template;
  let templateLabel: string | undefined;
  if (settings.assistantOnlyLoss) {
    const training = trlTrainingTemplate(template.template, context.installed);
    if (training && "refused" in training) throw new TrainerRefusedError(training.refused);
    if (training) {
      template = { ...template, template: training.template };
      templateLabel = training.label;
    }
  }
  const example = toChatml(row);
  const conversational = isConversational(example);
  const eos = settings.eosToken ?? tokenizer.eosToken ?? template.specialTokens.eos_token ?? "";
  if (!conversational) {
    // TRL's add_eos, branch for branch: a "text" field that already ends with EOS falls through to "completion".
    if ("text" in example && !String(example.text).endsWith(eos)) example.text = String(example.text) + eos;
    else if ("completion" in example && !String(example.completion).endsWith(eos)) example.completion = String(example.completion) + eos;
  }
  const isPromptCompletion = "prompt" in example;
  const completionOnly = settings.completionOnlyLoss ?? ("prompt" in row && "completion" in row);
  let full: Rendered;
  let completionMask: boolean[] | undefined;
  let promptLength = 0;
  let roles: string[];
  let messageEnds: number[];
  if (isPromptCompletion) {
    let prompt: Rendered;
    if (conversational) {
      prompt = renderConversation(messageList(example.prompt), template, context, example, { generationPrompt: true });
      full = renderConversation([...messageList(example.prompt), ...messageList(example.completion)], template, context, example, {
        assistantMask: settings.assistantOnlyLoss,
      });
    } else {
      prompt = encodeText(tokenizer, String(example.prompt ?? ""));
      full = encodeText(tokenizer, String(example.prompt ?? "") + String(example.completion ?? ""));
    }
    promptLength = prompt.ids.length;
    if (!sameTokens(prompt.ids, full.ids, prompt.ids.length)) {
      warnings.push(
        "TRL warns: the tokenized prompt is not the start of the tokenized prompt and completion (the prompt's last token merges with the completion's first), so the mask's edge is off by the merged token.",
      );
    }
    completionMask = full.ids.map((_, i) => i >= promptLength);
    roles = ["prompt", "completion"];
    messageEnds = [Math.min(promptLength, full.ids.length), full.ids.length];
  } else if (conversational) {
    const messages = messageList(example.messages);
    full = renderConversation(messages, template, context, example, { assistantMask: settings.assistantOnlyLoss });
    ({ roles, messageEnds } = messageBounds(messages, full, template, context, example));
    const kept = [...new Set(roles.filter((role) => !standardRoles.has(role)))];
    if (Array.isArray(row.conversations) && kept.length > 0 && full.ids.length > 0) {
      warnings.push(
        `TRL renames from/value to role/content but keeps ShareGPT's role names: the template sees ${kept.map((r) => `"${r}"`).join(", ")}, not user and assistant. Rename the roles in the data (or convert the file to messages).`,
      );
    }
  } else {
    const field = settings.datasetTextField;
    if (!(field in example))
      throw new TrainerRefusedError(
        `TRL reads a row's text from "${field}" (dataset_text_field), and this row has no such field; it reads messages, conversations, prompt and completion otherwise.`,
      );
    if (field !== "text")
      warnings.push(
        `TRL appends EOS only to a field named "text", so this row's "${field}" trains with no EOS: the model does not learn to stop (TRL 1.13's add_eos).`,
      );
    full = encodeText(tokenizer, String(example[field] ?? ""));
    roles = ["text"];
    messageEnds = [full.ids.length];
  }
  if (full.assistant && !full.assistant.includes(true)) {
    throw new TrainerRefusedError(
      "TRL: You're using `assistant_only_loss=True`, but at least one example has no assistant tokens. This usually means the tokenizer's chat template doesn't generate assistant masks — it may be missing the `{% generation %}` keyword.",
    );
  }
  if (full.ids.length === 0) {
    const why = Array.isArray(row.conversations)
      ? ": TRL keeps ShareGPT's role names (human, gpt) when it converts from/value to role/content, and this template writes no turn for them. Rename the roles to user and assistant"
      : "";
    warnings.push(`The template renders nothing for this row${why}. TRL trains nothing from it.`);
  }
  const trained = full.ids.map((_, i) => (!completionOnly || !completionMask || completionMask[i]) && (!full.assistant || full.assistant[i]));
  const keep = keptRange(full.ids.length, settings);
  if (keep.end - keep.start < full.ids.length) {
    const cut = full.ids.length - (keep.end - keep.start);
    warnings.push(
      `${full.ids.length.toLocaleString("en-US")} tokens is over max_length ${settings.maxLength}: TRL ${settings.truncationMode === "keep_end" ? "keeps the last" : "keeps the first"} ${(keep.end - keep.start).toLocaleString("en-US")} and cuts ${cut.toLocaleString("en-US")} (truncation_mode ${settings.truncationMode}); the cut tokens are shown untrained.`,
    );
    for (let i = 0; i < trained.length; i++) if (i < keep.start || i >= keep.end) trained[i] = false;
  }
  // TRL filters fully masked rows only where it truncates (max_length set, no packing).
  let dropped = settings.maxLength !== null && !settings.packing && !trained.includes(true);
  if (dropped && full.ids.length > 0) warnings.push('No token of this row is trained after truncation: TRL drops it ("Dropping fully masked examples").');
  const unsloth = settings.responsesOnly && responseMarkers(settings.responsesOnly, context.template, tokenizer);
  if (unsloth && !dropped) {
    dropped = maskResponsesOnly(full.ids, trained, keep, unsloth, settings, warnings);
  } else if (!trained.includes(true) && full.ids.length > 0 && !dropped) warnings.push("No token of this row is trained: it adds nothing to the loss.");
  return { text: full.text, ids: full.ids, trained, messageEnds, roles, warnings, keep, dropped, templateLabel, responsesOnly: unsloth || undefined };
}

/** Unsloth's pass over what TRL prepared (its kept tokens and labels), in place; true when Unsloth then removes the row. */
function maskResponsesOnly(
  ids: number[],
  trained: boolean[],
  keep: { start: number; end: number },
  markers: ResponseMarkers,
  settings: TrlSettings,
  warnings: string[],
): boolean {
  const kept = responsesOnlyTrained(ids.slice(keep.start, keep.end), trained.slice(keep.start, keep.end), markers, settings.responsesOnly!.lastResponseOnly);
  kept.forEach((value, i) => (trained[keep.start + i] = value));
  if (settings.packing)
    warnings.push("With packing, Unsloth masks the packed sequences, where one row's response can run on into the next row; this view masks the row alone.");
  if (kept.includes(true)) return false;
  warnings.push(
    `Unsloth's train_on_responses_only leaves no token of this row trained (no response marker ${JSON.stringify(markers.responsePart)} followed by trained tokens): every label is -100 and Unsloth removes the row.`,
  );
  return true;
}

/** Truncation happens in preparation unless packing (whose BFD strategies cut or split long rows themselves). */
function keptRange(length: number, settings: TrlSettings): { start: number; end: number } {
  const limit = settings.maxLength;
  if (limit === null || settings.packing || length <= limit) return { start: 0, end: length };
  return settings.truncationMode === "keep_end" ? { start: length - limit, end: length } : { start: 0, end: limit };
}

/** Ids and labels as TRL hands them to the collator (labels -100 where no loss), for comparing with TRL's own. */
export function trlIdsAndLabels(masked: TrlMasked): { inputIds: number[]; labels: number[] } {
  const inputIds = masked.ids.slice(masked.keep.start, masked.keep.end);
  const labels = inputIds.map((id, i) => (masked.trained[masked.keep.start + i] ? id : -100));
  return { inputIds, labels };
}
