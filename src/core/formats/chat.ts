// Chat rows: ShareGPT (`conversations` of from/value turns) and OpenAI messages (`messages` of
// role/content turns), either key set in either field, as Axolotl's chat_template type reads them.
import { chatSchema } from "./entrySchemaHelpers";
import { chatTarget, str } from "./responseHelpers";
import { isPlainObject } from "../jsonl/parseRow";
import { chatMessages } from "./inputHelpers";
import { stringField, turnFields } from "./textFieldHelpers";
import type { Converted, Turn } from "../convert/turns";
import type { FormatModule } from "./formatModule";
import { canonicalRole, CanonicalRole, ChatLayout, chatLayoutOf, RoleAliases, rolesFor } from "./layout";
import { turnParts } from "./rowParts";
import { bookkeeping, FormatSchema, llamaFactoryColumns, text } from "./schema";

function chatTurns(row: Record<string, unknown>, layout: ChatLayout, roles: RoleAliases): Turn[] | string {
  const list = row[layout.field];
  if (!Array.isArray(list)) return `\`${layout.field}\` is not a list`;
  const turns: Turn[] = [];
  for (const [i, turn] of list.entries()) {
    if (!isPlainObject(turn)) return `turn ${i + 1} is not an object`;
    const role = canonicalRole(turn[layout.roleKey], roles);
    if (!role) return `turn ${i + 1} has an unknown role`;
    if (role === "tool" || Array.isArray(turn.tool_calls) || turn[layout.roleKey] === "function_call")
      return "tool calls and results have no equivalent in the other formats";
    const content = turn[layout.contentKey];
    if (typeof content !== "string") return `turn ${i + 1} has no text content`;
    turns.push({ role, content });
  }
  return turns;
}

const sharegptNames: Record<CanonicalRole, string> = { system: "system", user: "human", assistant: "gpt", tool: "observation" };

const fromTurnsAs: Record<"sharegpt" | "openai", (turns: Turn[]) => Converted> = {
  sharegpt: (turns) => ({ row: { conversations: turns.map((t) => ({ from: sharegptNames[t.role], value: t.content })) } }),
  openai: (turns) => ({ row: { messages: turns.map((t) => ({ role: t.role, content: t.content })) } }),
};

function chatFormat(id: "sharegpt" | "openai", field: "conversations" | "messages", schema: FormatSchema): FormatModule {
  return {
    id,
    detect: (row) => Object.hasOwn(row, field),
    schema,
    textFields(ctx) {
      const { row, layout } = ctx;
      if (!layout) return [];
      // LLaMA-Factory's preference rows: chosen and rejected are single messages after the turns.
      const answers = (["chosen", "rejected"] as const).flatMap((key) =>
        isPlainObject(row[key]) ? stringField(ctx, [key, layout.contentKey], "assistant", true) : [],
      );
      return [
        ...stringField(ctx, [ctx.mapping.chatSystemKey ?? "system"], "system"),
        ...turnFields(ctx, layout.field, layout.roleKey, layout.contentKey, "other"),
        ...answers,
      ];
    },
    trainingInput(row, options, notes) {
      const layout = chatLayoutOf(row, options.layout);
      const turns = layout ? row[layout.field] : undefined;
      if (!layout || !Array.isArray(turns)) return undefined;
      const messages = chatMessages(turns, layout, rolesFor(layout, options.roles), notes);
      // LLaMA-Factory's ShareGPT rows keep the system prompt beside the turns.
      const system = row[options.chatSystemKey ?? "system"];
      if (typeof system === "string" && system && !messages.some((m) => m.role === "system")) messages.unshift({ role: "system", content: system });
      const tools = Array.isArray(row.tools) ? row.tools : undefined;
      return { kind: "chat", messages, tools, mapping: `"${layout.field}" turns: ${layout.roleKey} → role, ${layout.contentKey} → content`, notes };
    },
    parts(row) {
      // Many "conversations" datasets use role/content keys, as the seed model card's does.
      const layout = chatLayoutOf(row);
      return layout ? turnParts(row[layout.field], layout.roleKey, layout.contentKey) : [];
    },
    instructionAndAnswer(row, layout, roles) {
      const turns = layout && Array.isArray(row[layout.field]) ? (row[layout.field] as unknown[]).filter(isPlainObject) : [];
      const roleOf = (t: Record<string, unknown>) => (layout && roles ? canonicalRole(t[layout.roleKey], roles) : undefined);
      const user = turns.find((t) => roleOf(t) === "user");
      const assistant = [...turns].reverse().find((t) => roleOf(t) === "assistant");
      return { instruction: str(user?.[layout!.contentKey]), input: "", answer: str(assistant?.[layout!.contentKey]) };
    },
    responseTarget: (row, layout, roles) => (layout && roles ? chatTarget(row, layout, roles) : "the chat layout is unknown"),
    entrySchema: (layout, names) => (layout && names ? chatSchema(layout, names) : undefined),
    conversion: {
      toTurns(row, configured) {
        const layout = chatLayoutOf(row, configured.layout)!;
        return chatTurns(row, layout, rolesFor(layout, configured.roles));
      },
      fromTurns: fromTurnsAs[id],
    },
  };
}

export const sharegptFormat = chatFormat("sharegpt", "conversations", {
  ...bookkeeping,
  conversations: { types: ["array"], required: true },
  system: text,
  tools: { types: ["string", "array"] },
  chosen: { types: ["object"] },
  rejected: { types: ["object"] },
  ...llamaFactoryColumns,
});

export const openaiFormat = chatFormat("openai", "messages", {
  ...bookkeeping,
  messages: { types: ["array"], required: true },
  tools: { types: ["string", "array"] },
  parallel_tool_calls: { types: ["boolean"] },
  chosen: { types: ["object"] },
  rejected: { types: ["object"] },
  ...llamaFactoryColumns,
});
