import { applyEdits, JSONPath, modify } from "jsonc-parser";
import { instructionParts, instructionTypeOf, outputKeyOf } from "../formats/instructionTypes";
import type { FormatId } from "../formats/detect";
import { canonicalRole, ChatLayout, RoleAliases } from "../formats/layout";
import { isPlainObject } from "../jsonl/parseRow";
import type { ChatTurn } from "../model/backend";

/** Where a row keeps the response the model may rewrite or continue, and the conversation before it. */
export interface ResponseTarget {
  path: JSONPath;
  context: ChatTurn[];
  response: string;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function withInput(instruction: string, input: string): string {
  return input.trim() ? `${instruction}\n\n${input}` : instruction;
}

function chatTarget(row: Record<string, unknown>, layout: ChatLayout, roles: RoleAliases): ResponseTarget | string {
  const turns = row[layout.field];
  if (!Array.isArray(turns)) return `the row has no "${layout.field}" list`;
  let last = -1;
  turns.forEach((t, i) => isPlainObject(t) && canonicalRole(t[layout.roleKey], roles) === "assistant" && typeof t[layout.contentKey] === "string" && (last = i));
  if (last < 0) return "the row has no assistant turn with text";
  const context: ChatTurn[] = turns.slice(0, last).filter(isPlainObject).map((t) => {
    const role = canonicalRole(t[layout.roleKey], roles);
    const content = str(t[layout.contentKey]);
    if (role === "system" || role === "assistant") return { role, content };
    return { role: "user", content: role === "tool" ? `Tool result: ${content}` : content };
  });
  return { path: [layout.field, last, layout.contentKey], context, response: str((turns[last] as Record<string, unknown>)[layout.contentKey]) };
}

/** The response of a row in any format that has one; a string says why there is none. */
export function responseTarget(row: Record<string, unknown>, format: FormatId, layout?: ChatLayout, roles?: RoleAliases): ResponseTarget | string {
  const user = (content: string): ChatTurn[] => [{ role: "user", content }];
  const system = typeof row.system === "string" && row.system ? [{ role: "system" as const, content: row.system }] : [];
  switch (format) {
    case "alpaca": {
      const type = instructionTypeOf(row);
      const parts = instructionParts(row, type);
      const key = outputKeyOf(row, type);
      return { path: [key], context: [...system, ...user(withInput(parts.instruction, parts.input))], response: str(row[key]) };
    }
    case "self-instruct": {
      const first = Array.isArray(row.instances) ? row.instances[0] : undefined;
      if (!isPlainObject(first)) return "the task has no instance";
      return { path: ["instances", 0, "output"], context: user(withInput(str(row.instruction), str(first.input))), response: str(first.output) };
    }
    case "sharegpt":
    case "openai":
      return layout && roles ? chatTarget(row, layout, roles) : "the chat layout is unknown";
    case "prompt-completion":
    case "kto":
      if (typeof row.prompt !== "string" || typeof row.completion !== "string") return "only string prompts and completions can be rewritten";
      return { path: ["completion"], context: user(row.prompt), response: row.completion };
    case "preference":
      if (typeof row.prompt !== "string" || typeof row.chosen !== "string") return "only string prompts and chosen responses can be rewritten";
      return { path: ["chosen"], context: user(row.prompt), response: row.chosen };
    case "s1k":
      return { path: ["attempt"], context: user(str(row.question)), response: str(row.attempt) };
    case "genstruct":
    case "text":
      return `${format} rows have no response to rewrite`;
  }
}

/** The line with one value replaced and every other byte kept (jsonc-parser edits in place). */
export function replaceValue(line: string, path: JSONPath, value: unknown): string {
  return applyEdits(line, modify(line, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "" } }));
}

export function rewritePrompt(target: ResponseTarget, feedback?: string): ChatTurn[] {
  const conversation = target.context.map((t) => `${t.role.toUpperCase()}: ${t.content}`).join("\n\n");
  return [
    { role: "system", content: "You improve responses in an instruction-tuning dataset. You reply with the improved response only: no preamble, no quotes, no comments." },
    {
      role: "user",
      content:
        `Conversation:\n${conversation}\n\nCurrent response:\n${target.response}\n\n` +
        (feedback ? `A reviewer noted:\n${feedback}\n\n` : "") +
        "Rewrite the response so it follows the request exactly and is correct, complete, honest and clearly written. Keep its language.",
    },
  ];
}
