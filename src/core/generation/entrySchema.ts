import type { FormatId } from "../formats/detect";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import type { JsonSchema } from "../model/backend";

/**
 * JSON schemas of one new entry per format, for grammar-constrained generation. node-llama-cpp's
 * grammar ignores `required` (every property is emitted, in declaration order) and has no
 * `pattern`, so fields are declared in the order a writer thinks (instruction, input, output) and
 * every string is bounded: an unbounded string lets a weak model run until `maxTokens`.
 */
const text = (maxLength: number, minLength = 0): JsonSchema => ({ type: "string", minLength, maxLength });
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: "object", properties, additionalProperties: false });

export const maxFieldChars = { instruction: 600, input: 600, output: 1500 };

export interface ChatRoleNames {
  user: string;
  assistant: string;
}

function chatSchema(layout: ChatLayout, names: ChatRoleNames): JsonSchema {
  const turn = (role: string, maxLength: number) => object({ [layout.roleKey]: { const: role }, [layout.contentKey]: text(maxLength, 1) });
  return object({
    [layout.field]: { type: "array", prefixItems: [turn(names.user, maxFieldChars.instruction), turn(names.assistant, maxFieldChars.output)], minItems: 2, maxItems: 2 },
  });
}

/** The schema of one generated entry in the file's own format and chat layout; undefined where none fits. */
export function entrySchema(format: FormatId, layout?: ChatLayout, names?: ChatRoleNames): JsonSchema | undefined {
  const { instruction, input, output } = maxFieldChars;
  switch (format) {
    case "alpaca":
      return object({ instruction: text(instruction, 1), input: text(input), output: text(output, 1) });
    case "self-instruct":
      return object({
        name: text(60, 1),
        instruction: text(instruction, 1),
        instances: { type: "array", items: object({ input: text(input), output: text(output, 1) }), minItems: 1, maxItems: 3 },
        is_classification: { type: "boolean" },
      });
    case "sharegpt":
    case "openai":
      if (!layout || !names) return undefined;
      return chatSchema(layout, names);
    case "prompt-completion":
      return object({ prompt: text(instruction, 1), completion: text(output, 1) });
    case "preference":
      return object({ prompt: text(instruction, 1), chosen: text(output, 1), rejected: text(output, 1) });
    case "kto":
      return object({ prompt: text(instruction, 1), completion: text(output, 1), label: { type: "boolean" } });
    case "s1k":
      return object({ question: text(instruction, 1), thinking_trajectories: { type: "array", items: text(output, 1), minItems: 1, maxItems: 4 }, attempt: text(output, 1) });
    case "genstruct":
      return object({ title: text(120, 1), content: text(output, 1) });
    case "text":
      return object({ text: text(output, 1) });
  }
}

/** The role names a chat file uses for user and assistant turns (human/gpt, user/assistant, ...). */
export function chatRoleNames(rows: readonly Record<string, unknown>[], layout: ChatLayout, roles: RoleAliases): ChatRoleNames {
  const seen = { user: new Map<string, number>(), assistant: new Map<string, number>() };
  for (const row of rows) {
    const turns = row[layout.field];
    if (!Array.isArray(turns)) continue;
    for (const turn of turns) {
      const name = typeof turn === "object" && turn !== null ? (turn as Record<string, unknown>)[layout.roleKey] : undefined;
      if (typeof name !== "string") continue;
      for (const role of ["user", "assistant"] as const) if (roles[role].includes(name)) seen[role].set(name, (seen[role].get(name) ?? 0) + 1);
    }
  }
  const most = (counts: Map<string, number>, fallback: string) => [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
  return { user: most(seen.user, roles.user[0] ?? "user"), assistant: most(seen.assistant, roles.assistant[0] ?? "assistant") };
}
