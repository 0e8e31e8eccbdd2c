import { isPlainObject } from "../jsonl/parseRow";

/** Where a chat row keeps its turns and what each turn's keys are called. */
export interface ChatLayout {
  field: string;
  roleKey: string;
  contentKey: string;
  /** Axolotl's field_thinking: a turn's reasoning key, passed to the template as `templateKey` (template_thinking_key). */
  thinking?: { field: string; templateKey: string };
}

export const openaiLayout: ChatLayout = { field: "messages", roleKey: "role", contentKey: "content" };
export const sharegptLayout: ChatLayout = { field: "conversations", roleKey: "from", contentKey: "value" };

export type CanonicalRole = "system" | "user" | "assistant" | "tool";

/** Role names per canonical role, as Axolotl maps them by default plus LLaMA-Factory's tags. */
export type RoleAliases = Record<CanonicalRole, string[]>;

export const openaiRoles: RoleAliases = {
  system: ["system", "developer"],
  user: ["user"],
  assistant: ["assistant"],
  tool: ["tool", "function"],
};

export const sharegptRoles: RoleAliases = {
  system: ["system"],
  user: ["human", "user"],
  assistant: ["gpt", "assistant", "function_call"],
  tool: ["observation", "tool", "function"],
};

/** Axolotl's chat_template default role map (ChatTemplatePrompter), which its view reads any layout with. */
export const axolotlRoles: RoleAliases = {
  system: ["system"],
  user: ["human", "user"],
  assistant: ["gpt", "assistant"],
  tool: ["tool"],
};

/** Role names seen in the wild that trainers reject, with what they most likely mean. */
export const likelyRoles: Record<string, CanonicalRole> = {
  human: "user",
  gpt: "assistant",
  model: "assistant",
  bot: "assistant",
  ai: "assistant",
  chatgpt: "assistant",
  assistent: "assistant",
  asistant: "assistant",
  usr: "user",
  sys: "system",
  prompter: "user",
  observation: "tool",
};

export function canonicalRole(name: unknown, aliases: RoleAliases): CanonicalRole | undefined {
  if (typeof name !== "string") return undefined;
  for (const role of Object.keys(aliases) as CanonicalRole[]) if (aliases[role].includes(name)) return role;
  return undefined;
}

/**
 * The layout of a chat row: the configured one when the row has its field, else the row's own
 * keys decide (many "conversations" datasets use role/content, as the seed model card's does).
 */
export function chatLayoutOf(row: Record<string, unknown>, configured?: ChatLayout): ChatLayout | undefined {
  if (configured && Object.hasOwn(row, configured.field)) return configured;
  for (const field of ["messages", "conversations"]) {
    const turns = row[field];
    if (!Array.isArray(turns)) {
      if (Object.hasOwn(row, field)) return field === "messages" ? openaiLayout : sharegptLayout;
      continue;
    }
    const first = turns.find(isPlainObject);
    if (first && Object.hasOwn(first, "from")) return { field, roleKey: "from", contentKey: "value" };
    if (first && Object.hasOwn(first, "role")) return { field, roleKey: "role", contentKey: "content" };
    return field === "messages" ? openaiLayout : sharegptLayout;
  }
  return undefined;
}

export function rolesFor(layout: ChatLayout, configured?: RoleAliases): RoleAliases {
  if (configured) return configured;
  return layout.roleKey === "from" ? sharegptRoles : openaiRoles;
}
