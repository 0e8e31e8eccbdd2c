import { canonicalRole, ChatLayout, RoleAliases } from "./layout";
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
  | { kind: "text"; prompt: string; completion: string; mapping: string; notes: string[]; promptFormat: string }
  /** Axolotl's input_output type: text segments tokenized one by one, trained where `label` is true. */
  | { kind: "segments"; segments: Array<{ text: string; label: boolean }>; mapping: string; notes: string[]; promptFormat: string };

export const text = (value: unknown): string => (typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value));

// Stanford Alpaca's prompts, which Axolotl's `type: alpaca` uses.
const alpacaWithInput =
  "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
const alpacaNoInput =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Response:\n";

export function alpacaPrompt(instruction: string, input: string): string {
  return (input.trim() ? alpacaWithInput : alpacaNoInput).replace("{instruction}", () => instruction).replace("{input}", () => input);
}

/** Turns of a chat row with roles mapped as Axolotl's chat_template strategy maps them. */
export function chatMessages(turns: unknown[], layout: ChatLayout, roles: RoleAliases, notes: string[]): ChatMessage[] {
  return turns.filter(isPlainObject).map((turn) => {
    const name = turn[layout.roleKey];
    const role = canonicalRole(name, roles);
    if (!role) notes.push(`Role "${text(name)}" is not mapped to system/user/assistant/tool; the template sees it as is.`);
    const { [layout.roleKey]: _role, [layout.contentKey]: content, ...rest } = turn;
    const thinking = layout.thinking;
    if (thinking && rest[thinking.field] !== undefined && rest[thinking.field] !== null) {
      rest[thinking.templateKey] = rest[thinking.field];
      delete rest[thinking.field];
    }
    // Axolotl copies a turn's properties only where they are not None: a missing or null content reaches the template undefined.
    const kept = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null));
    return { ...kept, role: role ?? text(name), ...(content === null || content === undefined ? {} : { content }) } as ChatMessage;
  });
}

/** A TRL field that is either a string or a list of messages. */
export function asMessages(value: unknown, role: string): ChatMessage[] {
  if (Array.isArray(value)) return value.filter(isPlainObject).map((m) => ({ ...m, role: text(m.role), content: m.content ?? "" }));
  return [{ role, content: text(value) }];
}
