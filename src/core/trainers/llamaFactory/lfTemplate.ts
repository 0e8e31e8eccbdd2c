import type { ModelTokenizer } from "../../tokenizers/modelTokenizer";
import { TrainerRefusedError, ViewUnavailableError } from "../trainerRefused";
import type { LlamaFactoryTemplateSpec, Slot } from "./templateSpec";
import { pythonJsonDumps } from "./pythonJson";
import type { FunctionCall } from "./toolFormatBasics";
import { toolFormat } from "./toolFormats";

/** LLaMA-Factory's roles after its converters. */
export type LfRole = "user" | "assistant" | "function" | "observation";
export interface LfMessage {
  role: LfRole;
  content: string;
}

/** Encoded text: what each piece says and its ids, in order. */
export interface Encoded {
  text: string;
  ids: number[];
}

const join = (parts: Encoded[]): Encoded => ({ text: parts.map((p) => p.text).join(""), ids: parts.flatMap((p) => p.ids) });
export const emptyEncoded = (): Encoded => ({ text: "", ids: [] });
export const concat = (a: Encoded, b: Encoded): Encoded => ({ text: a.text + b.text, ids: [...a.ids, ...b.ids] });

/** The settings of LLaMA-Factory's data arguments a template reads. */
export interface LfTemplateOptions {
  enableThinking: boolean | null;
  preserveThinking: boolean;
  defaultSystem?: string;
  /** The clock a tool format with today's date reads (Llama 3's). */
  now?: Date;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A registered template, encoding as LLaMA-Factory's Template classes do (`_encode`,
 * `encode_multiturn`, the reasoning template's empty thought), with the tokenizer's special
 * tokens as `fix_special_tokens` leaves them (`replace_eos` makes the first stop word the EOS).
 */
export class LfTemplate {
  readonly eosToken: string;
  readonly eosId: number;
  private readonly thoughtWords: [string, string];
  private readonly toolCallWords: [string, string];
  readonly enableThinking: boolean | null;
  readonly preserveThinking: boolean;
  private readonly defaultSystem: string;
  private readonly now?: Date;

  constructor(
    readonly name: string,
    readonly spec: LlamaFactoryTemplateSpec,
    private readonly tokenizer: ModelTokenizer,
    options: LfTemplateOptions,
  ) {
    const stop = spec.stopWords ?? [];
    if (spec.replaceEos && stop.length === 0) throw new TrainerRefusedError("LLaMA-Factory: Stop words are required to replace the EOS token.");
    this.eosToken = spec.replaceEos ? stop[0] : (tokenizer.eosToken ?? "<|endoftext|>");
    // fix_special_tokens adds the EOS and the stop words the tokenizer lacks as new tokens, with ids past its vocabulary.
    const added = [this.eosToken, ...stop].filter((token, i, all) => all.indexOf(token) === i && tokenizer.tokenId(token) === undefined);
    if (added.length > 0)
      throw new ViewUnavailableError(
        `LLaMA-Factory adds ${added.join(", ")} to this tokenizer as new token${added.length === 1 ? "" : "s"} (resize_vocab) for its ${name} template: a template made for another model's tokenizer. Their ids and the text around them are not shown; pick the template of your model.`,
      );
    this.eosId = tokenizer.tokenId(this.eosToken) as number;
    this.thoughtWords = (spec.thoughtWords as [string, string] | undefined) ?? ["<think>\n", "\n</think>\n\n"];
    this.toolCallWords = (spec.toolCallWords as [string, string] | undefined) ?? ["<tool_call>", "</tool_call>"];
    const reasoning = spec.kind === "ReasoningTemplate" || spec.kind === "Glm47ReasoningTemplate";
    // get_template_and_fix_tokenizer: a reasoning template takes the data arguments' thinking settings.
    this.enableThinking = reasoning ? options.enableThinking : spec.enableThinking === undefined ? true : spec.enableThinking;
    this.preserveThinking = reasoning ? options.preserveThinking : (spec.preserveThinking ?? false);
    this.defaultSystem = options.defaultSystem ?? spec.defaultSystem ?? "";
    this.now = options.now;
  }

  get isReasoning(): boolean {
    return this.spec.kind === "ReasoningTemplate" || this.spec.kind === "Glm47ReasoningTemplate";
  }

  get efficientEos(): boolean {
    return this.spec.efficientEos === true;
  }

  /** `_convert_elements_to_ids`: text without special tokens added, `{"token"}` by name, bos/eos by id. */
  private encodeSlots(slots: Slot[]): Encoded {
    const parts: Encoded[] = [];
    for (const slot of slots) {
      if (typeof slot === "string") {
        if (slot.length > 0) parts.push({ text: slot, ids: this.tokenizer.encode(slot) });
      } else if ("token" in slot) {
        const id = this.tokenizer.tokenId(slot.token);
        if (id === undefined)
          throw new TrainerRefusedError(`LLaMA-Factory's ${this.name} template writes the token ${slot.token}, which this tokenizer does not have.`);
        parts.push({ text: slot.token, ids: [id] });
      } else if (slot.special === "bos_token") {
        const bos = this.tokenizer.bosToken;
        const id = bos === undefined ? undefined : this.tokenizer.tokenId(bos);
        if (bos !== undefined && id !== undefined) parts.push({ text: bos, ids: [id] });
      } else if (slot.special === "eos_token") {
        parts.push({ text: this.eosToken, ids: [this.eosId] });
      }
    }
    return join(parts);
  }

  /** StringFormatter.apply: each slot's first `{{content}}` replaced. */
  private static fill(slots: Slot[], content: string): Slot[] {
    return slots.map((slot) => (typeof slot === "string" ? slot.replace("{{content}}", () => content) : slot));
  }

