import { detectRowFormat, FormatId } from "../formats/detect";
import { instructionParts, instructionTypeOf, outputKeyOf } from "../formats/instructionTypes";
import { canonicalRole, CanonicalRole, ChatLayout, chatLayoutOf, RoleAliases, rolesFor } from "../formats/layout";
import { isPlainObject } from "../jsonl/parseRow";

export type ConvertTarget = "alpaca" | "sharegpt" | "openai";
export const convertTargets: ConvertTarget[] = ["alpaca", "sharegpt", "openai"];

interface Turn {
  role: CanonicalRole;
  content: string;
}

export type Converted = { row: Record<string, unknown> } | { skipped: string };

const sharegptNames: Record<CanonicalRole, string> = { system: "system", user: "human", assistant: "gpt", tool: "observation" };

function alpacaTurns(row: Record<string, unknown>): Turn[] | string {
  const turns: Turn[] = [];
  if (typeof row.system === "string" && row.system) turns.push({ role: "system", content: row.system });
  for (const pair of Array.isArray(row.history) ? row.history : []) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") return "a history entry is not a [question, answer] pair";
    turns.push({ role: "user", content: pair[0] }, { role: "assistant", content: pair[1] });
  }
  const type = instructionTypeOf(row);
  if (typeof row[type.instruction] !== "string" || typeof row[outputKeyOf(row, type)] !== "string") return "instruction or output is missing";
  const parts = instructionParts(row, type);
  // LLaMA-Factory's Alpaca converter joins instruction and input with a newline.
  turns.push({ role: "user", content: parts.instruction + (parts.input ? `\n${parts.input}` : "") }, { role: "assistant", content: parts.output });
  return turns;
}

function chatTurns(row: Record<string, unknown>, layout: ChatLayout, roles: RoleAliases): Turn[] | string {
  const list = row[layout.field];
  if (!Array.isArray(list)) return `\`${layout.field}\` is not a list`;
  const turns: Turn[] = [];
  for (const [i, turn] of list.entries()) {
    if (!isPlainObject(turn)) return `turn ${i + 1} is not an object`;
    const role = canonicalRole(turn[layout.roleKey], roles);
    if (!role) return `turn ${i + 1} has an unknown role`;
    if (role === "tool" || Array.isArray(turn.tool_calls) || turn[layout.roleKey] === "function_call") return "tool calls and results have no equivalent in the other formats";
    const content = turn[layout.contentKey];
    if (typeof content !== "string") return `turn ${i + 1} has no text content`;
    turns.push({ role, content });
  }
  return turns;
}

function toAlpaca(turns: Turn[]): Converted {
  const system = turns[0]?.role === "system" ? turns[0].content : undefined;
  const dialogue = system === undefined ? turns : turns.slice(1);
  if (dialogue.length < 2 || dialogue.length % 2 !== 0 || dialogue.some((t, i) => t.role !== (i % 2 === 0 ? "user" : "assistant"))) {
    return { skipped: "Alpaca needs user and assistant turns alternating, ending with the assistant" };
  }
  const history: string[][] = [];
  for (let i = 0; i < dialogue.length - 2; i += 2) history.push([dialogue[i].content, dialogue[i + 1].content]);
  const last = dialogue.length - 2;
  return {
    row: {
      instruction: dialogue[last].content,
      input: "",
      output: dialogue[last + 1].content,
      ...(system !== undefined ? { system } : {}),
      ...(history.length ? { history } : {}),
    },
  };
}

/** Converts one row between Alpaca, ShareGPT and OpenAI messages, or says why it cannot. */
export function convertRow(row: unknown, target: ConvertTarget, configured?: { layout?: ChatLayout; roles?: RoleAliases }): Converted {
  if (!isPlainObject(row)) return { skipped: "not a JSON object" };
  const format: FormatId | undefined = detectRowFormat(row, configured?.layout);
  let turns: Turn[] | string;
  if (format === "alpaca") turns = alpacaTurns(row);
  else if (format === "sharegpt" || format === "openai") {
    const layout = chatLayoutOf(row, configured?.layout)!;
    turns = chatTurns(row, layout, rolesFor(layout, configured?.roles));
  } else return { skipped: `${format ?? "this"} rows are not Alpaca, ShareGPT or OpenAI messages` };
  if (typeof turns === "string") return { skipped: turns };
  if (target === "alpaca") return toAlpaca(turns);
  if (target === "sharegpt") return { row: { conversations: turns.map((t) => ({ from: sharegptNames[t.role], value: t.content })) } };
  return { row: { messages: turns.map((t) => ({ role: t.role, content: t.content })) } };
}
