import { detectRowFormat } from "../formats/detect";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import { formatModules } from "../formats/registry";
import { isPlainObject } from "../jsonl/parseRow";
import type { Converted } from "./turns";

export type { Converted } from "./turns";
export type ConvertTarget = "alpaca" | "sharegpt" | "openai";
export const convertTargets: ConvertTarget[] = ["alpaca", "sharegpt", "openai"];

/** Converts one row between Alpaca, ShareGPT and OpenAI messages, or says why it cannot. */
export function convertRow(row: unknown, target: ConvertTarget, configured?: { layout?: ChatLayout; roles?: RoleAliases }): Converted {
  if (!isPlainObject(row)) return { skipped: "not a JSON object" };
  const format = detectRowFormat(row, configured?.layout);
  const source = format ? formatModules[format].conversion : undefined;
  if (!source) return { skipped: `${format ?? "this"} rows are not Alpaca, ShareGPT or OpenAI messages` };
  const turns = source.toTurns(row, configured ?? {});
  if (typeof turns === "string") return { skipped: turns };
  return formatModules[target].conversion!.fromTurns(turns);
}