  /** FunctionFormatter.apply: the JSON calls written in the template's tool format, a thought or text before them kept. */
  private functionText(content: string, withWords: boolean): string {
    const format = toolFormat(this.spec.functionFormat, this.now);
    const parse = (json: string): FunctionCall[] => {
      let calls: unknown;
      try {
        calls = JSON.parse(json);
      } catch {
        throw new TrainerRefusedError(`LLaMA-Factory: Invalid JSON format in function message: ${JSON.stringify([content])}.`);
      }
      const list = Array.isArray(calls) ? calls : [calls];
      return list.map((call) => {
        const c = (call ?? {}) as Record<string, unknown>;
        if (typeof c.name !== "string" || !("arguments" in c))
          throw new TrainerRefusedError("LLaMA-Factory fails on a function call without a name and arguments (KeyError).");
        return { name: c.name, arguments: pythonJsonDumps(c.arguments) };
      });
    };
    const callMatch = withWords ? new RegExp(`${escapeRegExp(this.toolCallWords[0])}([\\s\\S]*?)${escapeRegExp(this.toolCallWords[1])}`).exec(content) : null;
    if (!callMatch) {
      const thought = withWords ? new RegExp(`${escapeRegExp(this.thoughtWords[0])}([\\s\\S]*?)${escapeRegExp(this.thoughtWords[1])}`).exec(content) : null;
      const json = thought ? content.split(thought[0]).join("") : content;
      const written = format.calls(parse(json));
      return thought ? thought[0] + written : written;
    }
    return content.split(callMatch[0]).join("") + format.calls(parse(callMatch[1]));
  }

  /** `_encode` of the template's class: each message's ids, the first with the prefix and the system. */
  encodeMessages(messages: LfMessage[], system: string | undefined, tools: string | undefined): Encoded[] {
    const sys = system || this.defaultSystem;
    const llama2 = this.spec.kind === "Llama2Template";
    return messages.map((message, i) => {
      const slots: Slot[] = [];
      let systemText = "";
      if (i === 0) {
        slots.push(...this.spec.prefix);
        if (sys || tools) {
          let toolText = tools ? this.toolsText(tools) : "";
          if (this.spec.kind === "MossVLTemplate" && tools && !sys) toolText = toolText.replace(/^\n+/, "");
          const filled = LfTemplate.fill(this.spec.system, sys + toolText);
          if (llama2) systemText = typeof filled[0] === "string" ? filled[0] : "";
          else slots.push(...filled);
        }
      }
      if (message.role === "user") slots.push(...LfTemplate.fill(this.spec.user, llama2 ? systemText + message.content : message.content));
      else if (message.role === "assistant") slots.push(...LfTemplate.fill(this.spec.assistant, message.content));
      else if (message.role === "observation") slots.push(...LfTemplate.fill(this.spec.observation, message.content));
      else slots.push(...LfTemplate.fill(this.spec.function, this.functionText(message.content, !llama2)));
      return this.encodeSlots(slots);
    });
  }

  /** ToolFormatter.apply: the tools' JSON described in the template's tool format. */
  private toolsText(tools: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(tools);
    } catch {
      throw new TrainerRefusedError(`LLaMA-Factory: Invalid JSON format in tool description: ${JSON.stringify([tools])}.`);
    }
    const list = Array.isArray(parsed) ? parsed : [];
    return list.length === 0 ? "" : toolFormat(this.spec.toolFormat, this.now).tools(list as Array<Record<string, unknown>>);
  }

  /** `remove_thought`: every thought block taken out, then leading line breaks. */
  removeThought(content: string): string {
    const pattern = new RegExp(`${escapeRegExp(this.thoughtWords[0])}([\\s\\S]*?)${escapeRegExp(this.thoughtWords[1])}`, "g");
    return content.replace(pattern, "").replace(/^\n+/, "");
  }

  /** `add_thought("")`: the empty thought (GLM-4.7 writes only its closing tag). */
  emptyThought(): Encoded {
    const text = this.spec.kind === "Glm47ReasoningTemplate" ? this.thoughtWords[1] : this.thoughtWords[0] + this.thoughtWords[1];
    return { text, ids: this.tokenizer.encode(text) };
  }

  hasThought(content: string): boolean {
    return content.includes(this.thoughtWords[0].trim()) || content.includes(this.thoughtWords[1].trim());
  }

  /** `encode_multiturn`: (prompt, response) pairs; a reasoning template adds the empty thought where an answer has none. */
  encodeMultiturn(input: LfMessage[], system: string | undefined, tools: string | undefined, discardingHistoryCot: boolean): Array<[Encoded, Encoded]> {
    const messages = input.map((m) => ({ ...m }));
    let encoded: Encoded[];
    if (this.isReasoning) {
      if (this.enableThinking === false) for (let i = 1; i < messages.length; i += 2) messages[i].content = this.removeThought(messages[i].content);
      if (discardingHistoryCot) for (let i = 1; i < messages.length - 2; i += 2) messages[i].content = this.removeThought(messages[i].content);
      encoded = this.encodeMessages(messages, system, tools);
      const turns = discardingHistoryCot ? [messages.length - 2] : messages.map((_, i) => i).filter((i) => i % 2 === 0);
      for (const i of turns) {
        if (this.hasThought(messages[i + 1].content)) continue;
        if (!this.enableThinking) encoded[i] = concat(encoded[i], this.emptyThought());
        else encoded[i + 1] = concat(this.emptyThought(), encoded[i + 1]);
      }
    } else encoded = this.encodeMessages(messages, system, tools);
    const pairs: Array<[Encoded, Encoded]> = [];
    for (let i = 0; i < encoded.length; i += 2) pairs.push([encoded[i], encoded[i + 1] ?? emptyEncoded()]);
    return pairs;
  }
}
