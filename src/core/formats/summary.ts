import { isPlainObject } from "../jsonl/parseRow";
import { detectRowFormat, formatLabels } from "./detect";
import { formatModules } from "./registry";
import { RowPart, RowSummary, textOf } from "./rowParts";

export type { RowPart, RowSummary } from "./rowParts";

function partsOf(row: Record<string, unknown>, format: RowSummary["format"]): RowPart[] {
  if (format) return formatModules[format].parts(row);
  return Object.entries(row).map(([key, value]) => ({ role: key, text: textOf(value) }));
}

export function summarizeRow(row: unknown): RowSummary {
  const format = detectRowFormat(row);
  const parts = isPlainObject(row) ? partsOf(row, format) : [];
  return {
    format,
    formatLabel: format ? formatLabels[format] : "Not instruction data",
    parts,
    characters: parts.reduce((n, p) => n + p.text.length, 0),
  };
}
