import { applyEdits, JSONPath, modify } from "jsonc-parser";
import type { FormatId } from "../formats/formatLabels";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import { formatModules } from "../formats/registry";
import type { ChatTurn } from "../model/backend";
import type { ResponseTarget } from "../formats/responseHelpers";

/** The response of a row in any format that has one; a string says why there is none. */
export function responseTarget(row: Record<string, unknown>, format: FormatId, layout?: ChatLayout, roles?: RoleAliases): ResponseTarget | string {
  return formatModules[format].responseTarget(row, layout, roles);
}

/** The line with one value replaced and every other byte kept (jsonc-parser edits in place). */
export function replaceValue(line: string, path: JSONPath, value: unknown): string {
  return applyEdits(line, modify(line, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "" } }));
}

export function rewritePrompt(target: ResponseTarget, feedback?: string): ChatTurn[] {
  const conversation = target.context.map((t) => `${t.role.toUpperCase()}: ${t.content}`).join("\n\n");
  return [
    {
      role: "system",
      content: "You improve responses in an instruction-tuning dataset. You reply with the improved response only: no preamble, no quotes, no comments.",
    },
    {
      role: "user",
      content:
        `Conversation:\n${conversation}\n\nCurrent response:\n${target.response}\n\n` +
        (feedback ? `A reviewer noted:\n${feedback}\n\n` : "") +
        "Rewrite the response so it follows the request exactly and is correct, complete, honest and clearly written. Keep its language.",
    },
  ];
}
