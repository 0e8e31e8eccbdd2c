import type { FormatId } from "../formats/formatLabels";
import type { FieldMapping, InstructionType } from "../formats/instructionTypes";
import type { RoleAliases } from "../formats/layout";
import { isPlainObject } from "../jsonl/parseRow";

/** One dataset of LLaMA-Factory's `data/dataset_info.json`: how its file is read. */
export interface DatasetInfoEntry {
  name: string;
  fileName: string;
  formatting: "alpaca" | "sharegpt" | "openai";
  ranking: boolean;
  columns: Record<string, string>;
  tags: Record<string, string>;
  /** Whether the entry has `columns` / `tags` at all: LLaMA-Factory then takes every column (tag) from it, unnamed ones unset. */
  columnsGiven?: boolean;
  tagsGiven?: boolean;
}

/** A dataset_info.json is a few kilobytes; past this it is not read. */
export const maxDatasetInfoBytes = 4 * 1024 * 1024;

export class DatasetInfoError extends Error {}

const strings = (value: unknown): Record<string, string> =>
  isPlainObject(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "")) : {};

/** The entries of a dataset_info.json that name a local file (hub and script datasets have none). */
export function parseDatasetInfo(text: string): DatasetInfoEntry[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new DatasetInfoError(`dataset_info.json is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(root)) throw new DatasetInfoError("dataset_info.json should be an object of datasets by name.");
  const entries: DatasetInfoEntry[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (!isPlainObject(value) || typeof value.file_name !== "string") continue;
    entries.push({
      name,
      fileName: value.file_name,
      formatting: value.formatting === "sharegpt" || value.formatting === "openai" ? value.formatting : "alpaca",
      ranking: value.ranking === true,
      columns: strings(value.columns),
      tags: strings(value.tags),
      columnsGiven: isPlainObject(value.columns),
      tagsGiven: isPlainObject(value.tags),
    });
  }
  return entries;
}

/** The entry whose `file_name` is this file, given by its path relative to the dataset_info.json's folder. */
export function entryForFile(entries: readonly DatasetInfoEntry[], relativePath: string): DatasetInfoEntry | undefined {
  const normal = (path: string) => path.replace(/\\/g, "/").replace(/^\.\//, "");
  return entries.find((e) => normal(e.fileName) === normal(relativePath));
}

/**
 * How LLaMA-Factory reads the entry's file, as a format and a field mapping, with its defaults
 * (its `DatasetAttr`): Alpaca's instruction/input/output/system/history columns, ShareGPT's
 * conversations with from/value and human/gpt/observation/function_call/system tags.
 */
export function datasetInfoMapping(entry: DatasetInfoEntry): { format: FormatId; mapping: FieldMapping } {
  const { columns, tags } = entry;
  if (entry.formatting !== "alpaca") {
    const roleKey = tags.role_tag ?? "from";
    const roles: RoleAliases = {
      system: [tags.system_tag ?? "system"],
      user: [tags.user_tag ?? "human"],
      assistant: [tags.assistant_tag ?? "gpt", tags.function_tag ?? "function_call"],
      tool: [tags.observation_tag ?? "observation"],
    };
    const layout = { field: columns.messages ?? "conversations", roleKey, contentKey: tags.content_tag ?? "value" };
    const extraKeys = ["tools", "images", "videos", "audios", "chosen", "rejected", "kto_tag"].flatMap((column) => (columns[column] ? [columns[column]] : []));
    return { format: roleKey === "from" ? "sharegpt" : "openai", mapping: { layout, roles, chatSystemKey: columns.system ?? "system", extraKeys } };
  }
  // DatasetAttr.join: a `columns` object unsets every column it does not name (no query, system or history then).
  const unnamed = (name: string) => (entry.columnsGiven ? undefined : name);
  const history = columns.history ?? unnamed("history");
  const instructionType: InstructionType = {
    name: `LLaMA-Factory ${entry.name}`,
    label: "LLaMA-Factory Alpaca",
    instruction: columns.prompt ?? "instruction",
    input: columns.query ?? unnamed("input"),
    output: entry.ranking ? (columns.chosen ?? "chosen") : (columns.response ?? "output"),
    system: columns.system ?? unnamed("system"),
    columns: {
      ...(history ? { [history]: { types: ["array"] } } : {}),
      ...(entry.ranking ? { [columns.rejected ?? "rejected"]: { types: ["string"], required: true } } : {}),
      ...(columns.kto_tag ? { [columns.kto_tag]: { types: ["boolean"] } } : {}),
      ...(columns.images ? { [columns.images]: { types: ["array", "string"] } } : {}),
      ...(columns.videos ? { [columns.videos]: { types: ["array", "string"] } } : {}),
      ...(columns.tools ? { [columns.tools]: { types: ["string", "array"] } } : {}),
    },
  };
  return { format: "alpaca", mapping: { instructionType } };
}
