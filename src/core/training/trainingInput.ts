import type { FormatId } from "../formats/detect";
import { FieldMapping, InstructionType, instructionParts, instructionTypeOf, outputKeyOf, textKeyOf } from "../formats/instructionTypes";
import { canonicalRole, ChatLayout, chatLayoutOf, RoleAliases, rolesFor } from "../formats/layout";
import { isPlainObject } from "../jsonl/parseRow";

export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

/**
 * What the trainer builds from a row: a conversation for the chat template, or a prompt and a
 * completion joined as plain text (Axolotl's alpaca/completion types, Genstruct's layout).
 * `mapping` tells the user which fields went where.
 */
export type TrainingInput =
  | { kind: "chat"; messages: ChatMessage[]; tools?: unknown[]; mapping: string; notes: string[] }
  /** `promptFormat` names what builds the text in place of a chat template ("Alpaca prompt"). */
  | { kind: "text"; prompt: string; completion: string; mapping: string; notes: string[]; promptFormat: string };

const text = (value: unknown): string => (typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value));

// Stanford Alpaca's prompts, which Axolotl's `type: alpaca` uses.
const alpacaWithInput = "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
const alpacaNoInput = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Response:\n";

function alpacaPrompt(instruction: string, input: string): string {
  return (input.trim() ? alpacaWithInput : alpacaNoInput).replace("{instruction}", () => instruction).replace("{input}", () => input);
}

/** Turns of a chat row with roles mapped as Axolotl's chat_template strategy maps them. */
function chatMessages(turns: unknown[], layout: ChatLayout, roles: RoleAliases, notes: string[]): ChatMessage[] {
  return turns.filter(isPlainObject).map((turn) => {
    const name = turn[layout.roleKey];
    const role = canonicalRole(name, roles);
    if (!role) notes.push(`Role "${text(name)}" is not mapped to system/user/assistant/tool; the template sees it as is.`);
    const { [layout.roleKey]: _role, [layout.contentKey]: content, ...rest } = turn;
    return { ...rest, role: role ?? text(name), content: content ?? "" };
  });
}

/** A TRL field that is either a string or a list of messages. */
function asMessages(value: unknown, role: string): ChatMessage[] {
  if (Array.isArray(value)) return value.filter(isPlainObject).map((m) => ({ ...m, role: text(m.role), content: m.content ?? "" }));
  return [{ role, content: text(value) }];
}

export type InputOptions = FieldMapping;

