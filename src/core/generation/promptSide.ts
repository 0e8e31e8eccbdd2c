import type { FormatId } from "../formats/detect";
import { instructionParts, instructionTypeOf } from "../formats/instructionTypes";
import { ChatLayout, RoleAliases, canonicalRole } from "../formats/layout";
import { isPlainObject } from "../jsonl/parseRow";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The instruction a row asks (what Self-Instruct's filters look at) and the answer it gives. */
export function instructionAndAnswer(row: Record<string, unknown>, format: FormatId, layout?: ChatLayout, roles?: RoleAliases): { instruction: string; input: string; answer: string } {
  switch (format) {
    case "alpaca": {
      const parts = instructionParts(row, instructionTypeOf(row));
      return { instruction: parts.instruction, input: parts.input, answer: parts.output };
    }
    case "self-instruct": {
      const first = Array.isArray(row.instances) && isPlainObject(row.instances[0]) ? row.instances[0] : {};
      return { instruction: str(row.instruction), input: str(first.input), answer: str(first.output) };
    }
    case "sharegpt":
    case "openai": {
      const turns = layout && Array.isArray(row[layout.field]) ? (row[layout.field] as unknown[]).filter(isPlainObject) : [];
      const roleOf = (t: Record<string, unknown>) => (layout && roles ? canonicalRole(t[layout.roleKey], roles) : undefined);
      const user = turns.find((t) => roleOf(t) === "user");
      const assistant = [...turns].reverse().find((t) => roleOf(t) === "assistant");
      return { instruction: str(user?.[layout!.contentKey]), input: "", answer: str(assistant?.[layout!.contentKey]) };
    }
    case "prompt-completion":
    case "kto":
      return { instruction: str(row.prompt), input: "", answer: str(row.completion) };
    case "preference":
      return { instruction: str(row.prompt), input: "", answer: str(row.chosen) };
    case "s1k":
      return { instruction: str(row.question), input: "", answer: str(row.attempt) };
    case "genstruct":
      return { instruction: str(row.title), input: "", answer: str(row.content) };
    case "text":
      return { instruction: str(row.text), input: "", answer: str(row.text) };
  }
}
