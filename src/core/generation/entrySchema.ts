import type { FormatId } from "../formats/formatLabels";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import { formatModules } from "../formats/registry";
import type { JsonSchema } from "../model/backend";
import type { ChatRoleNames } from "../formats/entrySchemaHelpers";

export { maxFieldChars } from "../formats/entrySchemaHelpers";
export type { ChatRoleNames } from "../formats/entrySchemaHelpers";

/** The schema of one generated entry in the file's own format and chat layout; undefined where none fits. */
export function entrySchema(format: FormatId, layout?: ChatLayout, names?: ChatRoleNames): JsonSchema | undefined {
  return formatModules[format].entrySchema(layout, names);
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
