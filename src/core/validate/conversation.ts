import { isPlainObject } from "../jsonl/parseRow";
import type { Diagnostic } from "../lint/diagnostic";
import { canonicalRole, CanonicalRole, ChatLayout, likelyRoles, RoleAliases, rolesFor } from "../formats/layout";
import { partsText, partTextKey } from "../formats/contentParts";
import { messageKeys } from "../formats/schema";
import { finding, RowContext } from "../formats/rowContext";
import { checkObjectKeys } from "./structure";
import { openaiMessageKeys, openaiRoles, TrainerTarget } from "../targets/trainerTarget";

export interface ConversationOptions {
  /** A whole training conversation (checked for order and an assistant turn), or a TRL fragment. */
  whole: boolean;
  /** LLaMA-Factory's preference rows (ShareGPT with chosen/rejected) have an odd message count. */
  preference?: boolean;
  target?: TrainerTarget;
}

function turnSchema(layout: ChatLayout) {
  if (layout.roleKey === "role" && layout.contentKey === "content") return messageKeys.role;
  if (layout.roleKey === "from" && layout.contentKey === "value") return messageKeys.from;
  return {
    [layout.roleKey]: { types: ["string" as const], required: true },
    [layout.contentKey]: { types: ["string" as const, "null" as const, "array" as const] },
  };
}

function isEmptyContent(content: unknown): boolean {
  if (content === null || content === undefined) return true;
  if (typeof content === "string") return content.trim() === "";
  if (Array.isArray(content)) return content.every((part) => !isPlainObject(part) || (partTextKey(part) !== undefined && partsText([part]).trim() === ""));
  return false;
}

function roleFix(ctx: RowContext, path: Array<string | number>, name: string, aliases: RoleAliases) {
  const lower = name.toLowerCase();
  const likely = (Object.hasOwn(likelyRoles, lower) ? likelyRoles[lower] : undefined) ?? canonicalRole(lower, aliases);
  const target = likely ? aliases[likely][0] : undefined;
  return target && target !== name ? { target, fix: ctx.replaceValue(path, target, `Map role "${name}" to "${target}"`) } : undefined;
}

