import type { FormatId } from "../formats/detect";
import { summarizeRow } from "../formats/summary";
import type { ReadLine } from "../jsonl/lineReader";
import { isPlainObject, parseRow } from "../jsonl/parseRow";

export interface DatasetStats {
  rows: number;
  blankLines: number;
  invalidRows: number;
  characters: number;
  longestRowCharacters: number;
  formats: Partial<Record<FormatId | "unknown", number>>;
}

/** Accumulates dataset statistics one line at a time. */
export class StatsCollector {
  private readonly stats: DatasetStats = { rows: 0, blankLines: 0, invalidRows: 0, characters: 0, longestRowCharacters: 0, formats: {} };

  add(line: ReadLine): void {
    if (line.tooLong) {
      this.stats.invalidRows++;
      return;
    }
    const parsed = parseRow(line.text);
    if (parsed.kind === "blank") {
      this.stats.blankLines++;
      return;
    }
    this.stats.rows++;
    if (parsed.errors.length > 0 || !isPlainObject(parsed.value)) {
      this.stats.invalidRows++;
      return;
    }
    const { format = "unknown", characters } = summarizeRow(parsed.value);
    this.stats.formats[format] = (this.stats.formats[format] ?? 0) + 1;
    this.stats.characters += characters;
    this.stats.longestRowCharacters = Math.max(this.stats.longestRowCharacters, characters);
  }

  result(): DatasetStats {
    return structuredClone(this.stats);
  }
}
