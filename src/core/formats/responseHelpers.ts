import { canonicalRole, ChatLayout, RoleAliases } from "./layout";
import { isPlainObject } from "../jsonl/parseRow";
import type { ChatTurn } from "../model/backend";
import type { JSONPath } from "jsonc-parser";

/** Where a row keeps the response the model may rewrite or continue, and the conversation before it. */
export interface ResponseTarget {
  path: JSONPath;
  context: ChatTurn[];
  response: string;
}

export const str = (v: unknown) => (typeof v === "string" ? v : "");

export function withInput(instruction: string, input: string): string {
  return input.trim() ? `${instruction}\n\n${input}` : instruction;
}

export function chatTarget(row: Record<string, unknown>, layout: ChatLayout, roles: RoleAliases): ResponseTarget | string {
  const turns = row[layout.field];
  if (!Array.isArray(turns)) return `the row has no "${layout.field}" list`;
  let last = -1;
  turns.forEach(
    (t, i) => isPlainObject(t) && canonicalRole(t[layout.roleKey], roles) === "assistant" && typeof t[layout.contentKey] === "string" && (last = i),
  );
  if (last < 0) return "the row has no assistant turn with text";
  const context: ChatTurn[] = turns
    .slice(0, last)
    .filter(isPlainObject)
    .map((t) => {
      const role = canonicalRole(t[layout.roleKey], roles);
      const content = str(t[layout.contentKey]);
      if (role === "system" || role === "assistant") return { role, content };
      return { role: "user", content: role === "tool" ? `Tool result: ${content}` : content };
    });
  return { path: [layout.field, last, layout.contentKey], context, response: str((turns[last] as Record<string, unknown>)[layout.contentKey]) };
}
