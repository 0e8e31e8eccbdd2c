import { partTextKey } from "./contentParts";
import { isPlainObject } from "../jsonl/parseRow";
import { canonicalRole, CanonicalRole, rolesFor } from "./layout";
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

export function stringField(ctx: RowContext, path: Array<string | number>, role: FieldRole, isOutput = false): TextField[] {
  return addStringField([], ctx, path, role, isOutput);
}

/** `stringField` into a list the caller builds (no array a field). */
export function addStringField(into: TextField[], ctx: RowContext, path: Array<string | number>, role: FieldRole, isOutput = false): TextField[] {
  const text = valueAt(ctx.row, path);
  if (typeof text === "string") into.push({ path, text, role, name: pathName(path), isOutput });
  return into;
}

/** An Alpaca-style `input` field (also inside Self-Instruct instances). */
export const isInputField = (field: TextField) => field.name === "input" || field.name.endsWith(".input");

export function pathName(path: Array<string | number>): string {
  if (path.length === 1 && typeof path[0] === "string") return path[0];
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

export function promptOrTurns(ctx: RowContext, field: string, role: FieldRole, isOutput: boolean): TextField[] {
  return Array.isArray(ctx.row[field]) ? turnFields(ctx, field, "role", "content", role) : stringField(ctx, [field], role, isOutput);
}
