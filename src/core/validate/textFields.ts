import { partTextKey } from "../formats/contentParts";
import { instructionTypeOf, outputKeyOf, textKeyOf } from "../formats/instructionTypes";
import { isPlainObject } from "../jsonl/parseRow";
import { canonicalRole, CanonicalRole, rolesFor } from "../formats/layout";
import { RowContext, valueAt } from "./rowContext";

export type FieldRole = CanonicalRole | "thinking" | "other";

/** A string of a row that a trainer reads as text, with the role it plays. */
export interface TextField {
  path: Array<string | number>;
  text: string;
  role: FieldRole;
  /** Human name of the field: `output`, `messages[2].content`, ... */
  name: string;
  /** The row's answer field (Alpaca output, completion, s1K attempt): checked for emptiness. */
  isOutput?: boolean;
}

function stringField(ctx: RowContext, path: Array<string | number>, role: FieldRole, isOutput = false): TextField[] {
  const text = valueAt(ctx.row, path);
  if (typeof text !== "string") return [];
  return [{ path, text, role, name: pathName(path), isOutput }];
}

/** An Alpaca-style `input` field (also inside Self-Instruct instances). */
export const isInputField = (field: TextField) => /(?:^|\.)input$/.test(field.name);

export function pathName(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The text of each chat turn (string content, or the `text` of content parts). */
export function turnFields(ctx: RowContext, field: string, roleKey: string, contentKey: string, fallback: FieldRole): TextField[] {
  const turns = ctx.row[field];
  if (!Array.isArray(turns)) return [];
  const aliases = rolesFor({ field, roleKey, contentKey }, ctx.roles);
  return turns.flatMap((turn, i) => {
    if (!isPlainObject(turn)) return [];
    const role = canonicalRole(turn[roleKey], aliases) ?? fallback;
    const content = turn[contentKey];
    if (Array.isArray(content)) {
      return content.flatMap((part, j) => {
        const key = partTextKey(part);
        return key ? stringField(ctx, [field, i, contentKey, j, key], role) : [];
      });
    }
    return stringField(ctx, [field, i, contentKey], role);
  });
}

function promptOrTurns(ctx: RowContext, field: string, role: FieldRole, isOutput: boolean): TextField[] {
  return Array.isArray(ctx.row[field]) ? turnFields(ctx, field, "role", "content", role) : stringField(ctx, [field], role, isOutput);
}

export function textFields(ctx: RowContext): TextField[] {
  const row = ctx.row;
  switch (ctx.format) {
    case "alpaca": {
      const type = instructionTypeOf(row, ctx.mapping.instructionType);
      const history = Array.isArray(row.history) ? row.history : [];
      const input = type.input ? row[type.input] : undefined;
      return [
        ...(type.system ? stringField(ctx, [type.system], "system") : []),
        ...history.flatMap((_, i) => [...stringField(ctx, ["history", i, 0], "user"), ...stringField(ctx, ["history", i, 1], "assistant")]),
        ...stringField(ctx, [type.instruction], "user"),
        ...(type.input && type.inputIsList && Array.isArray(input) ? input.flatMap((_, i) => stringField(ctx, [type.input!, i], "user")) : type.input ? stringField(ctx, [type.input], "user") : []),
        ...stringField(ctx, [outputKeyOf(row, type)], "assistant", true),
      ];
    }
    case "sharegpt":
    case "openai": {
      const layout = ctx.layout;
      if (!layout) return [];
      // LLaMA-Factory's preference rows: chosen and rejected are single messages after the turns.
      const answers = (["chosen", "rejected"] as const).flatMap((key) => (isPlainObject(row[key]) ? stringField(ctx, [key, layout.contentKey], "assistant", true) : []));
      return [...stringField(ctx, [ctx.mapping.chatSystemKey ?? "system"], "system"), ...turnFields(ctx, layout.field, layout.roleKey, layout.contentKey, "other"), ...answers];
    }
    case "prompt-completion":
    case "kto":
      return [...promptOrTurns(ctx, "prompt", "user", false), ...promptOrTurns(ctx, "completion", "assistant", true)];
    case "preference":
      return [
        ...promptOrTurns(ctx, "prompt", "user", false),
        ...promptOrTurns(ctx, "chosen", "assistant", true),
        ...promptOrTurns(ctx, "rejected", "assistant", true),
      ];
    case "s1k": {
      const trajectories = Array.isArray(row.thinking_trajectories) ? row.thinking_trajectories : [];
      return [
        ...stringField(ctx, ["question"], "user"),
        ...trajectories.flatMap((_, i) => stringField(ctx, ["thinking_trajectories", i], "thinking")),
        ...stringField(ctx, ["attempt"], "assistant", true),
      ];
    }
    case "genstruct":
      return [...stringField(ctx, ["title"], "user"), ...stringField(ctx, ["content"], "user")];
    case "self-instruct": {
      const instances = Array.isArray(row.instances) ? row.instances : [];
      return [
        ...stringField(ctx, ["instruction"], "user"),
        ...instances.flatMap((_, i) => [...stringField(ctx, ["instances", i, "input"], "user"), ...stringField(ctx, ["instances", i, "output"], "assistant", true)]),
      ];
    }
    case "text":
      return stringField(ctx, [textKeyOf(ctx.mapping)], "other");
  }
}
