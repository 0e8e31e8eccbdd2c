import { Budget, BudgetSettings, trainingBudget } from "./budget";
import type { FileTally } from "./datasetTally";
import { Distribution, distribution } from "./distribution";

/** Rows listed by file and line (over the limit, duplicates); the counts cover them all. */
export const maxListedRows = 1000;

export interface RowRef {
  file: string;
  /** 1-based line. */
  line: number;
}

/** One file's figures: its tally's counts, its token distribution and what the set says of its rows. */
export type FileFigures = Omit<FileTally, "measured"> & {
  tokens: Distribution;
  trainedTokens: number;
  overLimit: number;
  /** Rows whose content repeats an earlier row of the set. */
  duplicates: number;
};

/** The training budget of a dataset split over files, with what a user checks before renting GPUs. */
export interface DatasetReport extends Budget, ReportLabels {
  gpus: number;
  turns: Distribution;
  /** Rows repeating an earlier row's content, and how many distinct contents repeat. */
  duplicates: { rows: number; groups: number; listed: Array<RowRef & { first: RowRef }> };
  /** Longest first. */
  overLimitRows: Array<RowRef & { tokens: number }>;
  files: Array<FileFigures | FileError>;
}

/** A file that could not be read: the figures cover the others, and the run fails. */
export interface FileError {
  file: string;
  error: string;
}

export interface ReportLabels {
  exact: boolean;
  tokenizer: string;
  template: string;
  /** How the tokens were counted (llama.cpp through a cached vocabulary, @huggingface/tokenizers, estimate). */
  counting: string;
}

export function datasetReport(read: ReadonlyArray<FileTally | FileError>, settings: BudgetSettings, labels: ReportLabels): DatasetReport {
  const limit = settings.sequenceLen;
  const tallies = read.filter((t): t is FileTally => !("error" in t));
  const all = tallies.flatMap((t) => t.measured);
  const budget = trainingBudget(all, settings);
  const firstOf = new Map<number, RowRef & { repeats: number }>();
  const duplicates: DatasetReport["duplicates"] = { rows: 0, groups: 0, listed: [] };
  const overLimitRows: DatasetReport["overLimitRows"] = [];
  const files = read.map((tally): FileFigures | FileError => {
    if ("error" in tally) return tally;
    let fileDuplicates = 0;
    let overLimit = 0;
    for (const row of tally.measured) {
      const first = firstOf.get(row.duplicateKey);
      if (first) {
        fileDuplicates++;
        if (first.repeats++ === 0) duplicates.groups++;
        if (duplicates.listed.length < maxListedRows)
          duplicates.listed.push({ file: tally.file, line: row.line, first: { file: first.file, line: first.line } });
      } else firstOf.set(row.duplicateKey, { file: tally.file, line: row.line, repeats: 0 });
      if (limit !== undefined && row.tokens > limit) {
        overLimit++;
        overLimitRows.push({ file: tally.file, line: row.line, tokens: row.tokens });
      }
    }
    duplicates.rows += fileDuplicates;
    const { measured, ...counts } = tally;
    return {
      ...counts,
      tokens: distribution(measured.map((r) => r.tokens)),
      trainedTokens: measured.reduce((n, r) => n + r.trained, 0),
      overLimit,
      duplicates: fileDuplicates,
    };
  });
  overLimitRows.sort((a, b) => b.tokens - a.tokens);
  overLimitRows.length = Math.min(overLimitRows.length, maxListedRows);
  return {
    ...budget,
    ...labels,
    gpus: Math.max(1, Math.floor(settings.gpus ?? 1)),
    turns: distribution(all.map((r) => r.turns)),
    duplicates,
    overLimitRows,
    files,
  };
}
