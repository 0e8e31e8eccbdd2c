import { isPlainObject } from "../jsonl/parseRow";
import { instructionTypeOf, outputKeyOf } from "./instructionTypes";
import { detectRowFormat, FormatId, formatLabels } from "./detect";
import { partsText, partTextKey } from "./contentParts";
import { chatLayoutOf } from "./layout";

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

const textOf = (value: unknown): string => {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("\n");
  if (Array.isArray(value) && value.some((v) => partTextKey(v) !== undefined)) return partsText(value);
  return JSON.stringify(value);
};

function turns(list: unknown, roleKey: string, contentKey: string): RowPart[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((m) => ({ role: textOf(m[roleKey]) || "?", text: textOf(m[contentKey]) }));
}

/** A field that holds either a string or a list of chat messages (TRL's two styles). */
function promptOrMessages(value: unknown, fallbackRole: string): RowPart[] {
  return Array.isArray(value) ? turns(value, "role", "content") : [{ role: fallbackRole, text: textOf(value) }];
}

function fields(row: Record<string, unknown>, names: Array<[string, string]>): RowPart[] {
  return names.filter(([key]) => Object.hasOwn(row, key)).map(([key, role]) => ({ role, text: textOf(row[key]) }));
}

function partsOf(format: FormatId | undefined, row: Record<string, unknown>): RowPart[] {
  switch (format) {
    case "sharegpt":
    case "openai": {
      // Many "conversations" datasets use role/content keys, as the seed model card's does.
      const layout = chatLayoutOf(row);
      return layout ? turns(row[layout.field], layout.roleKey, layout.contentKey) : [];
    }
    case "alpaca": {
      const type = instructionTypeOf(row);
      return fields(row, [[type.system ?? "system", "system"], [type.instruction, "instruction"], [type.input ?? "input", "input"], [outputKeyOf(row, type), "output"]]);
    }
    case "prompt-completion":
    case "kto":
      return [...promptOrMessages(row.prompt, "prompt"), ...promptOrMessages(row.completion, "completion")];
    case "preference":
      return [
        ...(Object.hasOwn(row, "prompt") ? promptOrMessages(row.prompt, "prompt") : []),
        ...promptOrMessages(row.chosen, "chosen"),
        ...promptOrMessages(row.rejected, "rejected"),
      ];
    case "s1k":
      return fields(row, [["question", "question"], ["thinking_trajectories", "thinking"], ["attempt", "attempt"]]);
    case "genstruct":
      return fields(row, [["title", "title"], ["content", "content"]]);
    case "self-instruct":
      return [
        { role: "instruction", text: textOf(row.instruction) },
        ...(Array.isArray(row.instances) ? row.instances.filter(isPlainObject) : []).flatMap((inst) => [
          { role: "input", text: textOf(inst.input) },
          { role: "output", text: textOf(inst.output) },
        ]),
      ];
    case "text":
      return [{ role: "text", text: textOf(row.text) }];
    default:
      return Object.entries(row).map(([key, value]) => ({ role: key, text: textOf(value) }));
  }
}

export function summarizeRow(row: unknown): RowSummary {
  const format = detectRowFormat(row);
  const parts = isPlainObject(row) ? partsOf(format, row) : [];
  return {
    format,
    formatLabel: format ? formatLabels[format] : "Not instruction data",
    parts,
    characters: parts.reduce((n, p) => n + p.text.length, 0),
  };
}
