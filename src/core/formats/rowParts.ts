import { isPlainObject } from "../jsonl/parseRow";
import type { FormatId } from "./formatLabels";
import { partsText, partTextKey } from "./contentParts";

/** One piece of a row as a trainer sees it: a chat turn or a named text field. */
export interface RowPart {
  role: string;
  text: string;
}

export interface RowSummary {
  format: FormatId | undefined;
  formatLabel: string;
  parts: RowPart[];
  characters: number;
}

export const textOf = (value: unknown): string => {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("\n");
  if (Array.isArray(value) && value.some((v) => partTextKey(v) !== undefined)) return partsText(value);
  return JSON.stringify(value);
};

export function turnParts(list: unknown, roleKey: string, contentKey: string): RowPart[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isPlainObject)
    .map((m) => ({ role: textOf(m[roleKey]) || "?", text: [textOf(m[contentKey]), ...toolCallLines(m.tool_calls)].filter(Boolean).join("\n") }));
}

/** A turn's tool calls as `name(arguments)` lines: an assistant turn with calls and no content is not empty. */
function toolCallLines(calls: unknown): string[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isPlainObject).map((call) => {
    const fn = isPlainObject(call.function) ? call.function : call;
    const args = typeof fn.arguments === "string" ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    return `→ ${textOf(fn.name) || "?"}(${args})`;
  });
}

/** A field that holds either a string or a list of chat messages (TRL's two styles). */
export function promptOrMessageParts(value: unknown, fallbackRole: string): RowPart[] {
  return Array.isArray(value) ? turnParts(value, "role", "content") : [{ role: fallbackRole, text: textOf(value) }];
}

export function fieldParts(row: Record<string, unknown>, names: Array<[string, string]>): RowPart[] {
  return names.filter(([key]) => Object.hasOwn(row, key)).map(([key, role]) => ({ role, text: textOf(row[key]) }));
}
