import { detectRowFormat, dominantFormat, formatLabels } from "../formats/detect";
import type { FormatId } from "../formats/formatLabels";
import { ChatLayout, chatLayoutOf, RoleAliases, rolesFor } from "../formats/layout";
import { isPlainObject, parseRow, stripBom } from "../jsonl/parseRow";
import type { JsonSchema } from "../model/backend";
import type { ValidationOptions } from "../validate/analyzeRow";
import { entrySchema, chatRoleNames } from "./entrySchema";
import { JsonStyle, styleOf } from "./serializeLike";

export interface DatasetRow {
  /** 0-based line. */
  line: number;
  text: string;
  value: Record<string, unknown>;
}

/** What generation needs to know of the file it writes into. */
export interface DatasetContext {
  format: FormatId;
  layout?: ChatLayout;
  roles?: RoleAliases;
  schema: JsonSchema;
  style: JsonStyle;
  rows: DatasetRow[];
  validation: ValidationOptions;
}

/** Rows read for examples and for the similarity filter; a bigger file is sampled from its start. */
export const maxContextRows = 100_000;

export function readDatasetRows(lines: Iterable<string>): DatasetRow[] {
  const rows: DatasetRow[] = [];
  let line = 0;
  for (const raw of lines) {
    const text = line === 0 ? stripBom(raw).text : raw;
    const parsed = parseRow(text);
    if (parsed.kind === "value" && parsed.errors.length === 0 && isPlainObject(parsed.value)) rows.push({ line, text, value: parsed.value });
    line++;
    if (rows.length >= maxContextRows) break;
  }
  return rows;
}

export class DatasetContextError extends Error {}

/** The file's format (a setting or config wins, else the majority of its rows), layout and style. */
export function datasetContext(rows: DatasetRow[], validation: ValidationOptions): DatasetContext {
  if (rows.length === 0) throw new DatasetContextError("The file has no valid rows to learn the format from; add a few entries by hand first.");
  let format = validation.format;
  if (!format) {
    const counts = new Map<FormatId, number>();
    for (const row of rows.slice(0, 1000)) {
      const f = detectRowFormat(row.value, validation.layout);
      if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    format = dominantFormat(counts);
  }
  if (!format) throw new DatasetContextError("The rows match no instruction format Instruct Studio knows.");
  const sameFormat = rows.filter((r) => detectRowFormat(r.value, validation.layout) === format);
  const first = sameFormat[0] ?? rows[0];
  let layout: ChatLayout | undefined;
  let roles: RoleAliases | undefined;
  if (format === "sharegpt" || format === "openai") {
    layout = chatLayoutOf(first.value, validation.layout);
    if (layout) roles = rolesFor(layout, validation.roles);
  }
  const schema = entrySchema(
    format,
    layout,
    layout && roles
      ? chatRoleNames(
          sameFormat.slice(0, 1000).map((r) => r.value),
          layout,
          roles,
        )
      : undefined,
  );
  if (!schema) throw new DatasetContextError(`Entries cannot be generated for ${formatLabels[format]} files.`);
  return { format, layout, roles, schema, style: styleOf(first.text), rows: sameFormat.length ? sameFormat : rows, validation: { ...validation, format } };
}
