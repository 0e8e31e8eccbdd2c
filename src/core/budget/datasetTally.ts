import type { TrainingConfig } from "../config/trainingConfig";
import type { FormatId } from "../formats/formatLabels";
import { mappingOf } from "../formats/instructionTypes";
import { summarizeRow } from "../formats/summary";
import { isPlainObject, parseRow } from "../jsonl/parseRow";
import type { PreviewSetup } from "../training/previewSetup";
import { measureRow, RowPreviewError } from "../training/rowPreview";
import type { TrainingSettings } from "../training/trainingSettings";
import { contentHash } from "../validate/analyzeRow";

/** What one line of a dataset contributes to the budget. */
export type LineMeasure =
  | { kind: "blank" }
  | { kind: "invalid" }
  /** Instruction data the template cannot render, or not instruction data: the trainer fails on it or skips it. */
  | { kind: "notRendered"; format: FormatId | "unknown"; characters: number; reason: string }
  | {
      kind: "measured";
      format: FormatId | "unknown";
      characters: number;
      tokens: number;
      trained: number;
      trainedWithinLimit?: number;
      turns: number;
      dropped?: boolean;
      duplicateKey: number;
    };

/** Everything about one row the budget needs, measured with the preview's template, tokenizer and masks. */
export function measureLine(text: string, setup: PreviewSetup, settings: TrainingSettings, config: TrainingConfig | undefined): LineMeasure {
  const parsed = parseRow(text);
  if (parsed.kind === "blank") return { kind: "blank" };
  if (parsed.errors.length > 0 || !isPlainObject(parsed.value)) return { kind: "invalid" };
  const summary = summarizeRow(parsed.value);
  const format = summary.format ?? "unknown";
  try {
    const counts = measureRow(parsed.value, setup, settings, { format: config?.format, ...mappingOf(config) });
    return { kind: "measured", format, characters: summary.characters, ...counts, duplicateKey: contentHash(summary.parts) };
  } catch (error) {
    if (error instanceof RowPreviewError) return { kind: "notRendered", format, characters: summary.characters, reason: error.message };
    throw error;
  }
}

/** A measured row of one file, by its 1-based line. */
export interface MeasuredRow {
  line: number;
  tokens: number;
  trained: number;
  trainedWithinLimit?: number;
  turns: number;
  dropped?: boolean;
  duplicateKey: number;
}

/** One file's lines as measured: plain data, so a worker can send it whole. */
export interface FileTally {
  file: string;
  rows: number;
  blankLines: number;
  invalidRows: number;
  notRendered: number;
  /** The first reason a row could not be rendered, to say why. */
  notRenderedReason?: string;
  /** Why a file has no rows to count: it is not a dataset (one JSON object over many lines). */
  note?: string;
  characters: number;
  longestRowCharacters: number;
  formats: Partial<Record<FormatId | "unknown", number>>;
  measured: MeasuredRow[];
}

export function emptyTally(file: string): FileTally {
  return { file, rows: 0, blankLines: 0, invalidRows: 0, notRendered: 0, characters: 0, longestRowCharacters: 0, formats: {}, measured: [] };
}

export function addLine(tally: FileTally, line: number, measure: LineMeasure): void {
  if (measure.kind === "blank") {
    tally.blankLines++;
    return;
  }
  tally.rows++;
  if (measure.kind === "invalid") {
    tally.invalidRows++;
    return;
  }
  tally.formats[measure.format] = (tally.formats[measure.format] ?? 0) + 1;
  tally.characters += measure.characters;
  tally.longestRowCharacters = Math.max(tally.longestRowCharacters, measure.characters);
  if (measure.kind === "notRendered") {
    tally.notRendered++;
    tally.notRenderedReason ??= measure.reason;
    return;
  }
  const { tokens, trained, trainedWithinLimit, turns, dropped, duplicateKey } = measure;
  tally.measured.push({ line, tokens, trained, trainedWithinLimit, turns, ...(dropped ? { dropped } : {}), duplicateKey });
}

/** A line the reader could not decode or hold (over the size limit, UTF-16): an invalid row. */
export function addUnreadableLine(tally: FileTally): void {
  tally.rows++;
  tally.invalidRows++;
}

/** Tallies of consecutive parts of one file (read in parallel) as one, lines already absolute. */
export function mergeTallies(file: string, parts: readonly FileTally[]): FileTally {
  const merged = emptyTally(file);
  for (const part of parts) {
    merged.rows += part.rows;
    merged.blankLines += part.blankLines;
    merged.invalidRows += part.invalidRows;
    merged.notRendered += part.notRendered;
    merged.notRenderedReason ??= part.notRenderedReason;
    merged.note ??= part.note;
    merged.characters += part.characters;
    merged.longestRowCharacters = Math.max(merged.longestRowCharacters, part.longestRowCharacters);
    for (const [format, count] of Object.entries(part.formats)) merged.formats[format as FormatId] = (merged.formats[format as FormatId] ?? 0) + (count ?? 0);
    for (const row of part.measured) merged.measured.push(row);
  }
  return merged;
}