/** Roles, order, content and tool calls of one list of chat turns. */
export function checkConversation(ctx: RowContext, layout: ChatLayout, options: ConversationOptions): Diagnostic[] {
  const turns = ctx.row[layout.field];
  if (!Array.isArray(turns)) return [];
  const aliases: RoleAliases = rolesFor(layout, ctx.roles);
  const strict = layout.roleKey === "from";
  const found: Diagnostic[] = [];
  const sequence: Array<{ role: CanonicalRole; index: number }> = [];
  const callIds = new Set<string>();
  let unknownRoles = 0;
  const schema = turnSchema(layout);
  const contentRequired = Object.hasOwn(schema, layout.contentKey) && schema[layout.contentKey].required === true;

  turns.forEach((turn, index) => {
    if (!isPlainObject(turn)) {
      found.push(
        finding(
          "wrong-type",
          ctx.valueSpan([layout.field, index]),
          `Turn ${index + 1} should be an object with \`${layout.roleKey}\` and \`${layout.contentKey}\`.`,
        ),
      );
      return;
    }
    const rolePath = [layout.field, index, layout.roleKey];
    const name = turn[layout.roleKey];
    const role = canonicalRole(name, aliases);
    const keyFindings = checkObjectKeys(ctx, turn, [layout.field, index], schema, `turn ${index + 1}`);
    if (options.target === "openai" && layout.roleKey === "role") found.push(...openaiTurnFindings(ctx, turn, [layout.field, index], keyFindings, !role));
    else found.push(...keyFindings);
    if (typeof name === "string" && !role) {
      unknownRoles++;
      const suggestion = roleFix(ctx, rolePath, name, aliases);
      const known = Object.values(aliases).flat().join(", ");
      found.push(
        finding(
          "unknown-role",
          ctx.valueSpan(rolePath),
          `Unknown role "${name}" (${known})${suggestion ? `: did you mean "${suggestion.target}"?` : "."}`,
          suggestion?.fix,
        ),
      );
    }
    if (role) sequence.push({ role, index });
    if (role === "assistant" && Array.isArray(turn.tool_calls)) {
      for (const call of turn.tool_calls) if (isPlainObject(call) && typeof call.id === "string") callIds.add(call.id);
    }
    const hasToolCall = Array.isArray(turn.tool_calls) ? turn.tool_calls.length > 0 : turn.function_call !== undefined || name === "function_call";
    if (Object.hasOwn(turn, layout.contentKey) && isEmptyContent(turn[layout.contentKey]) && !hasToolCall) {
      found.push(
        finding(
          "empty-content",
          ctx.valueSpan([layout.field, index, layout.contentKey]),
          `Turn ${index + 1} (${String(name)}) has empty content and no tool call; write it or remove the turn.`,
        ),
      );
    } else if (!Object.hasOwn(turn, layout.contentKey) && !hasToolCall && !contentRequired) {
      // Where the schema requires the key, missing-field reports it already.
      found.push(
        finding(
          "empty-content",
          ctx.valueSpan([layout.field, index]),
          `Turn ${index + 1} (${String(name)}) has no \`${layout.contentKey}\` and no tool call: trainers fail on it (Axolotl) or reject the file (OpenAI).`,
        ),
      );
    }
    if (role === "tool" && typeof turn.tool_call_id === "string" && callIds.size > 0 && !callIds.has(turn.tool_call_id)) {
      found.push(
        finding(
          "tool-call-mismatch",
          ctx.valueSpan([layout.field, index, "tool_call_id"]),
          `Tool result "${turn.tool_call_id}" answers no earlier tool call (${[...callIds].join(", ")}).`,
        ),
      );
    }
  });

  // Order is judged on known roles only: an unknown one is already reported and would skew it.
  if (!options.whole || unknownRoles > 0) return found;
  const roleSpan = (index: number) => ctx.valueSpan([layout.field, index, layout.roleKey]);
  sequence.forEach(({ role, index }, position) => {
    if (role === "system" && position > 0) {
      found.push(finding("system-not-first", roleSpan(index), `A system turn at position ${index + 1}: chat templates expect it first.`));
    }
  });
  const dialogue = sequence.filter((s) => s.role !== "system");
  // OpenAI-style rows answer parallel tool calls with several tool turns in a row: one slot.
  const slots = strict ? dialogue : dialogue.filter((s, i) => !(s.role === "tool" && dialogue[i - 1]?.role === "tool"));
  for (let i = 0; i < slots.length; i++) {
    const expectsUser = i % 2 === 0;
    const onUserSide = slots[i].role === "user" || slots[i].role === "tool";
    if (expectsUser !== onUserSide) {
      found.push(
        finding(
          "role-order",
          roleSpan(slots[i].index),
          `Turn ${slots[i].index + 1} is ${slots[i].role} where ${expectsUser ? "a user (or tool result)" : "an assistant"} turn belongs; user and assistant must alternate${strict ? " (LLaMA-Factory skips this row: Invalid role tag)" : ""}.`,
        ),
      );
      break;
    }
  }
  // A preference row's answers are its chosen and rejected messages, not turns.
  if (dialogue.length > 0 && !options.preference && !dialogue.some((s) => s.role === "assistant")) {
    found.push(finding("no-assistant-turn", ctx.valueSpan([layout.field]), "No assistant turn: this row trains nothing."));
  } else if (dialogue.length > 0 && !options.preference && dialogue[dialogue.length - 1].role !== "assistant") {
    found.push(
      finding(
        "last-turn-not-assistant",
        roleSpan(dialogue[dialogue.length - 1].index),
        "The conversation ends without an assistant turn; the last turn is not trained on.",
      ),
    );
  }
  if (strict && dialogue.length > 0 && dialogue.length % 2 !== (options.preference ? 1 : 0)) {
    found.push(
      finding(
        "message-count",
        ctx.valueSpan([layout.field]),
        `${dialogue.length} turns after the system turn: LLaMA-Factory wants an ${options.preference ? "odd" : "even"} count and skips this row (Invalid message count).`,
      ),
    );
  }
  return found;
}

/**
 * What OpenAI's fine-tuning upload rejects in one message, where other trainers ignore it: keys
 * besides its own, roles besides its own, a `weight` other than 0 or 1 or on a non-assistant
 * message. A rejected key is not also reported as merely unused.
 */
function openaiTurnFindings(
  ctx: RowContext,
  turn: Record<string, unknown>,
  path: Array<string | number>,
  keyFindings: Diagnostic[],
  roleReported: boolean,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const rejectedAt = new Set<string>();
  for (const key of Object.keys(turn)) {
    if (openaiMessageKeys.includes(key)) continue;
    const span = ctx.keySpan([...path, key]);
    rejectedAt.add(`${span.line}:${span.column}`);
    const message = `OpenAI fine-tuning rejects the file for a message key \`${key}\`: it accepts ${openaiMessageKeys.join(", ")}. Remove it or move it out of the message.`;
    found.push(finding("target-rejects", span, message, ctx.removeProperty([...path, key], `Remove \`${key}\` from the message`)));
  }
  const kept = keyFindings.filter((d) => !(d.rule === "unused-key" && rejectedAt.has(`${d.line}:${d.column}`)));
  const role = turn.role;
  if (typeof role === "string" && !roleReported && !openaiRoles.includes(role)) {
    found.push(
      finding(
        "target-rejects",
        ctx.valueSpan([...path, "role"]),
        `OpenAI fine-tuning rejects the role "${role}" (mapped by the training config's roles): it accepts ${openaiRoles.join(", ")}.`,
      ),
    );
  }
  if (Object.hasOwn(turn, "weight") && (role !== "assistant" || (turn.weight !== 0 && turn.weight !== 1))) {
    found.push(finding("target-rejects", ctx.valueSpan([...path, "weight"]), "OpenAI fine-tuning accepts `weight` only on assistant messages, as 0 or 1."));
  }
  return [...kept, ...found];
}