export function trainingInput(format: FormatId | undefined, row: Record<string, unknown>, options: InputOptions = {}): TrainingInput | undefined {
  const notes: string[] = [];
  const tools = Array.isArray(row.tools) ? row.tools : undefined;
  switch (format) {
    case "openai":
    case "sharegpt": {
      const layout = chatLayoutOf(row, options.layout);
      const turns = layout ? row[layout.field] : undefined;
      if (!layout || !Array.isArray(turns)) return undefined;
      const messages = chatMessages(turns, layout, rolesFor(layout, options.roles), notes);
      // LLaMA-Factory's ShareGPT rows keep the system prompt beside the turns.
      const system = row[options.chatSystemKey ?? "system"];
      if (typeof system === "string" && system && !messages.some((m) => m.role === "system")) messages.unshift({ role: "system", content: system });
      return { kind: "chat", messages, tools, mapping: `"${layout.field}" turns: ${layout.roleKey} → role, ${layout.contentKey} → content`, notes };
    }
    case "alpaca":
      return instructionInput(row, instructionTypeOf(row, options.instructionType), notes);
    case "self-instruct": {
      const instances = Array.isArray(row.instances) ? row.instances.filter(isPlainObject) : [];
      const first = instances[0] ?? {};
      if (instances.length > 1) notes.push(`Showing instance 1 of ${instances.length}; each instance becomes its own training example.`);
      return { kind: "text", prompt: alpacaPrompt(text(row.instruction), text(first.input)), completion: text(first.output), mapping: "Self-Instruct task as an Alpaca prompt: instruction and the instance's input, the instance's output as the completion", notes, promptFormat: "Alpaca prompt" };
    }
    case "s1k": {
      // simplescaling/s1's tokenization: the question as the user turn, the reasoning trace and
      // the attempt in one assistant turn with Qwen-style think/answer markers.
      const trajectories = Array.isArray(row.thinking_trajectories) ? row.thinking_trajectories.map(text).join("\n") : text(row.thinking_trajectories);
      const attempt = text(row.attempt);
      const answer = attempt.includes("Answer:") ? attempt : `Answer: ${attempt}`;
      const content = `<|im_start|>think\n${trajectories.trim()}\n<|im_start|>answer\n${answer}`;
      return { kind: "chat", messages: [{ role: "user", content: text(row.question) }, { role: "assistant", content }], mapping: "s1K layout: question → user; thinking_trajectories and attempt → assistant as <|im_start|>think … <|im_start|>answer Answer: …", notes };
    }
    case "genstruct": {
      const prompt = `[[[Title]]] ${text(row.title)}\n[[[Content]]] ${text(row.content)}\n\nThe following is an interaction between a user and an AI assistant that is related to the above text.\n\n[[[User]]] `;
      const question = text(row.question ?? row.instruction);
      const answer = text(row.answer ?? row.response ?? row.output);
      if (!question && !answer) notes.push("A passage with no question or answer: it is Genstruct's input, nothing here is trained.");
      const completion = question || answer ? `${question}\n\n[[[Assistant]]] ${answer}` : "";
      return { kind: "text", prompt, completion, mapping: "Genstruct layout: [[[Title]]] and [[[Content]]] up to \"[[[User]]] \" as the prompt, the question and [[[Assistant]]] answer as the completion", notes, promptFormat: "Genstruct layout" };
    }
    case "prompt-completion":
    case "kto":
    case "preference": {
      const completionField = format === "preference" ? "chosen" : "completion";
      if (format === "preference") notes.push("Showing prompt + chosen; the rejected completion is built the same way.");
      const conversational = Array.isArray(row.prompt) || Array.isArray(row[completionField]);
      if (conversational) {
        const messages = [...(Object.hasOwn(row, "prompt") ? asMessages(row.prompt, "user") : []), ...asMessages(row[completionField], "assistant")];
        return { kind: "chat", messages, tools, mapping: `Conversational prompt + ${completionField}: rendered with the chat template, loss on the ${completionField}`, notes };
      }
      return { kind: "text", prompt: text(row.prompt), completion: text(row[completionField]), mapping: `prompt + ${completionField} as plain text (TRL), loss on the ${completionField}`, notes, promptFormat: "prompt and completion as plain text" };
    }
    case "text": {
      const key = textKeyOf(options);
      return { kind: "text", prompt: "", completion: text(row[key]), mapping: `Plain text from "${key}" (Axolotl type: completion): every token is trained`, notes, promptFormat: "plain text" };
    }
    default:
      return undefined;
  }
}

/**
 * An Alpaca-family row as Axolotl builds it: its type's instruction, input and answer in the
 * Alpaca prompt, or in a custom type's `format` / `no_input_format` / `system_format`.
 */
function instructionInput(row: Record<string, unknown>, type: InstructionType, notes: string[]): TrainingInput {
  const parts = instructionParts(row, type);
  const output = outputKeyOf(row, type);
  const read = [type.instruction, type.input].filter(Boolean).join(" and ");
  const custom = type.prompt;
  if (custom?.format) {
    const system = parts.system ?? custom.systemPrompt;
    const systemText = system && custom.systemFormat ? custom.systemFormat.replace("{system}", () => system) : "";
    const turn = parts.input ? custom.format : (custom.noInputFormat ?? custom.format);
    const prompt = systemText + turn.replace("{instruction}", () => parts.instruction).replace("{input}", () => parts.input);
    return { kind: "text", prompt, completion: parts.output, mapping: `The custom type's format: ${read} in the prompt, ${output} as the completion`, notes, promptFormat: "the custom type's format" };
  }
  if (type.name === "custom") notes.push("The custom type gives no `format`: shown with the Alpaca prompt.");
  return { kind: "text", prompt: alpacaPrompt(parts.instruction, parts.input), completion: parts.output, mapping: `Alpaca prompt (Axolotl type: ${type.name}): ${read} in the prompt, ${output} as the completion`, notes, promptFormat: "Alpaca prompt" };
}
